// Two server processes on one SQLite file and two on one throwaway PostgreSQL database: the
// shape of every "the same rules across processes, on both databases" test. With `clock`,
// each pair shares one wall clock the test sets (`pair[0].setClock(at)` moves both).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPostgres, postgresAdminUrl } from './postgres.ts';
import { type RunningServer, startServer } from './server.ts';

export type Db = 'SQLite' | 'PostgreSQL';
export interface Pairs extends Record<Db, [RunningServer, RunningServer]> {
  /** Stops the four processes and drops the PostgreSQL database. */
  stop(): Promise<void>;
}

export async function startPairs(name: string, opts: { clock?: boolean } = {}): Promise<Pairs> {
  const admin = postgresAdminUrl();
  const dbName = `floatline_${name}_${randomUUID().slice(0, 8)}`;
  const pgUrl = admin.replace(/\/[^/]*$/, `/${dbName}`);
  const clock = () => {
    if (!opts.clock) return {};
    const file = join(mkdtempSync(join(tmpdir(), 'floatline-clock-')), 'now');
    writeFileSync(file, '');
    return { clock: { file } };
  };
  const [sqliteClock, pgClock] = [clock(), clock()];
  const a = await startServer(sqliteClock);
  await onPostgres(admin, (c) => c.query(`CREATE DATABASE ${dbName}`));
  const [b, c, d] = await Promise.all([
    startServer({ dbPath: a.dbPath, ...sqliteClock }),
    startServer({ env: { DATABASE_URL: pgUrl }, ...pgClock }),
    startServer({ env: { DATABASE_URL: pgUrl }, ...pgClock }),
  ]);
  return {
    SQLite: [a, b],
    PostgreSQL: [c, d],
    async stop() {
      await Promise.all([a, b, c, d].map((s) => s.stop()));
      await onPostgres(admin, (conn) => conn.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    },
  };
}
