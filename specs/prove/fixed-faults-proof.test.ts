// `fixed` with every infrastructure fault of the model in force at full
// strength (presence outages of any length, as often as they like; the
// environment settling for liveness: faults stop in the end), at the bounds
// `npm test` cannot afford: every invariant and every liveness property
// holds, non-vacuously, at 2 users × 1 tab × lag 1, and every invariant at
// 2 users × 2 tabs × lag 1. Under refresh-fails `no-call-cut` is not judged
// (its premise; specs/fault-bounds.test.ts pins the report's line and the
// cut). Liveness at 2 × 2 × lag 1 with every fault: `npm run prove:deep`.
// A file of its own so that `npm run prove` runs it beside fixed-proof.test.ts.
import { describe, it } from 'vitest';
import { FAULT_NAMES } from '../../model/index.ts';
import { expectProof, MINUTES, proveFixed as prove } from './prove-fixed.ts';

describe('fixed with every fault', () => {
  it(
    'holds at 2 users × 1 tab × lag 1, liveness included',
    async () => {
      // about 1.4M states
      expectProof(await prove({ users: 2, tabs: 1, lag: 1 }, { liveness: true, faults: FAULT_NAMES }), true);
    },
    40 * MINUTES,
  );

  it(
    'keeps every invariant at 2 users × 2 tabs × lag 1',
    async () => {
      // about 11.7M states
      expectProof(await prove({ users: 2, tabs: 2, lag: 1 }, { liveness: false, faults: FAULT_NAMES }), false);
    },
    40 * MINUTES,
  );
});
