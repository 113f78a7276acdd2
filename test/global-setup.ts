// Once per vitest run: find or start the PostgreSQL and Redis the tests use (helpers/postgres.ts,
// helpers/redis.ts), hand their URLs to the test files, and stop what was started here.
// A service that cannot be had is not fatal here: only the tests that need it fail, with why.
import type { TestProject } from 'vitest/node';
import { resolvePostgres } from './helpers/postgres.ts';
import { resolveRedis } from './helpers/redis.ts';
import type { ResolvedService } from './helpers/throwaway.ts';

export default async function setup(project: TestProject) {
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
