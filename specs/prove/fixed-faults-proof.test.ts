// `fixed` with every infrastructure fault of the model in force (and the
// environment settling: faults stop in the end), at the bounds `npm test`
// cannot afford: every invariant and every liveness property holds,
// non-vacuously, at 2 users × 2 tabs × lag 0 and 2 users × 1 tab × lag 1.
// (2 × 2 × lag 1, safety only, is `npm run prove:deep`.) A file of its own
// so that `npm run prove` runs it beside fixed-proof.test.ts.
import { describe, it } from 'vitest';
import { FAULT_NAMES } from '../../model/index.ts';
import { expectProof, MINUTES, proveFixed as prove } from './prove-fixed.ts';

describe('fixed with every fault', () => {
  it(
    'holds at 2 users × 2 tabs × lag 0, liveness included (the environment settles: faults stop in the end)',
    async () => {
      // 18.2M states, 208M transitions
      expectProof(await prove({ users: 2, tabs: 2, lag: 0 }, { liveness: true, faults: FAULT_NAMES }), true);
    },
    40 * MINUTES,
  );

  it(
    'holds at 2 users × 1 tab × lag 1, liveness included',
    async () => {
      // 5.6M states: a lock lost while presence flaps is what the fence on the conditional update is for
      expectProof(await prove({ users: 2, tabs: 1, lag: 1 }, { liveness: true, faults: FAULT_NAMES }), true);
    },
    40 * MINUTES,
  );
});
