import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest first, as measured on 2026-12-03 (one thread each, two files at a
// time: 14-16 minutes each for fixed-proof, fixed-3x2-proof and
// fixed-faults-proof, then the matrices, then about a minute and a half
// each), so that no long proof starts last and runs alone at the end. In
// vitest's own order (a fresh clone has no timings) the 3 × 2 proof did: the
// tests' summed time was 1.75× the wall time (3,627 s in 34.7 minutes);
// longest first, 1.93× (4,418 s in 38.2 minutes, on a slower hour).
// docs-results (every saved result of docs/results run again: about as long
// as `npm run docs -- --rerun`) and package-install (npm pack, two installs:
// a minute or two) are placed by estimate, not yet by a measured prove run.
// A file not listed runs first: a new file is not known to be short.
const LONGEST_FIRST = [
  'fixed-proof',
  'fixed-3x2-proof',
  'fixed-faults-proof',
  'docs-results',
  'matrix-drift',
  'fault-matrix-drift',
  'fixed-ttl',
  'model-deep',
  'package-install',
].map((name) => `${name}.test.ts`);

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => LONGEST_FIRST.indexOf(basename(f.moduleId));
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

// `npm run prove`: the deep proofs (fixed at 3 users, with every fault, the
// full verdict and fault matrices against their generated files). Minutes
// each; CI runs them after `npm test`.
export default defineConfig({
  test: {
    include: ['specs/prove/**/*.test.ts'],
    testTimeout: 40 * 60_000,
    hookTimeout: 40 * 60_000,
    pool: 'forks',
    // two files at once, each proof on one thread (specs/prove/prove-fixed.ts
    // says why); the largest peaks at 2.6 GB RSS (2026-12-03)
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    execArgv: ['--max-old-space-size=12288'],
  },
});
