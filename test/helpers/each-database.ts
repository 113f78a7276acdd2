// One in-process Floatline per database: SQLite (its own temporary file) and PostgreSQL (a
// throwaway database on the test cluster, dropped at stop). For tests whose rule is stored.
import { randomUUID } from 'node:crypto';
import { onPostgres, postgresAdminUrl } from './postgres.ts';
import { startInProcess, type InProcessOptions, type InProcessServer } from './in-process.ts';

export type Db = 'SQLite' | 'PostgreSQL';
export const DATABASES: Db[] = ['SQLite', 'PostgreSQL'];

export async function startOn(db: Db, opts: InProcessOptions = {}): Promise<InProcessServer> {
  if (db === 'SQLite') return startInProcess(opts);
  const admin = postgresAdminUrl();
  const name = `floatline_t_${randomUUID().slice(0, 8)}`;
  await onPostgres(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const s = await startInProcess({ ...opts, env: { ...opts.env, DATABASE_URL: admin.replace(/\/[^/]*$/, `/${name}`) } });
  const stop = s.stop;
  s.stop = async () => {
    await stop();
    await onPostgres(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return s;
}
