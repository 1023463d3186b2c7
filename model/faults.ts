// The infrastructure's failures, as switches of a run (`--faults`), each off
// unless asked for, and each as strong as the real stack makes it: a fault
// adds the steps the real system can take when it happens (or lifts a bound
// the model otherwise keeps), with no limit on how long or how often unless
// a bound is asked for (`--flap-ticks`, `--flaps`), and then the bound is an
// assumption every verdict names. Each quotes the sentence of REAL_SYSTEM.md
// ("real") it stands for, and each has a witness that it happened in the
// run, so that a fault that never fires makes the run vacuous, as an action
// that never fires does. What a fault takes away is a guarantee the verdict
// would otherwise rest on: `guarantee` says it.
import { deletesRooms, type Switches } from './designs.ts';
import { pmStepsOf } from './actions/steps.ts';

export type FaultName =
  | 'slow-join'
  | 'lock-lost'
  | 'key-lost'
  | 'presence-flap'
  | 'joining-error'
  | 'webhook-dup'
  | 'meeting-rollover'
  | 'owner-deactivate'
  | 'refresh-fails'
  | 'direct-join'
  | 'create-lock-lost'
  | 'clock-skew';

export interface Fault {
  readonly name: FaultName;
  /** what may happen, in a line */
  readonly summary: string;
  /** the sentence of REAL_SYSTEM.md it stands for */
  readonly source: string;
  /** what a run without it assumes */
  readonly guarantee: string;
  /** whether a design has anything the fault can touch (a Redis key to lose, a /joining to fail) */
  readonly applies: (design: Switches) => boolean;
}

const always = () => true;

export const FAULTS: readonly Fault[] = [
  {
    name: 'slow-join',
    summary:
      "no upper bound on the time from /joining until presence shows the participant (the handshake and presence's catch-up may outlast their bounds)",
    source:
      'real: "The interval a pending-join key must cover ... runs from /joining\'s SETEX until Daily\'s presence shows the participant ... It has no upper bound."',
    guarantee: 'a join shows in presence within handshake + lag ticks',
    applies: always,
  },
  {
    name: 'lock-lost',
    summary: "process_meetings' per-meeting lock may be lost at any point of a run; the run goes on, and another may start",
    source: 'real: "It is a *lease*: a background task extends it, and gives up silently on an error; there is no fencing token."',
    guarantee: "process_meetings' per-meeting Redis lock is a mutex",
    // a run that is one statement holds its lock across nothing
    applies: (d) => pmStepsOf(d).length > 1,
  },
  {
    name: 'key-lost',
    summary: 'Redis may drop a pending-join key before its TTL',
    source:
      'real: "Redis keys can vanish early: restart without persistence, failover with asynchronous replication, `volatile-*` eviction (keys with a TTL first)."',
    guarantee: 'Redis keeps a pending-join key for its whole TTL',
    applies: (d) => d.reservation !== null && d.reservation.store === 'redis',
  },
  {
    name: 'presence-flap',
    summary: 'presence may stop showing a connected participant at any time, for any number of ticks, any number of times a connection',
    source:
      'real: "Daily\'s presence can stop showing a connected participant during a network blip or a reconnect." "Nothing bounds how long a ' +
      'reconnecting participant is hidden, nor how often; an incident that answers 200 with an empty list hides everyone at once."',
    guarantee: 'presence never hides a connected participant',
    applies: always,
  },
  {
    name: 'joining-error',
    summary: '/joining may fail (5xx, timeout, network error) before or after its write; the tab sees only "not 200"',
    source: 'real: "a design that refuses must say what the client does on every non-200 answer (400, 5xx, lock timeout, network error)."',
    guarantee: '/joining answers 200 or 400',
    applies: (d) => d.reservation !== null,
  },
  {
    name: 'webhook-dup',
    summary: 'Daily may deliver a webhook twice',
    source:
      'real: "webhooks participant.joined / participant.left that arrive late, can be lost, and can be reordered" (and, like any webhook sender, retried)',
    guarantee: 'each webhook is delivered at most once',
    applies: always,
  },
  {
    name: 'meeting-rollover',
    summary:
      "get-or-create may make a new meeting while the active one is still occupied (its 8-hour end_date passed, or the room's settings changed)",
    source:
      'real: "`get_active` returns only meetings with `end_date > now` ... After 8 h, get-or-create makes a new meeting while the old one is still active and occupied." "A change of the room\'s settings also makes a new meeting."',
    guarantee: 'get-or-create hands out the active meeting while there is one',
    // (with the unique index the new meeting's INSERT fails, and get-or-create reads the old one)
    applies: (d) => d.getOrCreate === 'by-end-date' && !d.oneActiveIndex,
  },
  {
    name: 'owner-deactivate',
    summary: "the room's owner may end the active meeting at any time",
    source: 'real: "The owner\'s `PATCH /meetings/{id}/deactivate` sets `is_active = false` with no lock and no look at pending joins."',
    guarantee: 'only process_meetings deactivates a meeting',
    applies: always,
  },
  {
    name: 'refresh-fails',
    summary:
      "an open tab's reservation refresh may fail or be throttled for longer than the TTL, so its reservation lapses while the tab is open or joining",
    source:
      'real: "The frontend refreshes anything periodic with browser timers, which background tabs throttle (to once a minute or less)." ' +
      '(and the tab may be offline to Reflector but not to Daily, or the API down for longer than the TTL)',
    guarantee: "an open tab's reservation refresh lands before the reservation expires",
    applies: (d) => d.reservation?.refresh === true,
  },
  {
    name: 'direct-join',
    summary: "anyone with a meeting's Daily room URL may join it without /joining, for as long as the room exists",
    source:
      'real: "a room is created `public` unless the Reflector room is locked, with `exp` = the meeting\'s `end_date` (8 h): anyone with the URL ' +
      'can join it directly, without `/joining`, until then, and daily-js rejoins by itself after a dropped connection."',
    guarantee: 'nobody joins a Daily room without /joining',
    // a tab holds a room's URL without being in its call only where something stands between the two: a /joining
    // (a reservation), or an answer that turns the tab away (a deleted room, an eject, a 503); elsewhere every join
    // already goes straight to Daily, and the fault adds nothing
    applies: (d) => d.reservation !== null || deletesRooms(d) || d.ownerDeactivate === 'ejects',
  },
  {
    name: 'create-lock-lost',
    summary: "get-or-create's lock lease may lapse while it creates a meeting, so two get-or-creates may both create one",
    source:
      'real: "The get-or-create lease (30 s) covers a Daily room creation that can take 10 s and a DB insert; when it lapses, a second ' +
      'get-or-create can create a second meeting. Nothing in the schema forbids two active meetings in one room."',
    guarantee: 'get-or-create is atomic (its own 30 s lock lease holds)',
    applies: always,
  },
  {
    name: 'clock-skew',
    summary:
      "the worker's clock and the DB's may differ by less than a tick, so a timestamp written in the same tick as another may compare either way",
    source:
      "real: \"In Postgres `now()` is the transaction's start time; `clock_timestamp()` the statement's. A value computed in the worker comes " +
      "from the worker's clock, which can differ from the DB's.\"",
    guarantee: "the worker's clock and the DB's agree",
    // only a design that compares a worker's timestamp with the DB's (the fence's `last_seen_at < :decided_at`) can be touched
    applies: (d) => d.deactivation === 'conditional-fenced',
  },
];

