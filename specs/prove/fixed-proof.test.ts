// The proofs the tool exists for, at the bounds `npm test` cannot afford:
// `fixed` keeps every invariant and every liveness property, non-vacuously,
// with no fault at the thorough preset's bounds (2 users × 2 tabs × lag 1)
// and at 3 users × 1 tab × lag 1. With every fault:
// fixed-faults-proof.test.ts; past CI's budget: `npm run prove:deep`
// (specs/deep/). Each search runs on one thread, beside another file's
// (prove-fixed.ts says why). The figures in the comments are this machine's.
import { describe, it } from 'vitest';
import { expectProof, MINUTES, proveFixed as prove } from './prove-fixed.ts';

describe('fixed: safety and liveness', () => {
  it(
    'holds at 2 users × 2 tabs × lag 1 (the thorough preset): every invariant, every liveness property, every witness, every action',
    async () => {
      // 763k states with symmetry (17.8M and 162M edges without)
      expectProof(await prove({ users: 2, tabs: 2, lag: 1 }, { liveness: true }), true);
    },
    40 * MINUTES,
  );

  it(
    'holds at 3 users × 1 tab × lag 1: every invariant, every liveness property, every witness, every action',
    async () => {
      // with symmetry (8.0M states and 72M edges without)
      expectProof(await prove({ users: 3, tabs: 1, lag: 1 }, { liveness: true }), true);
    },
    40 * MINUTES,
  );
});
