// Capacity is enforced by the database across processes: two server processes sharing one
// SQLite file never over-lend together, and one seat returned through both is returned once.
// Races inside one Floatline, on SQLite and PostgreSQL, are in the fast tier
// (test/concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';

let a: RunningServer;
let b: RunningServer;
beforeAll(async () => {
  a = await startServer();
  b = await startServer({ dbPath: a.dbPath }); // a second process on the same SQLite file
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

const status = async (s: RunningServer, tool: string) => (await fetch(`${s.url}/licenses/${tool}/status`)).json() as Promise<any>;

describe('concurrency', () => {
  it('50 simultaneous returns of one id through both processes: exactly one succeeds, the count never goes negative', async () => {
    const borrow = await postJson(`${a.url}/licenses/borrow`, { tool: 'simulation', user: 'once' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/licenses/return`, { id: borrow.json.id })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(49);
    expect(await status(a, 'simulation')).toMatchObject({ borrowed: 0, available: 3 });
  });

  it('two server processes sharing the database never over-lend together', async () => {
    // simulation: T3 C2 O1 → at most 3 seats, one of them overage.
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/licenses/borrow`, { tool: 'simulation', user: `p${i}` })),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(117);
    expect(results.some((r) => r.status >= 500)).toBe(false);
    expect(await status(b, 'simulation')).toMatchObject({ borrowed: 3, overage: 1, current_overage_cost: 100 });
    const charges = ((await (await fetch(`${b.url}/overage-charges?tool=simulation`)).json()) as any).charges;
    expect(charges).toHaveLength(1);
  });
});
