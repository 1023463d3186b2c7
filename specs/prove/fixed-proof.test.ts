// The proofs the tool exists for, at the bounds `npm test` cannot afford:
// `fixed` keeps every invariant and every liveness property, non-vacuously,
// up to 2 users × 2 tabs × lag 1 and 3 users × 1 tab × lag 0; 3 users × 1
// tab at lag 1-2 for safety. With every fault: fixed-faults-proof.test.ts.
// Two proofs too long for CI are `npm run prove:deep` (specs/deep/): 2 × 2
// × lag 2 with liveness, and every invariant with every fault at 2 × 2 ×
// lag 1. Each search runs on one thread, beside another file's
// (prove-fixed.ts says why). The figures in the comments are this machine's.
import { describe, it } from 'vitest';
import { expectProof, MINUTES, proveFixed as prove } from './prove-fixed.ts';

describe('fixed: safety and liveness', () => {
  it.each([
    // 2.9M states, 13.0M (users kept apart: liveness); 7.6M
    [2, 2, 0],
    [2, 2, 1],
    [3, 1, 0],
  ])(
    'holds at %i users × %i tabs × lag %i: every invariant, every liveness property, every witness, every action',
    async (users, tabs, lag) => {
      expectProof(await prove({ users, tabs, lag }, { liveness: true }), true);
    },
    40 * MINUTES,
  );

  it.each([
    // 3.9M and 5.8M states (users interchangeable: safety only)
    [3, 1, 1],
    [3, 1, 2],
  ])(
    'keeps every invariant at %i users × %i tabs × lag %i',
    async (users, tabs, lag) => {
      expectProof(await prove({ users, tabs, lag }, { liveness: false }), false);
    },
    40 * MINUTES,
  );
});
