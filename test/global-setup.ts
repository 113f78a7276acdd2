// Once per vitest run: bring the server bundle up to date (the real processes the tests start
// run dist/server/main.mjs, as `npm start` does; a no-op when server/ has not changed since the
// last build), find or start the PostgreSQL and Redis the tests use (helpers/postgres.ts,
// helpers/redis.ts), hand their URLs to the test files, and stop what was started here.
// A service that cannot be had is not fatal here: only the tests that need it fail, with why.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { resolvePostgres } from './helpers/postgres.ts';
import { resolveRedis } from './helpers/redis.ts';
import type { ResolvedService } from './helpers/throwaway.ts';

export default async function setup(project: TestProject) {
  execFileSync(process.execPath, ['scripts/build-if-needed.mjs', 'server'], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: 'inherit',
  });
  const started: ResolvedService[] = [];
  const [postgres, redis] = await Promise.allSettled([resolvePostgres(), resolveRedis()]);
  if (postgres.status === 'fulfilled') {
    started.push(postgres.value);
    project.provide('postgresAdminUrl', postgres.value.url);
  } else project.provide('postgresError', (postgres.reason as Error).message);
  if (redis.status === 'fulfilled') {
    started.push(redis.value);
    project.provide('redisUrl', redis.value.url);
  } else project.provide('redisError', (redis.reason as Error).message);
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
}
