// The symmetry reduction for liveness (checker/symmetric-liveness.ts) against
// the unreduced graph, on the presence model itself, at 2 users × 1 tab × lag
// 0, liveness alone (the invariants left out, so that a design that breaks
// one is judged on liveness too): the same status for every liveness
// property, the same verdict and stem length, on fewer states.
// - Every design without faults, but shipped and two-looks-sql: with their
//   invariants left out, their unreduced graphs pass 3M states here.
// - fixed and its negative control refuse-latecomers with every fault (the
//   other designs' unreduced graphs pass 3M states with every fault).
// npm test compares six smaller pairs: specs/model/liveness.test.ts.
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../checker/index.ts';
import { DESIGN_NAMES, FAULT_NAMES, presenceModel, type FaultName, type State } from '../../model/index.ts';
import { MINUTES } from './prove-fixed.ts';

const livenessOnly = (design: string, faults: readonly FaultName[], symmetry: boolean) => {
  const model = presenceModel(design, { users: 2, tabs: 1, lag: 0 }, { liveness: true, symmetry, faults });
  return check({ ...model, properties: model.properties.filter((p) => p.kind === 'leadsTo') }, { maxStates: 5_000_000 });
};
const statuses = (r: CheckResult<State>) => r.properties.map((p) => [p.name, p.status]);

function expectSameVerdicts(design: string, faults: readonly FaultName[]): void {
  const reduced = livenessOnly(design, faults, true);
  const full = livenessOnly(design, faults, false);
  expect([reduced.limit, full.limit]).toEqual([null, null]);
  expect(statuses(reduced)).toEqual(statuses(full));
  // a shortest stem either way (the cycles are built greedily, each on its own graph)
  expect([reduced.verdict, reduced.property, reduced.loop]).toEqual([full.verdict, full.property, full.loop]);
  expect(reduced.states).toBeLessThan(full.states);
}

describe('liveness with and without the symmetry reduction, 2 users × 1 tab × lag 0', () => {
  it.each(DESIGN_NAMES.filter((d) => d !== 'shipped' && d !== 'two-looks-sql'))(
    '%s, no fault: the same statuses, verdict and stem length',
    (design) => expectSameVerdicts(design, []),
    10 * MINUTES,
  );
  it.each(['fixed', 'refuse-latecomers'])(
    '%s, every fault: the same statuses, verdict and stem length',
    (design) => expectSameVerdicts(design, FAULT_NAMES),
    10 * MINUTES,
  );
});
