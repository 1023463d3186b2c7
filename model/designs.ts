// The designs: one model, each design a set of switches over it, as plain
// data. The built-in designs below are written the way a user writes a
// design file (`--design-file`, cli/design-file.ts): a name, a summary, an
// optional `base` design whose switches it starts from, and the switches it
// changes; readDesign() checks them all the same way, and refuses a
// combination that means nothing or cannot work, naming the clashing
// switches. Each switch names the sentence of PRESENCE_RACE_DESIGN_DOC.md
// ("doc") or REAL_SYSTEM.md ("real") it stands for.
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
   *   meeting's row (SELECT … FOR UPDATE), and so is the deactivation:
   *   atomic whatever happens to any Redis lock (needs store 'db').
   */
  readonly checksActive: 'never' | 'then-write' | 'under-meeting-lock' | 'in-transaction';
  /** real: "The shipped frontend only logs a warning when /joining fails and goes on"; 'retry': ask for the meeting again */
  readonly onRefused: 'proceed' | 'retry';
  /**
   * what /joining refuses: real, "refuses (400) when the meeting is no longer
   * active"; 'had-sessions': also once the meeting has a recorded session (a
   * lockout: the negative control of the liveness properties)
   */
  readonly refuses: 'inactive' | 'had-sessions';
  /** doc: "On /joined endpoint or timeout: pending_joins.delete" */
  readonly joinedDeletesKey: boolean;
  /** doc: "Redis with TTL (30s expiry)"; 'db': a row in a DB table, with an expiry column (no key to lose) */
  readonly store: 'redis' | 'db';
  /** the open tab refreshes its reservation's expiry while it lives (a heartbeat), so only a closed tab's reservation expires */
  readonly refresh: boolean;
  /**
   * Whether a presence poll that sees a participant clears a reservation.
   * Daily's presence returns participants (id, userName), not tabs: 'per-user'
   * clears every reservation of the user it names; 'per-tab' clears the
   * seen tab's only, which the poll can tell only when /joined bound the
   * Daily participant id to the tab (joinedBindsParticipant); 'none'.
   */
  readonly pollClears: 'none' | 'per-user' | 'per-tab';
}

/** What a reservation is when a design file leaves a field out: the doc's option B. */
export const DEFAULT_RESERVATION: Reservation = {
  key: 'per-user',
  checksActive: 'never',
  onRefused: 'proceed',
  refuses: 'inactive',
  joinedDeletesKey: true,
  store: 'redis',
  refresh: false,
  pollClears: 'none',
};

/**
 * One read of process_meetings, in the order a design does them before it
 * writes is_active = false; any read can end the run with "keep".
 * 'sessions': real, main branch "reads DB sessions; has_active = any open session".
 * 'presence-else-sessions': doc, get_room_presence, and "falls back to DB sessions when the API fails".
 * 'presence-else-skip': doc, "fail loudly": on API error, skip the meeting.
 * 'presence-second-look': presence, skipping on API error, and going on only
 *   when an earlier look also saw the room empty (empty_since), more than
 *   `lag` ticks ago, with no look since that saw someone.
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
/** The reads that decide whether anyone is there: a run makes exactly one of them. */
export const OCCUPANCY_READS: readonly PmRead[] = ['sessions', 'presence-else-sessions', 'presence-else-skip', 'presence-second-look'];

