// The state of one Reflector room: users' tab slots, meetings (each with its
// own Daily room), and what Daily, the DB, Redis and the workers know of them.
// Time is not a clock but the counters below, so the state space is finite.
import { List, Record, type RecordOf } from 'immutable';

/**
 * A tab's place in the client flow (REAL_SYSTEM.md "Client (browser tab) flow").
 * idle: no open tab in this slot (a closed tab's traces may linger).
 * got-meeting: POST /rooms/R/meeting answered; about to POST /joining.
 * joining-checked: /joining found the meeting active; its key write is still to come.
 * refused: /joining answered 400; the tab asks for the meeting again.
 * handshaking: WebRTC handshake with the meeting's Daily room: not in the call, invisible.
 * connected: in the Daily call; /joined not handled yet.
 * joined: in the call, /joined handled.
 */
export type Phase = 'idle' | 'got-meeting' | 'joining-checked' | 'refused' | 'handshaking' | 'connected' | 'joined';
export const PHASES: readonly Phase[] = ['idle', 'got-meeting', 'joining-checked', 'refused', 'handshaking', 'connected', 'joined'];

/** The tab's row in daily_participant_sessions: none, open (left_at null), or closed. */
export type Session = 'none' | 'open' | 'closed';
export const SESSIONS: readonly Session[] = ['none', 'open', 'closed'];

/** How far process_meetings has got with a meeting; anything but idle holds the meeting's lock. */
export type WorkerStage = 'idle' | 'version-read' | 'check-pending' | 'check-activity' | 'deactivate';
export const WORKER_STAGES: readonly WorkerStage[] = ['idle', 'version-read', 'check-pending', 'check-activity', 'deactivate'];

export interface TabFields {
  phase: Phase;
  /** meeting id (1-based), 0 = none */
  meeting: number;
  /** ticks left before the handshake must be over (phase handshaking) */
  handshake: number;
  /** the Daily presence API reports this tab's participant */
  visible: boolean;
  /** ticks left for presence to catch up, while `visible` differs from being in the call */
  lag: number;
  session: Session;
  /** participant.joined / participant.left webhooks sent by Daily, not yet delivered or lost */
  joinedHook: boolean;
  leftHook: boolean;
  /** this tab's Redis pending_join key: ticks of TTL left, -1 = no key */
  pendingJoin: number;
  /** the meeting's running presence poll saw this participant */
  seenByPoll: boolean;
}

export const Tab = Record<TabFields>({
  phase: 'idle',
  meeting: 0,
  handshake: 0,
  visible: false,
  lag: 0,
  session: 'none',
  joinedHook: false,
  leftHook: false,
  pendingJoin: -1,
  seenByPoll: false,
});
export type Tab = RecordOf<TabFields>;
export const EMPTY_TAB: Tab = Tab();

export interface MeetingFields {
  active: boolean;
  /** "Had sessions" = any row at all in daily_participant_sessions */
  hadSessions: boolean;
  worker: WorkerStage;
  /** a poll_daily_room_presence holds this meeting's poll lock, between its read and its write */
  pollRunning: boolean;
  /** queued polls: ticks until each may run, ascending */
  polls: List<number>;
  /** grace-period design: ticks since the last session change, capped at the grace bound */
  quiet: number;
  /** version-check design: a join attempt happened since process_meetings read the counter */
  joinedSinceVersionRead: boolean;
}

export const Meeting = Record<MeetingFields>({
  active: true,
  hadSessions: false,
  worker: 'idle',
  pollRunning: false,
  polls: List<number>(),
  quiet: 0,
  joinedSinceVersionRead: false,
});
export type Meeting = RecordOf<MeetingFields>;

export interface StateFields {
  /** user u (0-based) owns slots u*tabs .. u*tabs+tabs-1 */
  tabs: List<Tab>;
  /** meeting id k at index k-1; null = forgotten (inactive and referenced by nothing) */
  meetings: List<Meeting | null>;
}

export const State = Record<StateFields>({ tabs: List<Tab>(), meetings: List<Meeting | null>() });
export type State = RecordOf<StateFields>;

export function initialState(users: number, tabsPerUser: number): State {
  return State({ tabs: List(Array.from({ length: users * tabsPerUser }, () => EMPTY_TAB)), meetings: List() });
}

export function inCall(t: Tab): boolean {
  return t.phase === 'connected' || t.phase === 'joined';
}

export function isOpen(t: Tab): boolean {
  return t.phase !== 'idle';
}

/** The one active meeting's id, or 0. */
export function activeMeeting(s: State): number {
  const i = s.meetings.findIndex((m) => m !== null && m.active);
  return i + 1;
}

/**
 * Drops what can no longer influence anything: a closed tab whose participant
 * Daily, the DB, Redis and the poll have all forgotten frees its slot; an
 * inactive meeting that nothing refers to is forgotten (process_meetings only
 * looks at active meetings, get-or-create only returns an active one). This is
 * what keeps quick rejoins unbounded while the state space stays finite.
 */
export function tidy(s: State): State {
  let tabs = s.tabs;
  tabs.forEach((t, i) => {
    if (t.meeting !== 0 && t.phase === 'idle' && !t.visible && t.session !== 'open' && !t.joinedHook && !t.leftHook
      && t.pendingJoin < 0 && !t.seenByPoll) {
      tabs = tabs.set(i, EMPTY_TAB);
    }
  });
  let meetings = s.meetings;
  meetings.forEach((m, i) => {
    if (m === null || m.active || m.worker !== 'idle' || m.pollRunning || m.polls.size > 0) return;
    if (tabs.some((t) => t.meeting === i + 1)) return;
    meetings = meetings.set(i, null);
  });
  while (meetings.size > 0 && meetings.last() === null) meetings = meetings.pop();
  if (tabs === s.tabs && meetings === s.meetings) return s;
  return s.merge({ tabs, meetings });
}
