// The same contract on PostgreSQL (DATABASE_URL): migrations at start-up, the worked
// example, and capacity held by the database across two server processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { subscribeSse } from '../helpers/live.ts';
import { onPostgres, postgresAdminUrl } from '../helpers/postgres.ts';

const ADMIN_URL = postgresAdminUrl(); // TEST_POSTGRES_URL, the machine's, or a throwaway cluster
const dbName = `floatline_test_${randomUUID().slice(0, 8)}`;
const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);

let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  // Two processes starting together: the advisory lock makes one of them migrate.
  [a, b] = await Promise.all([startServer({ env: { DATABASE_URL: dbUrl } }), startServer({ env: { DATABASE_URL: dbUrl } })]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

const status = async (s: RunningServer, tool: string) => (await fetch(`${s.url}/licenses/${tool}/status`)).json() as Promise<any>;

/** Every migration, in order: applied once, by one of the two processes. */
const MIGRATIONS = [
  '20261122120000_init',
  '20261130190000_leases',
  '20261130191000_pool_admin',
  '20261130210000_queue',
  '20261130211000_auth',
  '20261130220000_teams',
  '20261130230000_charge_team',
  '20261201000000_billing',
  '20261201000000_reports',
  '20261201003000_team_member_source',
  '20261201030000_seat_hours',
  '20261207020000_observed',
  '20261207053152_observed_prices',
  '20261207060000_seat_start_by_tool',
];

describe('PostgreSQL', () => {
  it('migrates once and seeds the default pools', async () => {
    const ready = [a, b].map((s) => s.logs.find((l) => l.event === 'database_ready')!);
    expect(ready.map((l) => l.database)).toEqual(['postgresql', 'postgresql']);
    expect(ready.flatMap((l) => l.migrations_applied as string[])).toEqual(MIGRATIONS);
    const pools = (await (await fetch(`${a.url}/licenses/status`)).json()) as any[];
    expect(pools.map((p) => [p.tool, p.total, p.commit, p.max_overage])).toEqual([
      ['analysis', 2, 1, 1],
      ['cad_tool', 5, 4, 1],
      ['simulation', 3, 2, 1],
    ]);
    const rows = await onPostgres(
      dbUrl,
      async (c) => (await c.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).rows,
    );
    expect(rows).toEqual(MIGRATIONS.map((migration_name) => ({ migration_name })));
  });

  it('runs the worked example and pushes it to subscribers of the other process via the same rules', async () => {
    const sub = subscribeSse(a.url, 'subscription { poolChanged(tool: "cad_tool") { borrowed overage } }');
    await sub.ready;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await postJson(`${a.url}/licenses/borrow`, { tool: 'cad_tool', user: `pg${i}` })).json.id);
    expect(await status(b, 'cad_tool')).toMatchObject({
      borrowed: 5,
      overage: 1,
      in_commit: false,
      current_overage_cost: 100,
      total_cost: 1100,
    });
    expect(await postJson(`${b.url}/licenses/borrow`, { tool: 'cad_tool', user: 'late' })).toMatchObject({
      status: 409,
      json: { detail: 'No licenses available for cad_tool' },
    });
    expect(await sub.next((p) => p.borrowed === 5)).toEqual({ borrowed: 5, overage: 1 });
    expect(await postJson(`${b.url}/licenses/return`, { id: ids[4] })).toMatchObject({
      status: 200,
      json: { status: 'ok', tool: 'cad_tool' },
    });
    expect(await postJson(`${a.url}/licenses/return`, { id: ids[4] })).toMatchObject({ status: 404 });
    expect(await status(a, 'cad_tool')).toMatchObject({ borrowed: 4, current_overage_cost: 100 });
    const borrows = (await (await fetch(`${a.url}/borrows?user=pg0`)).json()) as any[];
    expect(borrows).toHaveLength(1);
    expect(new Date(borrows[0].borrowed_at).toISOString()).toBe(borrows[0].borrowed_at);
    for (const id of ids.slice(0, 4)) await postJson(`${a.url}/licenses/return`, { id });
    sub.close();
  });

  it('two processes never over-lend a pool together', async () => {
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/licenses/borrow`, { tool: 'simulation', user: `race${i}` })),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(117);
    expect(await status(a, 'simulation')).toMatchObject({ borrowed: 3, overage: 1, current_overage_cost: 100 });
    const charges = ((await (await fetch(`${b.url}/overage-charges?tool=simulation`)).json()) as any).charges;
    expect(charges).toHaveLength(1);
  });

  it('changes budgets and keeps the rule on current borrows', async () => {
    const put = (body: object) =>
      fetch(`${a.url}/config/budget`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(
      (await put({ tool: 'simulation', total: 2, commit: 1, max_overage: 1, commit_price: 1, overage_price_per_license: 1 })).status,
    ).toBe(400);
    expect(
      (await put({ tool: 'simulation', total: 9, commit: 5, max_overage: 2, commit_price: 1, overage_price_per_license: 1 })).status,
    ).toBe(200);
    expect(await status(b, 'simulation')).toMatchObject({ total: 9, commit: 5, borrowed: 3 });
  });
});
