// `main migrate` — the Kubernetes init step: it migrates and seeds the database, then exits
// without listening. Three started at once on one fresh PostgreSQL database (a rollout's
// pods starting together) migrate it exactly once; a server started afterwards has nothing
// left to apply.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { onPostgres, postgresAdminUrl } from '../helpers/postgres.ts';
import { ROOT, startServer } from '../helpers/server.ts';

interface Run {
  code: number;
  lines: Array<Record<string, any>>;
  stderr: string;
}

function migrate(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', 'migrate'],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', PORT: '1', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const lines = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, lines, stderr });
      },
    );
  });
}

const done = (r: Run) => r.lines.find((l) => l.event === 'migrations_done');

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_migrate_${randomUUID().slice(0, 8)}`;
const pgUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
afterAll(() => onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)));

describe('main migrate', () => {
  it('on PostgreSQL: three at once migrate and seed once, and exit 0 without listening', async () => {
    await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
    const runs = await Promise.all([1, 2, 3].map(() => migrate({ DATABASE_URL: pgUrl })));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(done(r)).toMatchObject({ database: 'postgresql' });
      expect(r.lines.some((l) => l.event === 'server_listening')).toBe(false);
    }
    // The advisory lock let one of them do the work; the others found it done.
    const applied = runs.map((r) => done(r)!.applied.length).sort();
    expect(applied[0]).toBe(0);
    expect(applied[1]).toBe(0);
    expect(applied[2]).toBeGreaterThan(3);
    expect(runs.flatMap((r) => done(r)!.tools_seeded).sort()).toEqual(['analysis', 'cad_tool', 'simulation']);
    const pools = await onPostgres(pgUrl, (c) => c.query('SELECT COUNT(*)::int AS n FROM _prisma_migrations'));
    expect(pools.rows[0].n).toBe(applied[2]);

    const server = await startServer({ env: { DATABASE_URL: pgUrl } });
    try {
      const started = server.logs.find((l) => Array.isArray(l.migrations_applied));
      expect(started).toMatchObject({ migrations_applied: [], tools_seeded: [] });
      expect(await (await fetch(`${server.url}/licenses/cad_tool/status`)).json()).toMatchObject({ tool: 'cad_tool', total: 5 });
    } finally {
      await server.stop();
    }
  }, 180_000); // four processes start one after another; a loaded machine takes its time

  it('on SQLite: creates the file with every table and the seeded pools', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'floatline-migrate-')), 'licenses.db');
    const r = await migrate({ LICENSE_DB_PATH: dbPath });
    expect(r.code, r.stderr).toBe(0);
    expect(done(r)).toMatchObject({ database: 'sqlite', tools_seeded: ['cad_tool', 'simulation', 'analysis'] });
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM _prisma_migrations').get()).toEqual({ n: done(r)!.applied.length });
    } finally {
      db.close();
    }
    // Again: nothing left to do.
    expect(done(await migrate({ LICENSE_DB_PATH: dbPath }))).toMatchObject({ applied: [], tools_seeded: [] });
  });

  it('fails with a clear message when the database cannot be reached', async () => {
    const r = await migrate({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^floatline: migrate: DATABASE_URL: cannot connect to PostgreSQL/);
  });
});
