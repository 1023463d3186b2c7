// The bounds of one presence check. Times are in ticks, an abstract unit;
// the defaults keep the real system's orderings (REAL_SYSTEM.md: presence lag
// 0-500 ms < handshake 500-3000 ms <= poll delay 3 s < left-webhook poll
// delay 5 s < pending-join TTL 30 s), not its absolute values, which would
// only multiply the counters without adding orderings.

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
  /** beyond this the state encoding's fields overflow, or the run cannot finish */
  readonly max: number;
}

export const BOUND_SPECS: readonly BoundSpec[] = [
  { name: 'users', flag: 'users', description: 'users in the Reflector room', default: 2, min: 1, max: 6 },
  { name: 'tabs', flag: 'tabs', description: 'live tabs per user (a closed tab lingers until presence, webhooks and DB forget it)', default: 2, min: 1, max: 3 },
  { name: 'lag', flag: 'lag', description: 'presence API lag, in ticks', default: 1, min: 0, max: 7 },
  { name: 'handshake', flag: 'handshake', description: 'longest WebRTC handshake, in ticks', default: 2, min: 0, max: 15 },
  { name: 'ttl', flag: 'ttl', description: 'pending-join key TTL, in ticks', default: 6, min: 1, max: 30 },
  { name: 'pollDelay', flag: 'poll-delay', description: 'delay of the poll queued by /joined and /leave, in ticks', default: 3, min: 0, max: 15 },
  { name: 'leftPollDelay', flag: 'left-poll-delay', description: 'delay of the poll queued by participant.left (shipped fix), in ticks', default: 5, min: 0, max: 15 },
  { name: 'grace', flag: 'grace', description: 'quiet ticks before deactivation (grace-period design)', default: 3, min: 0, max: 15 },
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
