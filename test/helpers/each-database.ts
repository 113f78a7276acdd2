// One in-process Floatline per database: SQLite (its own temporary file) and PostgreSQL (a
// throwaway database on the test cluster, dropped at stop). For tests whose rule is stored.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../server/db/database.ts';
import { onPostgres, postgresAdminUrl } from './postgres.ts';
import { startInProcess, type InProcessOptions, type InProcessServer } from './in-process.ts';

export type Db = 'SQLite' | 'PostgreSQL';
export const DATABASES: Db[] = ['SQLite', 'PostgreSQL'];

/** A database of its own on the test PostgreSQL cluster: its URL, and how to drop it. */
export async function throwawayPostgresDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgresAdminUrl();
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  await onPostgres(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: admin.replace(/\/[^/]*$/, `/${name}`),
    drop: () => onPostgres(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export async function startOn(db: Db, opts: InProcessOptions = {}): Promise<InProcessServer> {
  if (db === 'SQLite') return startInProcess(opts);
  const pg = await throwawayPostgresDatabase('floatline_t');
  const s = await startInProcess({ ...opts, env: { ...opts.env, DATABASE_URL: pg.url } });
  const stop = s.stop;
  s.stop = async () => {
    await stop();
    await pg.drop();
  };
  return s;
}

/** The database alone (no server), unseeded, on a temporary SQLite file or a throwaway
 *  PostgreSQL database; `finish` closes it and removes the file or drops the database. */
export async function openOn(db: Db, prefix: string): Promise<{ opened: OpenedDatabase; finish: () => Promise<void> }> {
  if (db === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const opened = await openDatabase({ dbPath: join(dir, 'test.db'), seed: false });
    return {
      opened,
      finish: async () => {
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await throwawayPostgresDatabase(prefix.replace(/-/g, '_'));
  const opened = await openDatabase({ dbPath: '', databaseUrl: pg.url, seed: false });
  return {
    opened,
    finish: async () => {
      await opened.close();
      await pg.drop();
    },
  };
}

/** A database that outlives the Floatlines on it, on a temporary SQLite file or a throwaway
 *  PostgreSQL database: `options` starts one on it (startInProcess), and again after the last
 *  one closed — a restart, as far as the stored state can tell; `drop` removes it. */
export async function keptDatabaseOn(db: Db, prefix: string): Promise<{ options: InProcessOptions; drop: () => Promise<void> }> {
  if (db === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    return { options: { dbPath: join(dir, 'licenses.db') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const pg = await throwawayPostgresDatabase(prefix.replace(/-/g, '_'));
  return { options: { env: { DATABASE_URL: pg.url } }, drop: pg.drop };
}
