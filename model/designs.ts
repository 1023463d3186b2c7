// The designs: one model, each design a small set of switches over it.
// Each switch names the sentence of PRESENCE_RACE_DESIGN_DOC.md ("doc") or
// REAL_SYSTEM.md ("real") it stands for.
import type { Bounds } from './bounds.ts';

export interface Reservation {
  /** doc: `pending_join:{meeting_id}:{user_id}`; real (shipped): one key per browser tab */
  readonly key: 'per-user' | 'per-tab';
  /**
   * How /joining treats a meeting that is no longer active.
   * 'never': doc, /joining "Creates Redis key with 30s TTL, Returns 200 OK".
   * 'then-write': real, "The server refuses (400) when the meeting is no
   *   longer active": the check and the key write are separate awaits.
   * 'under-meeting-lock': the check and the write hold process_meetings'
   *   per-meeting lock, so they are one step with respect to deactivation.
   */
  readonly checksActive: 'never' | 'then-write' | 'under-meeting-lock';
  /** real: "The shipped frontend only logs a warning when /joining fails and goes on"; 'retry': ask for the meeting again */
  readonly onRefused: 'proceed' | 'retry';
  /** doc: "On /joined endpoint or timeout: pending_joins.delete" */
  readonly joinedDeletesKey: boolean;
}

/**
 * One read of process_meetings, in the order a design does them before it
 * writes is_active = false; any read can end the run with "keep".
 * 'sessions': real, main branch "reads DB sessions; has_active = any open session".
 * 'presence-else-sessions': doc, get_room_presence, and "falls back to DB sessions when the API fails".
 * 'presence-else-skip': doc, "fail loudly": on API error, skip the meeting.
 * 'pending-joins': doc option B, "if pending: ... skipping deactivation".
 * 'recent-activity': doc option A, skip while there was activity in the last `grace` ticks.
 * 'join-counter': doc option C, read the join counter; deactivate only if it is unchanged.
 * The sessions / presence read also decides "had sessions" (keep a meeting nobody ever joined).
 */
export type PmRead = 'sessions' | 'presence-else-sessions' | 'presence-else-skip' | 'pending-joins' | 'recent-activity' | 'join-counter';

export interface Design {
  readonly name: string;
  readonly summary: string;
  /** process_meetings' reads, in order, before it deactivates (under its per-meeting lock) */
  readonly processMeetings: readonly PmRead[];
  /** doc option B and the shipped fix: /joining reservations */
  readonly reservation: Reservation | null;
  /** real (shipped): "/joined ... inserts an active DB session directly" */
  readonly joinedInsertsSession: boolean;
  /** real (shipped): /leave "closes the DB session directly when the session id is known"; participant.left closes it, then polls later */
  readonly leaveClosesSession: boolean;
}

const base = {
  processMeetings: ['sessions'],
  reservation: null,
  joinedInsertsSession: false,
  leaveClosesSession: false,
} as const;

const optionB: Reservation = { key: 'per-user', checksActive: 'never', onRefused: 'proceed', joinedDeletesKey: true };

export const DESIGNS: readonly Design[] = [
  {
    ...base,
    name: 'current',
    summary: 'main branch: process_meetings deactivates when the DB has no open session',
  },
  {
    ...base,
    name: 'current-presence-api',
    summary: "the doc's process_meetings: presence API first, DB sessions when the API fails",
    processMeetings: ['presence-else-sessions'],
  },
  {
    ...base,
    name: 'fail-loudly',
    summary: 'presence API; on API failure skip deactivation instead of reading the DB',
    processMeetings: ['presence-else-skip'],
  },
  {
    ...base,
    name: 'grace-period',
    summary: "doc option A: the doc's process_meetings, skipping meetings with activity in the last G ticks",
    processMeetings: ['presence-else-sessions', 'recent-activity'],
  },
  {
    ...base,
    name: 'version-check',
    summary: 'doc option C: a join counter read before the presence check must be unchanged at deactivation',
    processMeetings: ['join-counter', 'presence-else-sessions'],
  },
  {
    ...base,
    name: 'pending-joins',
    summary: "doc option B as written: /joining writes a TTL key, /joined deletes it, process_meetings skips while one exists",
    processMeetings: ['presence-else-sessions', 'pending-joins'],
    reservation: optionB,
  },
  {
    ...base,
    name: 'shipped',
    summary: 'the fix branch: option B with per-tab keys, direct session writes, and a frontend that joins even when /joining is refused',
    processMeetings: ['sessions', 'pending-joins'],
    reservation: { key: 'per-tab', checksActive: 'then-write', onRefused: 'proceed', joinedDeletesKey: true },
    joinedInsertsSession: true,
    leaveClosesSession: true,
  },
  {
    ...base,
    name: 'fixed',
    summary: 'option B, with /joining checked under the meeting lock (refused: ask again), keys left to expire, pending joins read before presence, no DB fallback',
    processMeetings: ['pending-joins', 'presence-else-skip'],
    reservation: { key: 'per-user', checksActive: 'under-meeting-lock', onRefused: 'retry', joinedDeletesKey: false },
  },
];

export const DESIGN_NAMES: readonly string[] = DESIGNS.map((d) => d.name);

export function designByName(name: string): Design | undefined {
  return DESIGNS.find((d) => d.name === name);
}

export const tracksActivity = (d: Design) => d.processMeetings.includes('recent-activity');
export const countsJoins = (d: Design) => d.processMeetings.includes('join-counter');

/** The bounds that only time things (beside users, tabs and presence lag, which every design reads). */
export type TimingBound = 'handshake' | 'pollDelay' | 'ttl' | 'leftPollDelay' | 'grace';

/**
 * The timing bounds a design's actions read, so the ones its verdict may
 * depend on: derived from its switches (model/actions.ts reads each bound
 * only where the switch says), so a new design gets them right by itself.
 */
export function timingBoundsOf(design: Design): readonly TimingBound[] {
  return [
    'handshake', // every tab's WebRTC handshake
    'pollDelay', // every design's /joined and /leave queue a poll
    ...(design.reservation !== null ? (['ttl'] as const) : []),
    ...(design.leaveClosesSession ? (['leftPollDelay'] as const) : []),
    ...(tracksActivity(design) ? (['grace'] as const) : []),
  ];
}

/** A timing assumption a design's argument rests on, as a condition on the bounds. */
export interface TimingAssumption {
  /** e.g. 'ttl > handshake + lag' (bounds by their flag names) */
  readonly text: string;
  /** the bounds it mentions */
  readonly bounds: readonly (keyof Bounds)[];
  readonly holds: (bounds: Bounds) => boolean;
}

const TIMING_ASSUMPTIONS: Readonly<Record<string, TimingAssumption>> = {
  // real: /joined "inserts an active DB session directly, and queues a
  // presence poll 3 s later"; the poll "closes every open session the API
  // does not report": the session survives only if presence (0-500 ms lag)
  // shows the user before that poll runs
  shipped: { text: 'lag < poll-delay', bounds: ['lag', 'pollDelay'], holds: (b) => b.lag < b.pollDelay },
  // the key stands for a join until presence shows it: it must outlive the
  // longest handshake plus presence's lag (keys are never deleted, see the
  // design's summary)
  fixed: { text: 'ttl > handshake + lag', bounds: ['ttl', 'handshake', 'lag'], holds: (b) => b.ttl > b.handshake + b.lag },
};

/** The timing assumption a design rests on, or null when it states none. */
export function timingAssumptionOf(design: Design): TimingAssumption | null {
  return TIMING_ASSUMPTIONS[design.name] ?? null;
}
