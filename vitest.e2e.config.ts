import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

// `npm run test:e2e`: what only real processes, browsers and servers prove — Chromium pages,
// Prometheus, restarts, signals, two processes on one database, kill -9, the CLI package, the
// README's commands, first run. Real server processes run the bundle (dist/server/main.mjs).
export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    include: ['test/e2e/**/*.test.ts'],
    // Real processes boot and Chromium renders on a shared two-core machine.
    testTimeout: 120_000,
  },
});