/** The switches of a design: what a design file may set. */
export interface Switches {
  /** process_meetings' reads, in order, before it deactivates (under its per-meeting lock) */
  readonly processMeetings: readonly PmRead[];
  /**
   * How a second look (presence-second-look) reaches the DB. 'atomic': the
   * presence read, the empty_since / sighting write and the "more than lag
   * ago" judgement are one step (the grain the project checked until now);
   * 'statements': the presence read (an HTTP call) is one step, the DB write
   * that records it another, and the final UPDATE judges "more than lag ago"
   * at its own now(), as the SQL does.
   */
  readonly look: 'atomic' | 'statements';
  /** doc option B and the shipped fix: /joining reservations */
  readonly reservation: Reservation | null;
  /** real (shipped): "/joined ... inserts an active DB session directly" */
  readonly joinedInsertsSession: boolean;
  /** real (shipped): /leave "closes the DB session directly when the session id is known"; participant.left closes it, then polls later */
  readonly leaveClosesSession: boolean;
  /** /joined records the tab's Daily participant id, so a poll can tell which tab a participant it sees is */
  readonly joinedBindsParticipant: boolean;
  /** real: a poll's DB writes (sessions, reservations cleared, the sighting) in one transaction, or each apart */
  readonly pollWrites: 'one-transaction' | 'separate';
  /**
   * How process_meetings writes is_active = false. real: "Deactivation sets
   * is_active = false" ('write'); 'conditional': one conditional UPDATE that
   * does nothing while a reservation of the meeting lives (serialized with
   * /joining's transaction), or, with the second look, while the first empty
   * look is not more than `lag` old or a look has seen someone since it;
   * 'conditional-fenced': also nothing once a look has seen someone since
   * this run decided (`last_seen_at < :decided_at`), whatever other runs did.
   */
  readonly deactivation: 'write' | 'conditional' | 'conditional-fenced';
  /**
   * What becomes of a deactivated meeting's Daily room. real: "The Daily room
   * is not deleted at once (it lives until its own expiry)" ('never');
   * 'after-deactivation': the deactivating run then deletes it (DELETE
   * /rooms/{name}; a failed call is retried by the next run); 'before-next-meeting':
   * the same, and until the room is gone the meeting is 'closing' and
   * get-or-create answers 503 instead of making the next meeting.
   */
  readonly roomDeletion: 'never' | 'after-deactivation' | 'before-next-meeting';
  /**
   * Outside the presence protocol, get-or-create. real: "`get_active` returns
   * only meetings with `end_date > now`" and a settings change makes a new
   * meeting ('by-end-date': see the fault meeting-rollover); 'keeps-occupied':
   * it hands out the active meeting whatever its end_date, moving the
   * end_date on, and applies new settings from the next meeting on.
   */
  readonly getOrCreate: 'by-end-date' | 'keeps-occupied';
  /**
   * A partial unique index: one active meeting per room (and, with
   * roomDeletion 'before-next-meeting', one active or closing meeting), rooms
   * with allow_duplicated aside. real: "Nothing in the schema forbids two
   * active meetings in one room." With it, a second INSERT fails and
   * get-or-create reads the meeting that holds the index.
   */
  readonly oneActiveIndex: boolean;
  /**
   * Outside the presence protocol, the owner's "end meeting". real: "The
   * owner's `PATCH /meetings/{id}/deactivate` sets `is_active = false`"
   * ('deactivate'); 'ejects': first POST /rooms/{name}/eject (everyone in
   * the call is dropped, a handshake in progress still gets in), then the
   * UPDATE; 'ends-call': first deletes the Daily room (everyone dropped, no
   * handshake gets in), then the UPDATE. Where the design deletes a
   * deactivated meeting's room (roomDeletion), the UPDATE makes the meeting
   * 'closing' as process_meetings' does, and its room is deleted the same
   * way. Dropped tabs ask for the meeting again.
   */
  readonly ownerDeactivate: 'deactivate' | 'ejects' | 'ends-call';
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
  look: 'atomic',
  reservation: null,
  joinedInsertsSession: false,
  leaveClosesSession: false,
  joinedBindsParticipant: false,
  pollWrites: 'one-transaction',
  deactivation: 'write',
  roomDeletion: 'never',
  getOrCreate: 'by-end-date',
  oneActiveIndex: false,
  ownerDeactivate: 'deactivate',
};

/** Each switch's values, where they are a list (reservation and processMeetings have their own checks). */
const SWITCH_VALUES = {
  look: ['atomic', 'statements'],
  joinedInsertsSession: [true, false],
  leaveClosesSession: [true, false],
  joinedBindsParticipant: [true, false],
  pollWrites: ['one-transaction', 'separate'],
  deactivation: ['write', 'conditional', 'conditional-fenced'],
  roomDeletion: ['never', 'after-deactivation', 'before-next-meeting'],
  getOrCreate: ['by-end-date', 'keeps-occupied'],
  oneActiveIndex: [true, false],
  ownerDeactivate: ['deactivate', 'ejects', 'ends-call'],
} as const satisfies Partial<Record<keyof Switches, readonly unknown[]>>;

