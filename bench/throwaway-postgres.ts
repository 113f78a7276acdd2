// The PostgreSQL rows of the benchmark run on a database of their own: created on the server
// `url` names, opened as Floatline opens one (migrations, seed), dropped afterwards. A server
// that does not answer leaves the rows out with the reason, never fails the run.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type OpenedDatabase } from '../server/db/database.ts';

export interface ThrowawayOutcome<T> {
  result: T | null;
  /** Why the PostgreSQL rows are missing, when they are. */
  skipped?: string;
  version?: string;
}

export async function onThrowawayPostgres<T>(
  url: string | null,
  /** `dbUrl`: the throwaway database's URL, for a server process of its own. */
  use: (opened: OpenedDatabase, dbUrl: string) => Promise<T>,
): Promise<ThrowawayOutcome<T>> {
  if (!url) return { result: null, skipped: 'no PostgreSQL URL (BENCH_POSTGRES_URL)' };
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  const dbName = `floatline_bench_${randomUUID().slice(0, 8)}`;
  let version: string;
  try {
    await admin.connect();
    version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (err) {
    await admin.end().catch(() => {});
    return { result: null, skipped: `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} does not answer: ${(err as Error).message}` };
  }
  let opened: OpenedDatabase | undefined;
  try {
    const dbUrl = url.replace(/\/[^/]*$/, `/${dbName}`);
    opened = await openDatabase({ dbPath: '', databaseUrl: dbUrl, seed: true });
    return { result: await use(opened, dbUrl), version };
  } finally {
    await opened?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end().catch(() => {});
  }
}
