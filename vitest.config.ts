import { defineConfig } from 'vitest/config';

// `npm test`: the checker's known answers and differential tests, the model's
// small proofs (every design at 2 users, lag 0 and 1), the CLI and exports.
// About 5 minutes on a 2-core machine (4.5-6 by the day). The deep proofs are `npm run prove`
// (vitest.prove.config.ts).
export default defineConfig({
  test: {
    include: ['specs/**/*.test.ts'],
    exclude: ['specs/prove/**', 'specs/deep/**', 'node_modules/**'],
    // a test that needs longer says so itself
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // two files at a time (vitest's default leaves one core idle on a 2-core machine)
    maxWorkers: 2,
    // the larger presence checks keep millions of states
    execArgv: ['--max-old-space-size=8192'],
  },
});
