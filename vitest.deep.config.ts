import { defineConfig } from 'vitest/config';

// `npm run prove:deep`: the proofs too long for CI (specs/deep/: tens of
// minutes each on 2 cores). Run them by hand before a release of the model.
export default defineConfig({
  test: {
    include: ['specs/deep/**/*.test.ts'],
    testTimeout: 90 * 60_000,
    hookTimeout: 90 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    execArgv: ['--max-old-space-size=12288'],
  },
});
