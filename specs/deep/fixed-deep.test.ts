// The deepest proofs, `npm run prove:deep`, past the budget of CI's `npm run
// prove`: run them by hand after a change to the model (on every core).
// (2 × 2 × lag 1 with every fault is in npm run prove: fixed-faults-proof.test.ts.)
import { availableParallelism } from 'node:os';
import { describe, it } from 'vitest';
import { FAULT_NAMES } from '../../model/index.ts';
import { expectProof, MINUTES, proveFixed } from '../prove/prove-fixed.ts';

describe('fixed with every fault, liveness included', () => {
  it.each([[3, 1, 1]])(
    'holds at %i users × %i tabs × lag %i: every invariant, every liveness property, every witness, every action',
    async (users, tabs, lag) => {
      expectProof(await proveFixed({ users, tabs, lag }, { liveness: true, faults: FAULT_NAMES, threads: availableParallelism() }), true);
    },
    90 * MINUTES,
  );
});
