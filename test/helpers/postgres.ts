// PostgreSQL for the tests that need one, on any machine `npm test` runs on:
//   1. TEST_POSTGRES_URL, when set (CI's service container);
//   2. else postgresql://root@127.0.0.1:5432/postgres, when it answers (the developers' machines);
//   3. else a throwaway cluster started from the installed binaries (Debian's `postgresql`,
//      installed by scripts/ensure-test-tools.sh) in a temporary folder on a free port, stopped
//      and deleted at the end of the run.
// test/global-setup.ts resolves this once per vitest run; test files read the URL with
// postgresAdminUrl(). TEST_POSTGRES_PROBE_URL replaces the default of step 2, so a fresh
// machine can be imitated by pointing it at a closed port.
import { inject } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { asUser, freePort, run, type ResolvedService } from './throwaway.ts';

export const DEFAULT_POSTGRES_URL = 'postgresql://root@127.0.0.1:5432/postgres';

/** The admin URL this run's global setup resolved (a database to CREATE DATABASE in). */
export function postgresAdminUrl(): string {
  const url = inject('postgresAdminUrl');
  if (!url) throw new Error(`no PostgreSQL for the tests: ${inject('postgresError') ?? 'global setup did not run'}`);
  return url;
}

/** Runs fn on a fresh connection to url and closes it; a server that does not answer says so. */
export async function onPostgres<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(`PostgreSQL does not answer at ${url} (set TEST_POSTGRES_URL): ${(err as Error).message}`);
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(`PostgreSQL binaries not found in ${base}/*/bin: apt-get install postgresql (npm test's pretest does it)`);
  return join(base, majors[0]!, 'bin');
}

/** initdb + pg_ctl start in a temporary folder on a free loopback port; trust auth, user postgres. */
export async function startThrowawayPostgres(): Promise<ResolvedService> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'floatline-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number((await run('id', ['-u', 'postgres'])).trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const ctl = (args: string[]) => run(...asUser('postgres', join(bin, 'pg_ctl'), args));
  try {
    await run(...asUser('postgres', join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']));
    await ctl([
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    source: 'throwaway',
    async stop() {
      await ctl(['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ResolveOptions {
  url?: string;
  probeUrl?: string;
}

/** Steps 1–3 above; the options stand in for the environment variables. */
export async function resolvePostgres(
  opts: ResolveOptions = { url: process.env.TEST_POSTGRES_URL, probeUrl: process.env.TEST_POSTGRES_PROBE_URL },
): Promise<ResolvedService> {
  const none = async () => {};
  if (opts.url) return { url: opts.url, source: 'environment', stop: none };
  const probe = opts.probeUrl ?? DEFAULT_POSTGRES_URL;
  if (await postgresAnswers(probe)) return { url: probe, source: 'default', stop: none };
  return startThrowawayPostgres();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | undefined;
    postgresError: string | undefined;
  }
}
