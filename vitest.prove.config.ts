import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest first, by each file's time in a full prove run (2026-12-07, commit
// 74b5482: fixed-faults-proof 585 s, fault-matrix-drift 155 s,
// symmetry-liveness 114 s, spin-crosscheck 97 s, docs-results 85 s,
// package-install 49 s, the rest under 40 s), so that no long proof starts
// late and runs alone at the end: with the longest first on one fork, the
// other fork works through the rest beside it. A file not listed runs first:
// a new file is not known to be short.
const LONGEST_FIRST = [
  'fixed-faults-proof',
  'fault-matrix-drift',
  'symmetry-liveness',
  'spin-crosscheck',
  'docs-results',
  'package-install',
  'clock-skew',
  'simulate-done-when',
  'model-deep',
  'fixed-proof',
  'front-door-matrix',
  'fixed-ttl',
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
