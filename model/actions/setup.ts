// What a run is, worked out once: the design, the bounds, the faults in
// force and their bounds, the packing of its states, its parameter lists,
// and the small questions about a state that many actions ask ("which tab
// of u1 is open?"). Every action definition receives it; none closes over
// anything else.
import type { Params } from '../../checker/index.ts';
import type { Bounds } from '../bounds.ts';
import { deletesRooms, hasSecondLook, type Design, type Reservation } from '../designs.ts';
import type { FaultBounds, FaultName } from '../faults.ts';
import type { RunShape } from '../fields.ts';
import { isOpen, Layout, type Phase, type ReadTab, type State } from '../state.ts';
import { pmStepsOf, pollWritesOf, type PmStep, type PollWrite } from './steps.ts';

export interface UserParams extends Params {
  readonly user: number;
}
export interface TabParams extends Params {
  readonly user: number;
  readonly tab: number;
}
export interface MeetingParams extends Params {
  readonly meeting: number;
}
/** A step of a process_meetings run: on which meeting, and (lock-lost) which run: 2 is the one that lost its lock. */
export interface RunParams extends Params {
  readonly meeting: number;
  readonly run: number;
}

export interface Setup {
  readonly design: Design;
  readonly b: Bounds;
  readonly layout: Layout;
  readonly res: Reservation | null;
  /** whether a fault is in force in this run (asked for, and able to touch the design: faults.ts faultsInForce) */
  readonly fault: (name: FaultName) => boolean;
  readonly faultBounds: FaultBounds;
  /** liveness is checked, and the environment settles (its actions are taken only finitely often) */
  readonly settles: boolean;
  readonly users: readonly UserParams[];
  readonly tabs: readonly TabParams[];
  readonly meetings: readonly MeetingParams[];
  /** process_meetings' runs: run 1 per meeting, and run 2 (the one that lost its lock) with lock-lost */
  readonly runs: readonly RunParams[];
  /** process_meetings' steps, in order (steps.ts) */
  readonly pmSteps: readonly PmStep[];
  /** a poll's DB writes after its read (steps.ts) */
  readonly pollWrites: readonly PollWrite[];
  /** process_meetings' progress once a run has made its decision (its second look), or 0 without one */
  readonly decidedAt: number;
  readonly secondLook: boolean;
  readonly deletesRooms: boolean;
  /** properties to judge even where a fault in force lifts their premise (properties.ts PREMISES) */
  readonly judge: ReadonlySet<string>;
}

export function buildSetup(
  design: Design,
  b: Bounds,
  inForce: readonly FaultName[],
  faultBounds: FaultBounds,
  settles: boolean,
  judge: readonly string[] = [],
  reduce = true,
): Setup {
  const forced = new Set(inForce);
  const pmSteps = pmStepsOf(design);
  const pollWrites = pollWritesOf(design);
  const run: RunShape = {
    bounds: b,
    design,
    faults: forced,
    flapTicks: faultBounds.flapTicks,
    flaps: faultBounds.flaps,
    pmSteps: pmSteps.length,
    pollWrites: design.pollWrites === 'separate' ? pollWrites.length : 1,
    reduce,
  };
  const users = Array.from({ length: b.users }, (_, u) => Object.freeze({ user: u + 1 }));
  const tabs = users.flatMap(({ user }) => Array.from({ length: b.tabs }, (_, t) => Object.freeze({ user, tab: t + 1 })));
  const meetings = Array.from({ length: b.users * b.tabs + 1 }, (_, m) => Object.freeze({ meeting: m + 1 }));
  const runs = meetings.flatMap(({ meeting }) =>
    forced.has('lock-lost')
      ? [Object.freeze({ meeting, run: 1 }), Object.freeze({ meeting, run: 2 })]
      : [Object.freeze({ meeting, run: 1 })],
  );
  const decisionStep = pmSteps.findIndex((s) => s.kind === 'read' && s.read === 'presence-second-look');
  return {
    design,
    b,
    layout: new Layout(run),
    res: design.reservation,
    fault: (name) => forced.has(name),
    faultBounds,
    settles,
    users,
    tabs,
    meetings,
    runs,
    pmSteps,
    pollWrites,
    decidedAt: decisionStep + 1,
    secondLook: hasSecondLook(design),
    deletesRooms: deletesRooms(design),
    judge: new Set(judge),
  };
}

// Names, as traces and scenarios write them.
export const userName = (u: number) => `u${u}`;
export const meetingName = (m: number) => `M${m}`;
export const tabName = (user: number, tab: number) => `u${user}#${tab}`;

/** The lanes of the sequence diagram: one per user (a user's tabs share it), then the backend's parts. */
export const BACKEND = 'B',
  WORKER = 'W',
  DAILY = 'D',
  STORE = 'R';
export const userLane = (u: number) => `U${u}`;

// Questions about a state that many actions ask.

export const slotOf = (c: Setup, p: TabParams) => (p.user - 1) * c.b.tabs + (p.tab - 1);
export const userOfSlot = (c: Setup, i: number) => Math.floor(i / c.b.tabs) + 1;
export const labelOf = (c: Setup, i: number) => tabName(userOfSlot(c, i), (i % c.b.tabs) + 1);

/** The slot of the user's open tab, or -1 (a user has at most one open tab). */
export function openSlot(c: Setup, s: State, user: number): number {
  const first = (user - 1) * c.b.tabs;
  for (let i = first; i < first + c.b.tabs; i++) if (isOpen(s.tab(i))) return i;
  return -1;
}

/** The user's open tab, or null. */
export function openTab(c: Setup, s: State, user: number): ReadTab | null {
  const i = openSlot(c, s, user);
  return i < 0 ? null : s.tab(i);
}

export function openPhase(c: Setup, s: State, user: number): Phase | null {
  return openTab(c, s, user)?.phase ?? null;
}

/** A slot of the user's that nothing remembers (an empty word), for a new tab; -1 when every slot is open or lingers. */
export function freeSlot(c: Setup, s: State, user: number): number {
  const first = (user - 1) * c.b.tabs;
  for (let i = first; i < first + c.b.tabs; i++) if (s.w[i] === 0) return i;
  return -1;
}

/** The tab slots of meeting `id`. */
export function slotsOfMeeting(s: State, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.layout.slots; i++) if (s.tab(i).meeting === id) out.push(i);
  return out;
}

/** Whether some tab of meeting `id` satisfies `test`. */
export function someTabOf(s: State, id: number, test: (t: ReadTab) => boolean): boolean {
  for (let i = 0; i < s.layout.slots; i++) {
    const t = s.tab(i);
    if (t.meeting === id && test(t)) return true;
  }
  return false;
}

/** Whether some tab slot satisfies `test`. */
export function someTab(s: State, test: (t: ReadTab) => boolean): boolean {
  for (let i = 0; i < s.layout.slots; i++) if (test(s.tab(i))) return true;
  return false;
}

/** Whether a meeting's Daily room can still be joined: it exists, and has not been deleted. */
export function roomOpen(s: State, id: number): boolean {
  const m = s.meeting(id);
  return m !== null && !m.roomGone;
}

/** The state the last step of a trace left. */
export const lastOf = <S>(trace: readonly { readonly state: S }[]): S => trace[trace.length - 1].state;
