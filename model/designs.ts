// The designs: one model, each design a small set of switches over it, as
// plain data. The built-in designs below are written the way a user writes a
// design file (`--design-file`, cli/design-file.ts): a name, a summary, an
// optional `base` design whose switches it starts from, and the switches it
// changes; readDesign() checks them all the same way. Each switch names the
// sentence of PRESENCE_RACE_DESIGN_DOC.md ("doc") or REAL_SYSTEM.md ("real")
// it stands for.
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
   *   per-meeting Redis lock, so they are one step with respect to
   *   deactivation, while the lock holds (see lock-lost).
   * 'in-transaction': the check and the write are one DB transaction on the
   *   meeting's row, and so is the deactivation (deactivation
   *   'conditional'): atomic whatever happens to any Redis lock.
   */
  readonly checksActive: 'never' | 'then-write' | 'under-meeting-lock' | 'in-transaction';
  /** real: "The shipped frontend only logs a warning when /joining fails and goes on"; 'retry': ask for the meeting again */
  readonly onRefused: 'proceed' | 'retry';
  /**
   * what /joining refuses: real, "refuses (400) when the meeting is no longer
   * active"; 'had-sessions': also once the meeting has a recorded session (a
   * lockout: the negative control of the liveness properties)
   */
  readonly refuses?: 'inactive' | 'had-sessions';
  /** doc: "On /joined endpoint or timeout: pending_joins.delete" */
  readonly joinedDeletesKey: boolean;
  /** doc: "Redis with TTL (30s expiry)"; 'db': a row in a DB table, with an expiry column (no key to lose) */
  readonly store: 'redis' | 'db';
  /** the open tab refreshes its reservation's expiry while it lives, so only a closed tab's reservation expires */
  readonly refresh: boolean;
  /** a presence poll that sees the tab's participant clears its reservation (presence now speaks for it) */
  readonly pollClears: boolean;
}

/** What a reservation is when a design file leaves a field out: the doc's option B. */
export const DEFAULT_RESERVATION: Reservation = {
  key: 'per-user',
  checksActive: 'never',
  onRefused: 'proceed',
  joinedDeletesKey: true,
  store: 'redis',
  refresh: false,
  pollClears: false,
};

/**
 * One read of process_meetings, in the order a design does them before it
 * writes is_active = false; any read can end the run with "keep".
 * 'sessions': real, main branch "reads DB sessions; has_active = any open session".
 * 'presence-else-sessions': doc, get_room_presence, and "falls back to DB sessions when the API fails".
 * 'presence-else-skip': doc, "fail loudly": on API error, skip the meeting.
 * 'presence-second-look': presence, skipping on API error, and going on only
 *   when an earlier run also saw the room empty, more than `lag` ticks ago,
 *   with no look since that saw someone (a flap lasts at most `lag` ticks).
 * 'pending-joins': doc option B, "if pending: ... skipping deactivation".
 * 'recent-activity': doc option A, skip while there was activity in the last `grace` ticks.
 * 'join-counter': doc option C, read the join counter; deactivate only if it is unchanged.
 * The sessions / presence read also decides "had sessions" (keep a meeting nobody ever joined).
 */
export type PmRead =
  | 'sessions'
  | 'presence-else-sessions'
  | 'presence-else-skip'
  | 'presence-second-look'
  | 'pending-joins'
  | 'recent-activity'
  | 'join-counter';
export const PM_READS: readonly PmRead[] = [
  'sessions',
  'presence-else-sessions',
  'presence-else-skip',
  'presence-second-look',
  'pending-joins',
  'recent-activity',
  'join-counter',
];

/** The switches of a design: what a design file may set. */
export interface Switches {
  /** process_meetings' reads, in order, before it deactivates (under its per-meeting lock) */
  readonly processMeetings: readonly PmRead[];
  /** doc option B and the shipped fix: /joining reservations */
  readonly reservation: Reservation | null;
  /** real (shipped): "/joined ... inserts an active DB session directly" */
  readonly joinedInsertsSession: boolean;
  /** real (shipped): /leave "closes the DB session directly when the session id is known"; participant.left closes it, then polls later */
  readonly leaveClosesSession: boolean;
  /**
   * How process_meetings writes is_active = false. real: "Deactivation sets
   * is_active = false" ('write'); 'conditional': one conditional DB update
   * that does nothing while a reservation of the meeting lives (serialized
   * with /joining's transaction: reservation 'in-transaction'), or, with the
   * second look, once a look has seen someone since the first empty one.
   */
  readonly deactivation: 'write' | 'conditional' | 'conditional-fenced';
  /**
   * Outside the presence protocol, get-or-create. real: "`get_active` returns
   * only meetings with `end_date > now`" and a settings change makes a new
   * meeting ('by-end-date': see the fault meeting-rollover); 'keeps-occupied':
   * it hands out the active meeting whatever its end_date, moving the
   * end_date on, and applies new settings from the next meeting on.
   */
  readonly getOrCreate: 'by-end-date' | 'keeps-occupied';
  /**
   * Outside the presence protocol, the owner's "end meeting". real: "The
   * owner's `PATCH /meetings/{id}/deactivate` sets `is_active = false`"
   * ('deactivate': see the fault owner-deactivate); 'ends-call': it first
   * deletes the meeting's Daily room (everyone in the call is dropped, and no
   * handshake gets in), then deactivates it; the dropped tabs ask for the
   * meeting again.
   */
  readonly ownerDeactivate: 'deactivate' | 'ends-call';
}

