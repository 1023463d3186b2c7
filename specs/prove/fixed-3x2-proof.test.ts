// `fixed` at 3 users with 2 tabs each: every invariant holds, non-vacuously,
// at lag 0 (38.4M states, 378M transitions, depth 65: 446 s on 2 threads,
// 1.7 GB peak RSS, on 2026-12-02; 934 s in `npm run prove`, on one thread
// beside the other proofs, on 2026-12-03). Safety only: symmetry merges users;
// liveness keeps them apart, up to 6 times the states (3! orders of users).
// A file of its own so that `npm run prove` runs it beside the others.
import { describe, it } from 'vitest';
import { expectProof, MINUTES, proveFixed } from './prove-fixed.ts';

describe('fixed at 3 users × 2 tabs', () => {
  it(
    'keeps every invariant at lag 0, every witness reached, every action fired',
    async () => {
      expectProof(await proveFixed({ users: 3, tabs: 2, lag: 0 }, { liveness: false }), false);
    },
    40 * MINUTES,
  );
});
