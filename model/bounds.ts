// The bounds of one presence check. Times are in ticks, an abstract unit;
// the defaults keep the real system's orderings (REAL_SYSTEM.md: presence lag
// 0-500 ms < handshake 500-3000 ms <= poll delay 3 s < left-webhook poll
// delay 5 s < pending-join TTL 30 s), not its absolute values, which would
// only multiply the counters without adding orderings. A bound's largest
// value is what a search can finish with; the packed state takes the fields'
// widths from the bounds of each run (fields.ts), and model/state.ts refuses
// bounds whose fields do not fit a word.
import { MAX_DELAY } from './polls.ts';

export interface Bounds {
  /** users of the one Reflector room */
  readonly users: number;
  /** tabs (connections) a user may have alive at once, counting closed tabs whose traces linger */
  readonly tabs: number;
  /** ticks the Daily presence API may lag behind a connect or a leave (0 = it never lags) */
  readonly lag: number;
  /** ticks a WebRTC handshake may take at most */
  readonly handshake: number;
  /** ticks a pending-join key lives in Redis (pending-join designs) */
  readonly ttl: number;
  /** ticks after /joined or /leave before their queued poll may run (the real 3 s) */
  readonly pollDelay: number;
  /** ticks after a participant.left webhook before its poll may run (shipped fix, the real 5 s) */
  readonly leftPollDelay: number;
  /** ticks of quiet a meeting needs before deactivation (grace-period design) */
  readonly grace: number;
}

export interface BoundSpec {
  readonly name: keyof Bounds;
  readonly flag: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  /** the field's capacity (layout.ts), or less where a search beyond it cannot finish */
  readonly max: number;
}

const MAX_USERS = 6;
const MAX_TABS = 3;

export const BOUND_SPECS: readonly BoundSpec[] = [
  { name: 'users', flag: 'users', description: 'users in the Reflector room', default: 2, min: 1, max: MAX_USERS },
  {
    name: 'tabs',
    flag: 'tabs',
    description: 'live tabs per user (a closed tab lingers until presence, webhooks and DB forget it)',
    default: 2,
    min: 1,
    max: MAX_TABS,
  },
  { name: 'lag', flag: 'lag', description: 'presence API lag, in ticks', default: 1, min: 0, max: 7 },
  {
    name: 'handshake',
    flag: 'handshake',
    description: 'longest WebRTC handshake, in ticks',
    default: 2,
    min: 0,
    max: 15,
  },
  // the reservation's TTL is counted down in its field; beyond 30 ticks no search finishes
  {
    name: 'ttl',
    flag: 'ttl',
    description: 'reservation (pending-join key) TTL, in ticks',
    default: 6,
    min: 1,
    max: 30,
  },
  {
    name: 'pollDelay',
    flag: 'poll-delay',
    description: 'delay of the poll queued by /joined and /leave, in ticks',
    default: 3,
    min: 0,
    max: MAX_DELAY,
  },
  {
    name: 'leftPollDelay',
    flag: 'left-poll-delay',
    description: 'delay of the poll queued by participant.left (shipped fix), in ticks',
    default: 5,
    min: 0,
    max: MAX_DELAY,
  },
  {
    name: 'grace',
    flag: 'grace',
    description: 'quiet ticks before deactivation (grace-period design)',
    default: 3,
    min: 0,
    max: 15,
  },
];

export const DEFAULT_BOUNDS: Bounds = Object.fromEntries(BOUND_SPECS.map((b) => [b.name, b.default])) as unknown as Bounds;

/** Returns a message naming the first bound out of range, or null. */
export function boundsError(bounds: Bounds): string | null {
  for (const spec of BOUND_SPECS) {
    const v = bounds[spec.name];
    if (!Number.isInteger(v) || v < spec.min || v > spec.max) {
      return `--${spec.flag} must be an integer from ${spec.min} to ${spec.max} (got ${v})`;
    }
  }
  return null;
}
