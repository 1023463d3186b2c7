import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test`: the checker's known answers and differential tests, the model's
// small proofs (every design at 2 users, lag 0 and 1), the CLI and exports.
// It must stay well under 5 minutes on a 2-core machine, busy or not: a test
// checks at the smallest bounds where its behaviour shows, shares a run
// between tests that read different parts of it, and signals a child process
// when it is ready rather than after a fixed time. The deep proofs are `npm
// run prove` (vitest.prove.config.ts).
export default defineConfig({
  test: {
    include: ['specs/**/*.test.ts'],
    exclude: ['specs/prove/**', 'specs/deep/**', 'node_modules/**'],
    // a test that needs longer says so itself
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a file a core, at least two (vitest's default, cores - 1, leaves one idle on a 2-core machine); the
    // files the last run found longest start first (without a record of one, the largest files)
    maxWorkers: Math.max(2, availableParallelism()),
    // the larger presence checks keep millions of states
    execArgv: ['--max-old-space-size=8192'],
  },
});
