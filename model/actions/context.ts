// What every action of the presence model is built from: the design's
// switches, the bounds, the parameter lists, and the small state helpers the
// guards and effects share. Each group of actions (client.ts, daily.ts,
// polls.ts, process-meetings.ts, time.ts) takes a Context and returns its
// actions, each with its guard, its effect, and its own words: what a step
// did (describe), why it is not enabled (explain), and how it travels in a
// sequence diagram (arrow).
import type { ActionDef, Arrow, Params, TraceStep } from '../../checker/index.ts';
import type { Bounds } from '../bounds.ts';
import { tracksActivity, type Design } from '../designs.ts';
import { faultByName, type FaultName } from '../faults.ts';
import { enqueue } from '../polls.ts';
import { isOpen, NEW_MEETING, type Meeting, type Phase, type State, type Tab } from '../state.ts';

export interface UserParams extends Params {
  readonly user: number;
}
export interface TabParams extends Params {
  readonly user: number;
  readonly tab: number;
}
export interface HookParams extends TabParams {
  readonly event: 'participant.left';
}
export interface MeetingParams extends Params {
  readonly meeting: number;
}

export type Act<P extends Params> = ActionDef<State, P>;

export const userName = (u: number) => `u${u}`;
export const meetingName = (m: number) => `M${m}`;
export const tabName = (user: number, tab: number) => `u${user}#${tab}`;

/** The lanes of the sequence diagram: one per user (a user's tabs share it), then the backend's parts. */
export const BACKEND = 'B',
  WORKER = 'W',
  DAILY = 'D',
  STORE = 'R';
export const userLane = (u: number) => `U${u}`;
export const arrow = (from: string, style: 'request' | 'reply' | 'lost', to: string): Arrow => ({ from, to, style });

