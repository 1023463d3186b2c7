import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Longest first, by estimate from single runs of each proof on the
// rewritten model (2026-12-07; a prove run will measure them), so that no
// long proof starts last and runs alone at the end. A file not listed runs
// first: a new file is not known to be short.
const LONGEST_FIRST = [
  'fixed-proof',
  'fixed-faults-proof',
  'spin-crosscheck',
  'docs-results',
  'fault-matrix-drift',
  'fixed-ttl',
  'model-deep',
  'clock-skew',
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
