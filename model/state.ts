// The state of one Reflector room: users' tab slots, meetings (each with its
// own Daily room), and what Daily, the DB, Redis and the workers know of them.
// Time is not a clock but the counters below, so the state space is finite.
import { hash, is, List } from 'immutable';
import { NO_POLLS, type PollQueue } from './polls.ts';

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



export interface TabFields {
  readonly phase: Phase;
  /** meeting id (1-based), 0 = none */
  readonly meeting: number;
  /** ticks left before the handshake must be over (phase handshaking) */
  readonly handshake: number;
  /** the Daily presence API reports this tab's participant */
  readonly visible: boolean;
  /** ticks left for presence to catch up, while `visible` differs from being in the call */
  readonly lag: number;
  /**
   * The tab's row in daily_participant_sessions is open (left_at null). A
   * closed row and no row read the same to every reader; "had sessions" is
   * kept on the meeting.
   */
  readonly sessionOpen: boolean;
  /**
   * A participant.left webhook sent by Daily, not yet delivered or lost (only
   * where its handler does more than queue a poll: the shipped fix).
   */
  readonly leftHook: boolean;
  /** this tab's Redis pending_join key: ticks of TTL left, -1 = no key */
  readonly pendingJoin: number;
  /** the meeting's running presence poll saw this participant */
  readonly seenByPoll: boolean;
}

export interface MeetingFields {
  readonly active: boolean;
  /** "Had sessions" = any row at all in daily_participant_sessions */
  readonly hadSessions: boolean;
  /**
   * process_meetings' progress on this meeting: 0 = not running; k = its
   * first k reads are done (k = all of them: the is_active write is next).
   * Anything but 0 holds the meeting's lock.
   */
  readonly worker: number;
  /** a poll_daily_room_presence holds this meeting's poll lock, between its read and its write */
  readonly pollRunning: boolean;
  /** queued polls, counted per remaining delay (see polls.ts) */
  readonly polls: PollQueue;
  /** grace-period design: ticks since the last session change, capped at the grace bound */
  readonly quiet: number;
  /** version-check design: a join attempt happened since process_meetings read the counter */
  readonly joinedSinceVersionRead: boolean;
}

export interface StateFields {
  /** user u (0-based) owns slots u*tabs .. u*tabs+tabs-1 */
  readonly tabs: List<Tab>;
  /** meeting id k at index k-1; null = forgotten (inactive and referenced by nothing) */
  readonly meetings: List<Meeting | null>;
}

/**
 * An immutable record with plain-property reads. Immutable.js Records read
 * each field through a List lookup, which was a third of the checker's time;
 * these implement Immutable's value-object protocol (equals, hashCode), so
 * they sit in Immutable Lists and compare by value like Records do.
 */
abstract class Value<F extends object> {
  protected abstract fresh(): this;

  set<K extends keyof F>(key: K, value: F[K]): this {
    if ((this as unknown as F)[key] === value) return this;
    const copy = Object.assign(this.fresh(), this);
    (copy as unknown as Record<keyof F, unknown>)[key] = value;
    return copy;
  }

  merge(patch: Partial<F>): this {
    let changed = false;
    for (const k in patch) if ((this as unknown as F)[k] !== patch[k]) changed = true;
    return changed ? Object.assign(this.fresh(), this, patch) : this;
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof Value) || other.constructor !== this.constructor) return false;
    for (const k of Object.keys(this)) {
      if (!is((this as Record<string, unknown>)[k], (other as unknown as Record<string, unknown>)[k])) return false;
    }
    return true;
  }

  hashCode(): number {
    let h = 0;
    for (const k of Object.keys(this)) h = (Math.imul(h, 31) + hash((this as Record<string, unknown>)[k])) | 0;
    return h;
  }

  toJS(): F {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this)) {
      const v = (this as Record<string, unknown>)[k];
      out[k] = v !== null && typeof v === 'object' && 'toJS' in v ? (v as { toJS(): unknown }).toJS() : v;
    }
    return out as F;
  }
}