export interface Design extends Switches {
  readonly name: string;
  readonly summary: string;
}

/** A design as written: a name, a summary, an optional base design, and the switches it sets (a reservation may leave fields out). */
export interface DesignSource extends Partial<Omit<Switches, 'reservation'>> {
  readonly name: string;
  readonly summary?: string;
  readonly base?: string;
  readonly reservation?: Partial<Reservation> | null;
}

/** What every switch is when neither the design nor its base sets it: the main branch. */
export const DEFAULT_SWITCHES: Switches = {
  processMeetings: ['sessions'],
  reservation: null,
  joinedInsertsSession: false,
  leaveClosesSession: false,
  deactivation: 'write',
  getOrCreate: 'by-end-date',
  ownerDeactivate: 'deactivate',
};

/** Each switch, its values, and what it means, for design files' errors and the README. */
export const SWITCH_DOCS: Readonly<Record<keyof Switches, string>> = {
  processMeetings: `a list of process_meetings' reads, in order (${PM_READS.join(', ')})`,
  reservation:
    'null, or { key: per-user | per-tab, checksActive: never | then-write | under-meeting-lock | in-transaction, ' +
    "onRefused: proceed | retry, refuses: inactive | had-sessions, joinedDeletesKey, refresh, pollClears: true | false, store: redis | db } (fields left out: as the base design's, else option B's)",
  joinedInsertsSession: 'true | false: /joined inserts an open DB session',
  leaveClosesSession: 'true | false: /leave and participant.left close the DB session directly',
  deactivation:
    "write | conditional | conditional-fenced: process_meetings' final write, plain, or a conditional update that does nothing while a reservation lives " +
    '(or, with the second look, once someone has been seen since the first empty look), or one that also does nothing once a look has seen ' +
    'someone since this run decided (its second look), whatever looks came after',
  getOrCreate:
    'by-end-date | keeps-occupied: get-or-create hands out only meetings whose end_date has not passed, or the active one whatever its end_date',
  ownerDeactivate: "deactivate | ends-call: the owner's end-meeting only deactivates, or first deletes the meeting's Daily room",
};