export function buildContext(design: Design, b: Bounds, faults: ReadonlySet<FaultName>, settles = false) {
  const res = design.reservation;
  /**
   * What an action of the environment (a user opening or closing a tab, a
   * Daily API error, a lost webhook, a fault) declares for liveness: with
   * `settles`, it is taken only finitely often (the environment settles in
   * the end; a liveness counterexample cannot repeat it forever), else
   * nothing (it may recur forever, and a behaviour may also never take it).
   */
  const environment: { readonly fairness?: 'finite' } = settles ? { fairness: 'finite' } : {};
  /** whether a fault is in force for this run (asked for, and able to touch this design) */
  const fault = (name: FaultName) => faults.has(name) && faultByName(name)!.applies(design);
  const users: UserParams[] = Array.from({ length: b.users }, (_, u) => ({ user: u + 1 }));
  const tabs: TabParams[] = users.flatMap(({ user }) => Array.from({ length: b.tabs }, (_, t) => ({ user, tab: t + 1 })));
  const hooks: HookParams[] = tabs.map((t) => ({ ...t, event: 'participant.left' as const }));
  /** every meeting id a state can use: one more than the tab slots (a new one while each slot holds another) */
  const meetings: MeetingParams[] = Array.from({ length: b.users * b.tabs + 1 }, (_, m) => ({ meeting: m + 1 }));
  /**
   * `list`'s bindings for a state's meetings, `per` of them for each meeting
   * id in order: each prefix is made once, as the checker asks on every state
   */
  const perMeeting = <P>(list: readonly P[], per: number) => {
    const prefixes = Array.from({ length: meetings.length + 1 }, (_, n) => list.slice(0, per * n));
    return (s: State): readonly P[] => prefixes[s.meetings.length];
  };
  /** the meetings of a state as bindings */
  const meetingsIn = perMeeting(meetings, 1);

  const slot = (p: TabParams) => (p.user - 1) * b.tabs + (p.tab - 1);
  const userOfSlot = (i: number) => Math.floor(i / b.tabs) + 1;
  const labelOf = (i: number) => tabName(userOfSlot(i), (i % b.tabs) + 1);
  const tabOf = (s: State, i: number): Tab => s.tabs[i];
  const meetingOf = (s: State, id: number): Meeting => s.meetings[id - 1]!;

  /** index of the user's open tab, or -1 (a user has at most one open tab) */
  const openTab = (s: State, user: number): number => {
    for (let t = 0; t < b.tabs; t++) if (isOpen(tabOf(s, (user - 1) * b.tabs + t))) return (user - 1) * b.tabs + t;
    return -1;
  };
  /** the phase of the user's open tab, or null */
  const openPhase = (s: State, user: number): Phase | null => {
    const i = openTab(s, user);
    return i < 0 ? null : tabOf(s, i).phase;
  };
  const freeSlot = (s: State, user: number): number => {
    for (let t = 0; t < b.tabs; t++) if (tabOf(s, (user - 1) * b.tabs + t).meeting === 0) return (user - 1) * b.tabs + t;
    return -1;
  };

  const setTab = (s: State, i: number, f: (t: Tab) => Tab): State => s.withTab(i, f(tabOf(s, i)));
  const setMeeting = (s: State, id: number, f: (m: Meeting) => Meeting): State => s.withMeeting(id, f(meetingOf(s, id)));
  const queuePoll = (m: Meeting, delay: number): Meeting => m.set('polls', enqueue(m.polls, delay));
  /** a session row was written: "had sessions", and activity for the grace period */
  const sessionWritten = (m: Meeting): Meeting => m.with({ hadSessions: true, quiet: 0 });
  const newMeeting = () => NEW_MEETING.set('quiet', tracksActivity(design) ? b.grace : 0);
  const startHandshake = (t: Tab): Tab => t.with({ phase: 'handshaking', handshake: b.handshake });
  /** process_meetings' reads done once a run has made its second look (its decision), or 0 without one */
  const decidedAt = design.processMeetings.indexOf('presence-second-look') + 1;
  const fenced = design.deactivation === 'conditional-fenced' && decidedAt > 0;
  /**
   * A look at presence (a poll's or a run's) saw someone: the second-look
   * count restarts, and (conditional-fenced) a run that has already decided
   * will find, in its update, that someone was seen since (the row's
   * last_seen_at is later than the time it passes).
   */
  const sighting = (m: Meeting): Meeting =>
    fenced
      ? m.with({
          emptyLook: -1,
          seenSinceDecision: m.seenSinceDecision || m.worker >= decidedAt,
          staleSeenSinceDecision: m.staleSeenSinceDecision || m.staleWorker >= decidedAt,
        })
      : m.set('emptyLook', -1);

  /** The user's tab a user step acted on: the open one before the step, else the one after (a new tab). */
  const actingTab = (from: State, to: State, user: number): number => {
    const before = openTab(from, user);
    return before >= 0 ? before : openTab(to, user);
  };

  /** pending_join:M1:u1 (a per-user Redis key), pending_join:M1:u1#2 (per-tab), or reservation(M1, u1#2) (a DB row) */
  const keyName = (meeting: number, i: number) =>
    res?.store === 'db'
      ? `reservation(${meetingName(meeting)}, ${labelOf(i)})`
      : `pending_join:${meetingName(meeting)}:${res?.key === 'per-tab' ? labelOf(i) : userName(userOfSlot(i))}`;

  /** The state the last step of a trace left. */
  const last = (trace: readonly TraceStep<State>[]): State => trace[trace.length - 1].state;

  return {
    design,
    b,
    res,
    fault,
    environment,
    users,
    tabs,
    hooks,
    meetings,
    meetingsIn,
    perMeeting,
    slot,
    userOfSlot,
    labelOf,
    tabOf,
    meetingOf,
    openTab,
    openPhase,
    freeSlot,
    setTab,
    setMeeting,
    queuePoll,
    sessionWritten,
    newMeeting,
    startHandshake,
    sighting,
    fenced,
    decidedAt,
    actingTab,
    keyName,
    last,
  };
}

export type Context = ReturnType<typeof buildContext>;
