// Grouped weak fairness is not the weaker assumption. An action whose
// instances are grouped (`per: []`) counts as enabled wherever any instance
// is, so a cycle in which each instance is enabled only now and then, and
// never taken, is unfair for the group (some instance was always enabled)
// and fair for each instance on its own (none was always enabled). The
// presence model keys each queued task and periodic run's fairness per
// instance for that reason (docs/model.md, Fairness); this model is the
// smallest where the two give different verdicts.
import { describe, expect, it } from 'vitest';
import { action, check, leadsTo, type Fairness, type LiveModel } from '../../checker/index.ts';

/**
 * States 0 and 1 alternate by `swap`, forever if nothing else happens; in
 * state 0 only `serve` for slot 1 is enabled, in state 1 only for slot 2;
 * serving either leads to `done` (state 2). Property: started ~> done.
 */
function alternating(fairness: Fairness): LiveModel<number> {
  return {
    name: `alternating (${JSON.stringify(fairness)})`,
    init: [0],
    deadlockIsError: false,
    actions: [
      action<number>({ name: 'swap', guard: (s) => s < 2, effect: (s) => 1 - s, fairness: 'weak' }),
      action<number, { slot: number }>({
        name: 'serve',
        params: () => [{ slot: 1 }, { slot: 2 }],
        guard: (s, { slot }) => s === slot - 1,
        effect: () => 2,
        fairness,
      }),
    ],
    properties: [
      leadsTo(
        'served',
        'every start is served',
        (s) => s === 0,
        (s) => s === 2,
      ),
    ],
  };
}

describe('weak fairness, grouped or per instance', () => {
  it('grouped: the swapping cycle keeps the group enabled and never takes it, so it is unfair, and the property holds', () => {
    const r = check(alternating({ kind: 'weak', per: [] }));
    expect(r.verdict).toBe('holds');
  });

  it('per instance: neither slot is enabled throughout the cycle, so it is fair, and the property is violated by it', () => {
    const r = check(alternating('weak'));
    expect(r.verdict).toBe('violated');
    expect(r.property).toBe('served');
    const cycle = r.trace.slice(r.loop! + 1).map((t) => t.action);
    expect(cycle.every((a) => a === 'swap')).toBe(true);
  });
});