export const RESERVATION_VALUES = {
  key: ['per-user', 'per-tab'],
  checksActive: ['never', 'then-write', 'under-meeting-lock', 'in-transaction'],
  onRefused: ['proceed', 'retry'],
  refuses: ['inactive', 'had-sessions'],
  joinedDeletesKey: [true, false],
  store: ['redis', 'db'],
  refresh: [true, false],
  pollClears: ['none', 'per-user', 'per-tab'],
} as const satisfies Record<keyof Reservation, readonly unknown[]>;

/** Each switch and what it means, for design files' errors, `designs` and the docs. */
export const SWITCH_DOCS: Readonly<Record<keyof Switches, string>> = {
  processMeetings: `process_meetings' reads before its UPDATE, in order: at most one of ${OCCUPANCY_READS.join(', ')} (none: the conditional UPDATE alone decides); any of pending-joins, recent-activity; join-counter first if at all`,
  look: "atomic | statements: a second look's presence read and its DB write as one step, or as the HTTP call and the SQL statements apart",
  reservation:
    'null, or { key: per-user | per-tab, checksActive: never | then-write | under-meeting-lock | in-transaction, onRefused: proceed | retry, ' +
    'refuses: inactive | had-sessions, joinedDeletesKey, refresh: true | false, store: redis | db, pollClears: none | per-user | per-tab } ' +
    "(fields left out: as the base design's, else option B's)",
  joinedInsertsSession: 'true | false: /joined inserts an open DB session',
  leaveClosesSession: 'true | false: /leave and participant.left close the DB session directly',
  joinedBindsParticipant: "true | false: /joined records the tab's Daily participant id (a poll can then tell tabs apart)",
  pollWrites: "one-transaction | separate: a poll's DB writes in one transaction, or each apart",
  deactivation:
    "write | conditional | conditional-fenced: process_meetings' final write, plain, or a conditional UPDATE that does nothing while a reservation " +
    'lives (or, with the second look, unless the first empty look is more than lag old with nobody seen since), or one that also does nothing ' +
    'once a look has seen someone since this run decided',
  roomDeletion:
    "never | after-deactivation | before-next-meeting: a deactivated meeting's Daily room lives on, is deleted after the deactivation, " +
    'or is deleted before get-or-create may make the next meeting (503 meanwhile)',
  getOrCreate:
    'by-end-date | keeps-occupied: get-or-create hands out only meetings whose end_date has not passed, or the active one whatever its end_date',
  oneActiveIndex:
    "true | false: a partial unique index allows one active meeting per room (one active or closing, with roomDeletion 'before-next-meeting')",
  ownerDeactivate:
    "deactivate | ejects | ends-call: the owner's end-meeting only deactivates (with roomDeletion: closes, as process_meetings does), " +
    'ejects everyone from the call first, or deletes the Daily room first',
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
    name: 'two-looks',
    base: 'fixed-ttl',
    summary:
      "the project's previous fix, unchanged: reservations as DB rows in /joining's transaction, refreshed by the open tab and cleared by the " +
      "poll that sees the tab; two empty looks at presence across a lag window; a conditional deactivation fenced by the run's decision; " +
      "get-or-create keeps the occupied meeting; the owner's end-meeting deletes the Daily room first",
    processMeetings: ['presence-second-look'],
    reservation: { checksActive: 'in-transaction', store: 'db', refresh: true, pollClears: 'per-tab' },
    // the charitable reading of "the presence poll that first sees the participant deletes it": the poll knows the tab
    joinedBindsParticipant: true,
    deactivation: 'conditional-fenced',
    getOrCreate: 'keeps-occupied',
    ownerDeactivate: 'ends-call',
  },
  {
    name: 'two-looks-sql',
    base: 'two-looks',
    summary:
      'two-looks as the previous README worded it, statement for statement: the presence read, then `empty_since = COALESCE(empty_since, ' +
      "now())`, then the UPDATE that judges `empty_since < now() - :lag` at its own now(); the poll's session, reservation and " +
      '`last_seen_at` writes in separate transactions; the poll clearing "the user\'s" reservation by what Daily names (the user, not the tab)',
    look: 'statements',
    pollWrites: 'separate',
    joinedBindsParticipant: false,
    reservation: { pollClears: 'per-user' },
  },
  {
    name: 'fixed',
    summary:
      "the main branch with five changes: a reservation, a DB row written in /joining's transaction with the is_active check and kept " +
      "alive by the open tab's heartbeat until it closes (the tab asks again on any answer but 200); process_meetings closes a meeting by " +
      "one conditional UPDATE that does nothing while a reservation lives; a closed meeting's Daily room is deleted before the next meeting " +
      'can be made (the meeting is closing until then, and get-or-create answers 503); and a partial unique index keeps one active (or ' +
      'closing) meeting per room',
    processMeetings: [],
    reservation: {
      key: 'per-tab',
      checksActive: 'in-transaction',
      onRefused: 'retry',
      refuses: 'inactive',
      joinedDeletesKey: false,
      store: 'db',
      refresh: true,
      pollClears: 'none',
    },
    deactivation: 'conditional',
    roomDeletion: 'before-next-meeting',
    oneActiveIndex: true,
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

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a design as written and resolves it against the designs it may
 * build on (its `base`): the design, or one message naming the first problem
 * (an unknown switch or value, a missing name, an unknown base, switches
 * that clash).
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
  const resolved = {
    name,
    summary: summary ?? (base !== undefined ? `${String(base)}, changed` : 'a design'),
    ...(out as unknown as Switches),
  };
  const clash = designClash(resolved);
  return clash === null ? resolved : `${name}: ${clash}`;
}

