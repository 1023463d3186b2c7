// The infrastructure's failures, as switches of a run (`--faults`), each off
// unless asked for. A fault adds the steps the real system can take when it
// happens (or lifts a bound the model otherwise keeps); each quotes the
// sentence of REAL_SYSTEM.md ("real") it stands for, and each has a witness
// that it happened in the run, so that a fault that never fires makes the
// run vacuous, as an action that never fires does. What a fault takes away
// is a guarantee the verdict would otherwise rest on: `guarantee` says it.
import type { Switches } from './designs.ts';

export type FaultName =
  | 'slow-join'
  | 'lock-lost'
  | 'key-lost'
  | 'presence-flap'
  | 'joining-error'
  | 'webhook-dup'
  | 'meeting-rollover'
  | 'owner-deactivate';

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
    applies: always,
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
    summary: 'presence may stop showing a connected participant, once a connection, for up to lag ticks',
    source: 'real: "Daily\'s presence can stop showing a connected participant during a network blip or a reconnect."',
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
    applies: (d) => d.getOrCreate === 'by-end-date',
  },
  {
    name: 'owner-deactivate',
    summary: "the room's owner may deactivate the active meeting at any time",
    source: 'real: "The owner\'s `PATCH /meetings/{id}/deactivate` sets `is_active = false` with no lock and no look at pending joins."',
    guarantee: 'only process_meetings deactivates a meeting',
    applies: always,
  },
];

export const FAULT_NAMES: readonly FaultName[] = FAULTS.map((f) => f.name);

export function faultByName(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}

/** The witness of a fault: it happened in the run. */
export const faultWitness = (name: FaultName) => `fault:${name}`;
