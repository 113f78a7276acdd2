// Two Floatlines on one SQLite file and two on one throwaway PostgreSQL database: the shape
// of every "the same rules across instances, on both databases" test. Each is a whole
// createFloatline of its own (its own connections, caches and change feed) in this test
// process, sharing only the database with its twin. With `clock`, each pair reads one
// TestClock (`pairs.clock[db].set(at)` moves both); separate processes on one database are
// proved by the end-to-end tier (test/e2e/concurrency.test.ts, test/e2e/postgres.test.ts).
import { randomUUID } from 'node:crypto';
import { TestClock } from './clock.ts';
import { type InProcessServer, startInProcess } from './in-process.ts';
import { onPostgres, postgresAdminUrl } from './postgres.ts';

export type Db = 'SQLite' | 'PostgreSQL';
export interface Pairs extends Record<Db, [InProcessServer, InProcessServer]> {
  /** Each pair's clock (with `clock: true`; otherwise both run on the system clock). */
  clock: Record<Db, TestClock | undefined>;
  /** Stops the four instances and drops the PostgreSQL database. */
  stop(): Promise<void>;
}

export async function startPairs(name: string, opts: { clock?: boolean } = {}): Promise<Pairs> {
  const admin = postgresAdminUrl();
  const dbName = `floatline_${name}_${randomUUID().slice(0, 8)}`;
  const pgUrl = admin.replace(/\/[^/]*$/, `/${dbName}`);
  const clock = { SQLite: opts.clock ? new TestClock() : undefined, PostgreSQL: opts.clock ? new TestClock() : undefined };
  const a = await startInProcess({ clock: clock.SQLite });
  await onPostgres(admin, (c) => c.query(`CREATE DATABASE ${dbName}`));
  // The first PostgreSQL instance migrates; its twin then finds the schema in place.
  const c = await startInProcess({ env: { DATABASE_URL: pgUrl }, clock: clock.PostgreSQL });
  const [b, d] = await Promise.all([
    startInProcess({ dbPath: a.dbPath, clock: clock.SQLite }),
    startInProcess({ env: { DATABASE_URL: pgUrl }, clock: clock.PostgreSQL }),
  ]);
  return {
    SQLite: [a, b],
    PostgreSQL: [c, d],
    clock,
    async stop() {
      await Promise.all([b, c, d].map((s) => s.stop()));
      await a.stop(); // last: it removes the SQLite file its twin used
      await onPostgres(admin, (conn) => conn.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    },
  };
}
