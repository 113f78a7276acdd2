import { defineConfig } from 'vitest/config';

// Whole-system tests start real server processes; give them time to boot, and run
// files in parallel only as far as two cores allow.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    // PostgreSQL and Redis: the machine's, CI's, or throwaway instances started once per run.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
