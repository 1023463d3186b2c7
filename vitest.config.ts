import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.test.ts', 'checker/**/*.test.ts', 'model/**/*.test.ts', 'cli/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // the larger presence checks keep millions of states
    execArgv: ['--max-old-space-size=12288'],
  },
});
