import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// `npm test`: unit tests of the rules, in-process tests of every route and GraphQL field on
// SQLite and PostgreSQL, and a few real-process smoke tests. What only real processes,
// browsers and servers prove runs in the end-to-end tier (vitest.e2e.config.ts, test/e2e/).
// See docs/testing.md.
export const shared = {
  resolve: {
    // In-process tests (test/helpers/in-process.ts) import the server here. Vite would resolve
    // `graphql` to its `module` build (index.mjs) while graphql-yoga, loaded by Node, gets
    // index.js: two GraphQLError classes, and Yoga masks the server's client errors as
    // "Unexpected error.". Resolve it as Node (and so production) does.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    // PostgreSQL and Redis: the machine's, CI's, or throwaway instances started once per run;
    // and the server bundle brought up to date for the real processes tests start.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files in parallel only as far as two cores allow.
    maxWorkers: 2,
    reporters: ['default'],
  },
};

export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
  },
});