export const FAULT_NAMES: readonly FaultName[] = FAULTS.map((f) => f.name);

export function faultByName(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}

/** The witness of a fault: it happened in the run. */
export const faultWitness = (name: FaultName) => `fault:${name}`;

/** Bounds on a fault, when asked for; each one is an assumption the verdict names. */
export interface FaultBounds {
  /** presence-flap: a flap lasts at most this many ticks (--flap-ticks); null: any number */
  readonly flapTicks: number | null;
  /** presence-flap: at most this many flaps a connection (--flaps); null: any number */
  readonly flaps: number | null;
}

export const NO_FAULT_BOUNDS: FaultBounds = { flapTicks: null, flaps: null };

/** The fault bounds' flags, ranges and meaning (the CLI and the docs read them here). */
export const FAULT_BOUND_SPECS: readonly {
  readonly name: keyof FaultBounds;
  readonly flag: string;
  readonly fault: FaultName;
  readonly min: number;
  readonly max: number;
  readonly description: string;
  readonly assumption: (n: number) => string;
  /** the bound in a few words, for the line a report gives the fault: "a flap lasts ≤ 2 ticks"; null: unbounded */
  readonly phrase: (n: number | null) => string;
}[] = [
  {
    name: 'flapTicks',
    flag: 'flap-ticks',
    fault: 'presence-flap',
    min: 1,
    max: 15,
    description: 'presence-flap: a flap lasts at most N ticks (default: any number)',
    assumption: (n) => `presence hides a connected participant for at most ${n} ${n === 1 ? 'tick' : 'ticks'} at a time`,
    phrase: (n) => (n === null ? 'a flap lasts any number of ticks' : `a flap lasts ≤ ${n} ${n === 1 ? 'tick' : 'ticks'}`),
  },
  {
    name: 'flaps',
    flag: 'flaps',
    fault: 'presence-flap',
    min: 1,
    max: 7,
    description: 'presence-flap: at most N flaps a connection (default: any number)',
    assumption: (n) => `presence hides a connected participant at most ${n} ${n === 1 ? 'time' : 'times'} a connection`,
    phrase: (n) => (n === null ? 'any number of flaps a connection' : `≤ ${n} ${n === 1 ? 'flap' : 'flaps'} a connection`),
  },
];

/**
 * The one place that says which faults are in force: of the faults asked
 * for, those that can touch the design; the rest are named as not
 * applicable. Every report, the model and the matrix read this.
 */
export function faultsInForce(design: Switches, asked: readonly FaultName[]): { inForce: FaultName[]; notApplicable: FaultName[] } {
  const inForce: FaultName[] = [];
  const notApplicable: FaultName[] = [];
  for (const f of FAULTS) {
    if (!asked.includes(f.name)) continue;
    (f.applies(design) ? inForce : notApplicable).push(f.name);
  }
  return { inForce, notApplicable };
}

/** Deleting a Daily room is a promise about Daily that the designs that delete rooms rest on. */
export const ROOM_DELETION_ASSUMPTION = "Daily's DELETE /rooms/{name} ends the room's call for everyone in it and refuses joins, at once";
export const needsRoomDeletionAssumption = deletesRooms;
