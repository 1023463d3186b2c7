// The model's claims at bounds too large for `npm test`: one user with two
// tabs never splits under any design, and the state-forgetting reductions
// give the same liveness verdicts as the unreduced model at two users.
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../checker/index.ts';
import { DESIGNS, presenceModel, type Bounds, type State } from '../../model/index.ts';

const MINUTES = 60_000;

describe('one user never splits', () => {
  it.each(DESIGNS.map((d) => d.name))(
    '%s: both invariants hold at 1 user × 2 tabs × lag 0',
    (design) => {
      // shipped is the large one (2.9M states): a user opens a tab only when none of theirs is open
      const r = check(presenceModel(design, { users: 1, tabs: 2, lag: 0 }), { maxStates: 20_000_000 });
      expect(r.properties.find((p) => p.name === 'same-daily-room')!.status).toBe('holds');
      expect(r.properties.find((p) => p.name === 'no-orphaned-call')!.status).toBe('holds');
    },
    10 * MINUTES,
  );
});

describe('the reductions and liveness at 2 users (default timings)', () => {
  // The state-forgetting reductions (docs/model.md, Reductions): the same verdicts with them as without
  // (reduce: false), on fewer states. (The symmetry reduction's own cross-check: specs/model/liveness.test.ts.)
  const statuses = (r: CheckResult<State>) => r.properties.map((p) => [p.name, p.status]);
  it.each(['fixed', 'refuse-latecomers'])(
    '%s: the same verdict, property and statuses with and without the reductions (2 users × 1 tab × lag 0)',
    (design) => {
      const bounds: Partial<Bounds> = { users: 2, tabs: 1, lag: 0 };
      const reduced = check(presenceModel(design, bounds, { liveness: true }), { maxStates: 20_000_000 });
      const full = check(presenceModel(design, bounds, { liveness: true, reduce: false }), { maxStates: 20_000_000 });
      expect([reduced.verdict, reduced.property, statuses(reduced)]).toEqual([full.verdict, full.property, statuses(full)]);
      expect(reduced.states).toBeLessThan(full.states);
    },
    20 * MINUTES,
  );
});