export const BUILT_IN_DESIGNS: readonly DesignSource[] = [
  {
    name: 'current',
    summary: 'main branch: process_meetings deactivates when the DB has no open session',
  },
  {
    name: 'current-presence-api',
    summary: "the doc's process_meetings: presence API first, DB sessions when the API fails",
    processMeetings: ['presence-else-sessions'],
  },
  {
    name: 'fail-loudly',
    summary: 'presence API; on API failure skip deactivation instead of reading the DB',
    processMeetings: ['presence-else-skip'],
  },
  {
    name: 'grace-period',
    summary: "doc option A: the doc's process_meetings, skipping meetings with activity in the last G ticks",
    processMeetings: ['presence-else-sessions', 'recent-activity'],
  },
  {
    name: 'version-check',
    summary: 'doc option C: a join counter read before the presence check must be unchanged at deactivation',
    processMeetings: ['join-counter', 'presence-else-sessions'],
  },
  {
    name: 'pending-joins',
    summary: 'doc option B as written: /joining writes a TTL key, /joined deletes it, process_meetings skips while one exists',
    processMeetings: ['presence-else-sessions', 'pending-joins'],
    reservation: { key: 'per-user', checksActive: 'never', onRefused: 'proceed', joinedDeletesKey: true, store: 'redis' },
  },
  {
    name: 'shipped',
    summary: 'the fix branch: option B with per-tab keys, direct session writes, and a frontend that joins even when /joining is refused',
    processMeetings: ['sessions', 'pending-joins'],
    reservation: { key: 'per-tab', checksActive: 'then-write', onRefused: 'proceed', joinedDeletesKey: true, store: 'redis' },
    joinedInsertsSession: true,
    leaveClosesSession: true,
  },
  {
    name: 'fixed-ttl',
    base: 'pending-joins',
    summary:
      'option B, with /joining checked under the meeting lock (refused: ask again), keys left to expire, pending joins read before presence, no DB fallback',
    processMeetings: ['pending-joins', 'presence-else-skip'],
    reservation: { key: 'per-user', checksActive: 'under-meeting-lock', onRefused: 'retry', joinedDeletesKey: false, store: 'redis' },
  },
  {
    name: 'fixed',
    base: 'fixed-ttl',
    summary:
      "reservations as DB rows, written in /joining's transaction with the is_active check, refreshed by the open tab and cleared by " +
      'a poll that sees it; process_meetings goes on only after two empty looks at presence across a lag window, and deactivates ' +
      'by one conditional update that does nothing while a reservation lives or once any look has seen someone since; the tab asks ' +
      "again on any non-200; and, outside the protocol, get-or-create keeps handing out the occupied meeting, and the owner's " +
      'end-meeting deletes the Daily room first',
    processMeetings: ['presence-second-look'],
    reservation: { checksActive: 'in-transaction', store: 'db', refresh: true, pollClears: true },
    deactivation: 'conditional-fenced',
    // outside the presence protocol: what meeting-rollover and owner-deactivate need
    getOrCreate: 'keeps-occupied',
    ownerDeactivate: 'ends-call',
  },
  {
    name: 'refuse-latecomers',
    base: 'fixed',
    summary:
      'fixed, but /joining also refuses once the meeting has a recorded session: safe by locking latecomers out ' +
      '(a negative control: the liveness property latecomer-joins must catch it)',
    reservation: { refuses: 'had-sessions' },
  },
];

const SWITCH_NAMES = Object.keys(DEFAULT_SWITCHES) as (keyof Switches)[];
const RESERVATION_VALUES = {
  key: ['per-user', 'per-tab'],
  checksActive: ['never', 'then-write', 'under-meeting-lock', 'in-transaction'],
  onRefused: ['proceed', 'retry'],
  refuses: ['inactive', 'had-sessions'],
  joinedDeletesKey: [true, false],
  store: ['redis', 'db'],
  refresh: [true, false],
  pollClears: [true, false],
} as const;

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a design as written and resolves it against the designs it may
 * build on (its `base`): the design, or one message naming the first problem
 * (an unknown switch or value, a missing name, an unknown base).
 */
export function readDesign(source: unknown, known: readonly Design[]): Design | string {
  if (!isObject(source)) return 'a design is a mapping: name, summary, base, and switches';
  const { name, summary, base, ...switches } = source;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/i.test(name)) return '`name` must be a word (letters, digits, -)';
  if (summary !== undefined && typeof summary !== 'string') return '`summary` must be text';
  let from: Switches = DEFAULT_SWITCHES;
  if (base !== undefined) {
    const found = known.find((d) => d.name === base);
    if (found === undefined) return `unknown base design ${show(base)} (designs: ${known.map((d) => d.name).join(', ')})`;
    from = found;
  }
  const out: Record<string, unknown> = { ...pickSwitches(from) };
  for (const [key, value] of Object.entries(switches)) {
    if (!SWITCH_NAMES.includes(key as keyof Switches)) {
      return `unknown switch '${key}' (switches: ${SWITCH_NAMES.join(', ')}; and name, summary, base)`;
    }
    const problem = switchProblem(key as keyof Switches, value);
    if (problem !== null) return `${key}: ${problem} (${SWITCH_DOCS[key as keyof Switches]})`;
    // a reservation's fields left out are its base's, else option B's
    out[key] = key === 'reservation' && value !== null ? { ...(from.reservation ?? DEFAULT_RESERVATION), ...(value as object) } : value;
  }
  return { name, summary: summary ?? (base !== undefined ? `${String(base)}, changed` : 'a design'), ...(out as unknown as Switches) };
}

function pickSwitches(d: Switches): Switches {
  return Object.fromEntries(SWITCH_NAMES.map((k) => [k, d[k]])) as unknown as Switches;
}

