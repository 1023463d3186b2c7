// `fixed` with every infrastructure fault of the model in force at full
// strength (presence outages of any length, as often as they like; the
// environment settling for liveness: faults stop in the end), at the bounds
// `npm test` cannot afford: every invariant and every liveness property
// holds, non-vacuously, at 2 users × 1 tab × lag 1 and at 2 users × 2 tabs ×
// lag 1 (the symmetry reduction keeps liveness in reach there:
// docs/checker.md, Liveness under a symmetry). Under refresh-fails
// `no-call-cut` is not judged (its premise; specs/fault-bounds.test.ts pins
// the report's line and the cut).
// A file of its own so that `npm run prove` runs it beside fixed-proof.test.ts.
import { describe, it } from 'vitest';
import { FAULT_NAMES } from '../../model/index.ts';
import { expectProof, MINUTES, proveFixed as prove } from './prove-fixed.ts';

describe('fixed with every fault', () => {
  it(
    'holds at 2 users × 1 tab × lag 1, liveness included',
    async () => {
      // 356k states, 4.1M edges
      expectProof(await prove({ users: 2, tabs: 1, lag: 1 }, { liveness: true, faults: FAULT_NAMES }), true);
    },
    40 * MINUTES,
  );

  it(
    'holds at 2 users × 2 tabs × lag 1, liveness included',
    async () => {
      // 11.7M states, 155M edges
      expectProof(await prove({ users: 2, tabs: 2, lag: 1 }, { liveness: true, faults: FAULT_NAMES }), true);
    },
    40 * MINUTES,
  );
});