export class Tab extends Value<TabFields> implements TabFields {
  readonly phase: Phase = 'idle';
  readonly meeting: number = 0;
  readonly handshake: number = 0;
  readonly visible: boolean = false;
  readonly lag: number = 0;
  readonly sessionOpen: boolean = false;
  readonly leftHook: boolean = false;
  readonly pendingJoin: number = -1;
  readonly seenByPoll: boolean = false;
  protected fresh(): this {
    return Object.create(Tab.prototype);
  }
}
export const EMPTY_TAB = new Tab();

export class Meeting extends Value<MeetingFields> implements MeetingFields {
  readonly active: boolean = true;
  readonly hadSessions: boolean = false;
  readonly worker: number = 0;
  readonly pollRunning: boolean = false;
  readonly polls: PollQueue = NO_POLLS;
  readonly quiet: number = 0;
  readonly joinedSinceVersionRead: boolean = false;
  protected fresh(): this {
    return Object.create(Meeting.prototype);
  }
}
export const NEW_MEETING = new Meeting();
/** what the model keeps of a deactivated meeting: nothing but that it is inactive */
export const INACTIVE_MEETING = NEW_MEETING.set('active', false);

export class State extends Value<StateFields> implements StateFields {
  readonly tabs: List<Tab> = List<Tab>();
  readonly meetings: List<Meeting | null> = List<Meeting | null>();
  protected fresh(): this {
    return Object.create(State.prototype);
  }
}

export function initialState(users: number, tabsPerUser: number): State {
  return new State().set('tabs', List(Array.from({ length: users * tabsPerUser }, () => EMPTY_TAB)));
}

export function inCall(t: Tab): boolean {
  return t.phase === 'connected' || t.phase === 'joined';
}

export function isOpen(t: Tab): boolean {
  return t.phase !== 'idle';
}

/** Whether some tab slot satisfies `test` (List.some, without its iterator: guards run on every state). */
export function someTab(s: State, test: (t: Tab) => boolean): boolean {
  for (let i = 0; i < s.tabs.size; i++) if (test(s.tabs.get(i)!)) return true;
  return false;
}

/** The one active meeting's id, or 0. */
export function activeMeeting(s: State): number {
  for (let i = 0; i < s.meetings.size; i++) if (s.meetings.get(i)?.active === true) return i + 1;
  return 0;
}

/**
 * Drops what can no longer influence anything, so that states differing only
 * there are one state:
 * - an inactive meeting is never read again (process_meetings only looks at
 *   active meetings, get-or-create only returns an active one, no property
 *   reads its sessions or presence): its polls, sessions, presence, webhooks
 *   and pending joins are forgotten; its tabs keep only their phase;
 * - a closed tab whose participant Daily, the DB, Redis and the poll have all
 *   forgotten frees its slot (this keeps quick rejoins unbounded);
 * - an inactive meeting that no tab refers to is forgotten.
 */
export function tidy(s: State): State {
  let tabs = s.tabs;
  let meetings = s.meetings;
  for (let i = 0; i < meetings.size; i++) {
    const m = meetings.get(i);
    if (m == null || m.active || m === INACTIVE_MEETING) continue;
    meetings = meetings.set(i, INACTIVE_MEETING);
  }
  for (let i = 0; i < tabs.size; i++) {
    let t = tabs.get(i)!;
    if (t.meeting === 0) continue;
    const m = meetings.get(t.meeting - 1)!;
    // (presence is set to agree with the call, so no catch-up deadline holds time back)
    if (!m.active) t = EMPTY_TAB.merge({ phase: t.phase, meeting: t.meeting, handshake: t.handshake, visible: inCall(t) });
    if (t.phase === 'idle' && !t.visible && !t.sessionOpen && !t.leftHook
      && t.pendingJoin < 0 && !t.seenByPoll) {
      t = EMPTY_TAB;
    }
    if (t !== tabs.get(i)) tabs = tabs.set(i, t);
  }
  for (let i = 0; i < meetings.size; i++) {
    if (meetings.get(i) !== INACTIVE_MEETING) continue;
    let used = false;
    for (let j = 0; j < tabs.size && !used; j++) used = tabs.get(j)!.meeting === i + 1;
    if (!used) meetings = meetings.set(i, null);
  }
  while (meetings.size > 0 && meetings.last() === null) meetings = meetings.pop();
  if (tabs === s.tabs && meetings === s.meetings) return s;
  return s.merge({ tabs, meetings });
}