function pickSwitches(d: Switches): Switches {
  return Object.fromEntries(SWITCH_NAMES.map((k) => [k, d[k]])) as unknown as Switches;
}

function switchProblem(key: keyof Switches, value: unknown): string | null {
  if (key === 'processMeetings') {
    if (!Array.isArray(value)) return `expected a list, got ${show(value)}`;
    const bad = value.find((r) => !PM_READS.includes(r as PmRead));
    if (bad !== undefined) return `${show(bad)} is not a read`;
    if (new Set(value).size !== value.length) return 'a read is listed twice';
    return null;
  }
  if (key === 'reservation') {
    if (value === null) return null;
    if (!isObject(value)) return `expected null or a mapping, got ${show(value)}`;
    for (const k of Object.keys(value)) if (!(k in RESERVATION_VALUES)) return `unknown field '${k}'`;
    for (const [k, allowed] of Object.entries(RESERVATION_VALUES)) {
      if (k in value && !(allowed as readonly unknown[]).includes(value[k]))
        return `${k} must be one of ${allowed.map(show).join(', ')} (got ${show(value[k])})`;
    }
    return null;
  }
  const allowed = SWITCH_VALUES[key] as readonly unknown[];
  return allowed.includes(value) ? null : `expected ${allowed.map((v) => String(v)).join(' or ')}, got ${show(value)}`;
}

/**
 * Switches that mean nothing together, or cannot work: the first such pair,
 * named, or null. Every design the reader accepts builds a model that runs
 * (specs/model/designs.test.ts walks them).
 */
/** What a presence poll writes, one write per kind. */
export type PollWrite = 'sessions' | 'reservations' | 'sighting';

export function pollWritesOf(design: Switches): readonly PollWrite[] {
  return [
    'sessions',
    ...(design.reservation !== null && design.reservation.pollClears !== 'none' ? (['reservations'] as const) : []),
    // at statement grain the sighting is the poll's own write (UPDATE meeting SET last_seen_at = now(), empty_since = NULL);
    // with an atomic look it happens at the read
    ...(design.processMeetings.includes('presence-second-look') && design.look === 'statements' ? (['sighting'] as const) : []),
  ];
}

