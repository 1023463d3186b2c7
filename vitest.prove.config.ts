import { defineConfig } from 'vitest/config';

// `npm run prove`: the deep proofs (fixed at 3 users, the full verdict and
// fault matrices against their generated files). Minutes each; CI runs them
// after `npm test`.
export default defineConfig({
  test: {
    include: ['specs/prove/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    // one file at a time: each proof uses every core on its own
    fileParallelism: false,
    execArgv: ['--max-old-space-size=12288'],
  },
});
