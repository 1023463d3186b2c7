// The reductions of docs/checker.md "Reductions" (presenceModel's `reduce`,
// on by default) against the unreduced model: a field no part of the run
// reads is dropped, a meeting's polls are forgotten once they can change
// nothing read, and a refreshed reservation may expire at any moment of its
// TTL instead of counting it down. None may change a verdict: for every
// design, with and without faults, both give the same verdict, the same
// violated property and the same shortest trace length (safety), and the
// same liveness verdicts; the reduced model never has more states.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../checker/index.ts';
import { DESIGN_NAMES, FAULT_NAMES, type Bounds, type FaultName, type State } from '../../model/index.ts';
import { FAST_POLLS, QUICK, run, statuses } from './helpers.ts';

function compare(design: string, bounds: Partial<Bounds>, faults: readonly FaultName[], liveness = false) {
  const reduced = run(design, bounds, { faults, liveness });
  const unreduced = run(design, bounds, { faults, liveness, reduce: false });
  return { reduced, unreduced };
}

const safety = (r: CheckResult<State>) => ({
  verdict: r.verdict,
  property: r.property,
  length: r.trace.length - 1,
  unreached: r.vacuity.unreachedWitnesses,
  unfired: r.vacuity.unfiredActions,
  limit: r.limit,
});

const liveness = (r: CheckResult<State>) => ({ verdict: r.verdict, property: r.property, live: statuses(r, 'leadsTo'), limit: r.limit });

describe('safety: 2 users × 1 tab × lag 0 (quick timings)', () => {
  it.each(DESIGN_NAMES)('%s, no faults', (design) => {
    const { reduced, unreduced } = compare(design, { ...QUICK, users: 2, tabs: 1, lag: 0 }, []);
    expect(safety(reduced)).toEqual(safety(unreduced));
    expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
  });

  // each applies where it can touch the design: presence hides, the lock is lost, a refresh stops landing, a Redis key is lost
  it.each(DESIGN_NAMES)('%s, with presence-flap, lock-lost, refresh-fails and key-lost', (design) => {
    const { reduced, unreduced } = compare(design, { ...QUICK, users: 2, tabs: 1, lag: 0 }, [
      'presence-flap',
      'lock-lost',
      'refresh-fails',
      'key-lost',
    ]);
    expect(safety(reduced)).toEqual(safety(unreduced));
    expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
  });

  it('fixed with every fault: the same (holds), in a tenth of the states', () => {
    const { reduced, unreduced } = compare('fixed', { ...QUICK, users: 2, tabs: 1, lag: 0 }, FAULT_NAMES);
    expect(safety(reduced)).toEqual(safety(unreduced));
    expect(reduced.verdict).toBe('holds');
    expect(reduced.states * 5).toBeLessThan(unreduced.states);
  });

  it('two-looks and fixed-ttl with refresh-fails, direct-join and joining-error (polls 1 tick ahead)', () => {
    for (const design of ['two-looks', 'fixed-ttl']) {
      const { reduced, unreduced } = compare(design, { ...FAST_POLLS, users: 2, tabs: 1, lag: 0 }, [
        'refresh-fails',
        'direct-join',
        'joining-error',
      ]);
      expect(safety(reduced), design).toEqual(safety(unreduced));
      expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
    }
  });
});

describe('safety: 1 user × 2 tabs × lag 0 (quick timings), where a closed tab lingers', () => {
  it('the same verdict for every design (the quick-rejoin witness counts a session row only where the design reads one: the reduction drops it elsewhere)', () => {
    // Found by this test: the witness read sessionOpen, which fields.ts drops (read: false) where no step reads open
    // sessions, so reduced runs were vacuous where unreduced ones held (fixed at 1 × 2 × lag 0). A session row nothing
    // reads changes nothing; the witness now counts one only where the design reads it, in both runs.
    const mismatches: string[] = [];
    for (const design of DESIGN_NAMES) {
      const { reduced, unreduced } = compare(design, { ...QUICK, users: 1, tabs: 2, lag: 0 }, []);
      if (JSON.stringify(safety(reduced)) !== JSON.stringify(safety(unreduced)))
        mismatches.push(`${design}: reduced ${reduced.verdict} ${JSON.stringify(reduced.vacuity)}, unreduced ${unreduced.verdict}`);
      expect(reduced.states, design).toBeLessThanOrEqual(unreduced.states);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('liveness: the same verdicts with and without the reductions', () => {
  it.each(DESIGN_NAMES)('%s at 1 user × 1 tab × lag 0 (polls 1 tick ahead)', (design) => {
    const { reduced, unreduced } = compare(design, { ...FAST_POLLS, users: 1, tabs: 1, lag: 0 }, [], true);
    expect(liveness(reduced)).toEqual(liveness(unreduced));
    expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
  });

  it.each(['fixed', 'refuse-latecomers'])('%s at 2 users × 1 tab × lag 0 (polls 1 tick ahead)', (design) => {
    const { reduced, unreduced } = compare(design, { ...FAST_POLLS, users: 2, tabs: 1, lag: 0 }, [], true);
    expect(liveness(reduced)).toEqual(liveness(unreduced));
    expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
  });

  it('fixed with every fault at 1 user × 1 tab × lag 0: the same liveness verdicts', () => {
    const { reduced, unreduced } = compare('fixed', { ...FAST_POLLS, users: 1, tabs: 1, lag: 0 }, FAULT_NAMES, true);
    expect(liveness(reduced)).toEqual(liveness(unreduced));
    expect(Object.values(statuses(reduced, 'leadsTo')).every((s) => s === 'holds')).toBe(true);
    expect(reduced.states).toBeLessThanOrEqual(unreduced.states);
  });
});
