// Capacity is enforced by the database: however many borrowers race, in one server
// process or several sharing the file, a pool never lends more than it may.
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
  it('200 simultaneous borrows of a 5-seat pool: exactly 5 succeed, one overage charge', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postJson(`${a.url}/licenses/borrow`, { tool: 'cad_tool', user: `rush${i}` })),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 409)).toHaveLength(195);
    expect(new Set(results.filter((r) => r.status === 200).map((r) => r.json.id)).size).toBe(5);
    expect(await status(a, 'cad_tool')).toMatchObject({ borrowed: 5, available: 0, overage: 1, current_overage_cost: 100 });
    const charges = ((await (await fetch(`${a.url}/overage-charges?tool=cad_tool`)).json()) as any).charges;
    expect(charges).toHaveLength(1);
    expect(results.filter((r) => r.status === 200).map((r) => r.json.id)).toContain(charges[0].borrow_id);
    const borrows = (await (await fetch(`${a.url}/borrows`)).json()) as any[];
    expect(borrows.filter((x) => x.tool === 'cad_tool')).toHaveLength(5);
    for (const r of results.filter((x) => x.status === 200)) await postJson(`${a.url}/licenses/return`, { id: r.json.id });
  });

  it('50 simultaneous returns of one id: exactly one succeeds, the count never goes negative', async () => {
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
