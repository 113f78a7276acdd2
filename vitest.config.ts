import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Whole-system tests start real server processes; give them time to boot, and run
// files in parallel only as far as two cores allow.
export default defineConfig({
  resolve: {
    // In-process tests (test/helpers/in-process.ts) import the server here. Vite would resolve
    // `graphql` to its `module` build (index.mjs) while graphql-yoga, loaded by Node, gets
    // index.js: two GraphQLError classes, and Yoga masks the server's client errors as
    // "Unexpected error.". Resolve it as Node (and so production) does.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
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