function switchProblem(key: keyof Switches, value: unknown): string | null {
  switch (key) {
    case 'processMeetings': {
      if (!Array.isArray(value) || value.length === 0) return `expected a non-empty list, got ${show(value)}`;
      const bad = value.find((r) => !PM_READS.includes(r as PmRead));
      if (bad !== undefined) return `${show(bad)} is not a read`;
      if (new Set(value).size !== value.length) return 'a read is listed twice';
      if (value.length > 7) return 'at most 7 reads';
      return null;
    }
    case 'reservation': {
      if (value === null) return null;
      if (!isObject(value)) return `expected null or a mapping, got ${show(value)}`;
      for (const k of Object.keys(value)) if (!(k in RESERVATION_VALUES)) return `unknown field '${k}'`;
      for (const [k, allowed] of Object.entries(RESERVATION_VALUES)) {
        if (k in value && !(allowed as readonly unknown[]).includes(value[k]))
          return `${k} must be one of ${allowed.map(show).join(', ')} (got ${show(value[k])})`;
      }
      return null;
    }
    case 'joinedInsertsSession':
    case 'leaveClosesSession':
      return typeof value === 'boolean' ? null : `expected true or false, got ${show(value)}`;
    case 'deactivation':
      return value === 'write' || value === 'conditional' || value === 'conditional-fenced'
        ? null
        : `expected write, conditional or conditional-fenced, got ${show(value)}`;
    case 'getOrCreate':
      return value === 'by-end-date' || value === 'keeps-occupied' ? null : `expected by-end-date or keeps-occupied, got ${show(value)}`;
    case 'ownerDeactivate':
      return value === 'deactivate' || value === 'ends-call' ? null : `expected deactivate or ends-call, got ${show(value)}`;
  }
}

/** The built-in designs, resolved in order (each may build on the ones before it). */
export const DESIGNS: readonly Design[] = (() => {
  const done: Design[] = [];
  for (const source of BUILT_IN_DESIGNS) {
    const d = readDesign(source, done);
    if (typeof d === 'string') throw new Error(`model/designs.ts: ${source.name}: ${d}`);
    done.push(d);
  }
  return done;
})();

export const DESIGN_NAMES: readonly string[] = DESIGNS.map((d) => d.name);

export function designByName(name: string): Design | undefined {
  return DESIGNS.find((d) => d.name === name);
}

export const tracksActivity = (d: Switches) => d.processMeetings.includes('recent-activity');
export const countsJoins = (d: Switches) => d.processMeetings.includes('join-counter');

/** The bounds that only time things (beside users, tabs and presence lag, which every design reads). */
export type TimingBound = 'handshake' | 'pollDelay' | 'ttl' | 'leftPollDelay' | 'grace';

/**
 * The timing bounds a design's actions read, so the ones its verdict may
 * depend on: derived from its switches (the actions read each bound only
 * where the switch says), so a new design gets them right by itself.
 */
export function timingBoundsOf(design: Switches): readonly TimingBound[] {
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
  /**
   * Where the matrix's timing sweeps are centred so that they show it flip
   * both ways (a small cell where it holds by one tick), and the values tried
   * beside the centre's, where they differ from the matrix's usual ones
   */
  readonly sweep: { readonly centre: Partial<Bounds>; readonly values: Partial<Record<keyof Bounds, readonly number[]>> } | null;
}

/**
 * The timing assumption a design rests on, derived from its switches (null
 * when it states none):
 * - a reservation the open tab refreshes lives as long as the tab does, if
 *   each refresh comes before the expiry (however long the join takes);
 * - a reservation that /joined does not delete stands for a join until
 *   presence shows it, so it must outlive the longest handshake plus
 *   presence's lag;
 * - a session /joined inserts survives the poll /joined queues (real: the
 *   poll "closes every open session the API does not report") only if
 *   presence shows the user before that poll runs.
 */
export function timingAssumptionOf(design: Switches): TimingAssumption | null {
  if (design.reservation?.refresh === true) {
    // the model keeps an open tab's reservation at its full TTL (actions/time.ts)
    return { text: 'a joining tab refreshes its reservation before it expires', bounds: [], holds: () => true, sweep: null };
  }
  if (design.reservation !== null && !design.reservation.joinedDeletesKey) {
    return {
      text: 'ttl > handshake + lag',
      bounds: ['ttl', 'handshake', 'lag'],
      holds: (b) => b.ttl > b.handshake + b.lag,
      // 2 users at lag 0, handshake 1, ttl 2 holds by one tick (2 > 1 + 0), and every cell one
      // tick away finishes (0.5M states or fewer); poll delays 0-1, not 5 (over 2M states here):
      // the TTL, not the polls, carries the argument
      sweep: {
        centre: { users: 2, lag: 0, handshake: 1, ttl: 2 },
        values: { handshake: [0, 2], pollDelay: [0, 1], ttl: [1, 3], lag: [1] },
      },
    };
  }
  if (design.joinedInsertsSession) {
    return { text: 'lag < poll-delay', bounds: ['lag', 'pollDelay'], holds: (b) => b.lag < b.pollDelay, sweep: null };
  }
  return null;
}
