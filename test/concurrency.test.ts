// Capacity is enforced by the database: however many borrowers race on one Floatline, a pool
// never lends more than it may, and one seat is returned once. In-process (createFloatline) on
// SQLite and PostgreSQL; processes racing each other on one database are proved by the
// end-to-end tier (test/e2e/concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, startOn } from './helpers/each-database.ts';
import type { InProcessServer } from './helpers/in-process.ts';
import { postJson } from './helpers/server.ts';

describe.each(DATABASES)('concurrency on one Floatline, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { timers: false });
  });
  afterAll(() => s?.stop());

  const status = async (tool: string) => (await s.fetch(`/licenses/${tool}/status`)).json() as Promise<any>;

  it('200 simultaneous borrows of a 5-seat pool: exactly 5 succeed, one overage charge', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: `rush${i}` })),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 409)).toHaveLength(195);
    expect(new Set(results.filter((r) => r.status === 200).map((r) => r.json.id)).size).toBe(5);
    expect(await status('cad_tool')).toMatchObject({ borrowed: 5, available: 0, overage: 1, current_overage_cost: 100 });
    const charges = ((await (await s.fetch('/overage-charges?tool=cad_tool')).json()) as any).charges;
    expect(charges).toHaveLength(1);
    expect(results.filter((r) => r.status === 200).map((r) => r.json.id)).toContain(charges[0].borrow_id);
    const borrows = (await (await s.fetch('/borrows')).json()) as any[];
    expect(borrows.filter((x) => x.tool === 'cad_tool')).toHaveLength(5);
    for (const r of results.filter((x) => x.status === 200)) await postJson(`${s.url}/licenses/return`, { id: r.json.id });
  });

  it('50 simultaneous returns of one id: exactly one succeeds, the count never goes negative', async () => {
    const borrow = await postJson(`${s.url}/licenses/borrow`, { tool: 'simulation', user: 'once' });
    expect(borrow.status).toBe(200);
    const results = await Promise.all(Array.from({ length: 50 }, () => postJson(`${s.url}/licenses/return`, { id: borrow.json.id })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(49);
    expect(await status('simulation')).toMatchObject({ borrowed: 0, available: 3 });
  });
});