export function designClash(d: Switches): string | null {
  const reads = d.processMeetings;
  const res = d.reservation;
  const occupancy = reads.filter((r) => OCCUPANCY_READS.includes(r));
  if (occupancy.length > 1)
    return `processMeetings reads who is there twice (${occupancy.join(' and ')}): one of ${OCCUPANCY_READS.join(', ')} at most`;
  if (occupancy.length === 0 && !(res !== null && (d.deactivation !== 'write' || reads.includes('pending-joins'))))
    return "processMeetings reads nobody's presence or sessions: only reservations can then tell an occupied meeting (a reservation, read by pending-joins or by a conditional deactivation)";
  if (reads.includes('join-counter') && reads[0] !== 'join-counter')
    return 'processMeetings: join-counter is read before anything else (doc option C: the counter read before the presence check)';
  if (reads.includes('pending-joins') && res === null)
    return 'processMeetings reads pending-joins, but reservation is null: there are none to read';
  const secondLook = reads.includes('presence-second-look');
  if (d.look === 'statements' && !secondLook)
    return "look: 'statements' is the grain of presence-second-look, which processMeetings does not read";
  if (d.deactivation === 'conditional' && res === null && !secondLook)
    return "deactivation: 'conditional' is conditional on a reservation or a second look, and the design has neither";
  if (d.deactivation === 'conditional-fenced' && !secondLook)
    return "deactivation: 'conditional-fenced' fences on the run's decision at its second look, and processMeetings has no presence-second-look";
  if (res !== null) {
    if (res.checksActive === 'in-transaction' && res.store !== 'db')
      return "reservation: checksActive 'in-transaction' needs store 'db' (a Redis key is not written in a DB transaction)";
    if (res.refuses === 'had-sessions' && res.checksActive === 'never')
      return "reservation: refuses 'had-sessions' needs a /joining that checks (checksActive is 'never')";
    if (res.pollClears === 'per-tab' && !d.joinedBindsParticipant)
      return "reservation: pollClears 'per-tab' needs joinedBindsParticipant (Daily's presence names participants, not tabs)";
  }
  if (d.joinedBindsParticipant && res?.pollClears !== 'per-tab')
    return "joinedBindsParticipant: the binding is read only by a poll that clears per tab (reservation.pollClears 'per-tab')";
  if (d.pollWrites === 'separate' && pollWritesOf(d).length < 2)
    return "pollWrites: 'separate' splits a poll's writes, but this design's poll writes only its sessions (nothing to clear, no sighting to record at statement grain)";
  return null;
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
export const hasSecondLook = (d: Switches) => d.processMeetings.includes('presence-second-look');
/** the design deletes Daily rooms (its own deactivation, or the owner's end-meeting) */
export const deletesRooms = (d: Switches) => d.roomDeletion !== 'never' || d.ownerDeactivate === 'ends-call';

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
 * when it states none; a refreshed reservation's timing is the guarantee the
 * fault refresh-fails lifts, faults.ts):
 * - a reservation that /joined does not delete and nobody refreshes stands
 *   for a join until presence shows it, so it must outlive the longest
 *   handshake plus presence's lag;
 * - a session /joined inserts survives the poll /joined queues (real: the
 *   poll "closes every open session the API does not report") only if
 *   presence shows the user before that poll runs.
 */
export function timingAssumptionOf(design: Switches): TimingAssumption | null {
  if (design.reservation !== null && !design.reservation.refresh && !design.reservation.joinedDeletesKey) {
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
  // (only where process_meetings reads sessions: elsewhere the inserted session decides nothing)
  const readsSessions = design.processMeetings.includes('sessions') || design.processMeetings.includes('presence-else-sessions');
  if (design.joinedInsertsSession && readsSessions) {
    return { text: 'lag < poll-delay', bounds: ['lag', 'pollDelay'], holds: (b) => b.lag < b.pollDelay, sweep: null };
  }
  return null;
}
