// Pools across two server processes on one SQLite file: a pool created in one lends in the
// other, borrows racing a retire never end in a retired pool, and a retired pool leaves the
// other process's metrics. The rest of the pool rules run in-process (test/pools.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';

const budget = (tool: string, over: Record<string, unknown> = {}) => ({
  tool,
  total: 2,
  commit: 1,
  max_overage: 1,
  commit_price: 500,
  overage_price_per_license: 50,
  ...over,
});

describe('pools across two processes on one SQLite file', () => {
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    a = await startServer();
    b = await startServer({ dbPath: a.dbPath });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a pool created in one process lends in the other; borrows racing a retire never end in a retired pool', async () => {
    const rest = (s: RunningServer, method: string, path: string, body?: unknown) =>
      fetch(`${s.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
    for (let i = 0; i < 5; i++) {
      const tool = `shared${i}`;
      expect((await rest(a, 'POST', '/config/tools', budget(tool, { total: 3, commit: 3, max_overage: 0 }))).status).toBe(201);
      // Three borrows on b race the retire on a.
      const [retire, ...borrows] = await Promise.all([
        rest(a, 'DELETE', `/config/tools/${tool}`),
        ...['x', 'y', 'z'].map((user) => rest(b, 'POST', '/licenses/borrow', { tool, user })),
      ]);
      const won = borrows.filter((r) => r.status === 200);
      expect(borrows.every((r) => r.status === 200 || r.status === 404)).toBe(true);
      // Either the retire won (no borrow after it) or it was refused because a borrow won.
      expect(retire!.status).toBe(won.length > 0 ? 409 : 200);
      for (const r of won) expect((await rest(b, 'POST', '/licenses/return', { id: r.json.id })).status).toBe(200);
      if (won.length > 0) expect((await rest(a, 'DELETE', `/config/tools/${tool}`)).status).toBe(200);
      expect((await rest(b, 'GET', `/licenses/${tool}/status`)).status).toBe(404);
      expect((await rest(b, 'POST', '/licenses/borrow', { tool, user: 'late' })).status).toBe(404);
    }
    expect(((await rest(b, 'GET', '/borrows')).json as any[]).filter((x) => x.tool.startsWith('shared'))).toEqual([]);
  });

  it("a pool retired in one process leaves the other's metrics at its next scrape; an overdue lease does not keep it alive", async () => {
    const metrics = async (s: RunningServer) => (await fetch(`${s.url}/metrics`)).text();
    expect((await postJson(`${a.url}/config/tools`, budget('gauged', { total: 2, commit: 2, max_overage: 0 }))).status).toBe(201);
    expect(await metrics(b)).toContain('license_pool_seats{tool="gauged"} 2');
    // A 5 s lease nobody renews: once it is overdue, the retire releases it first instead of
    // refusing until the next sweep.
    const leased = await postJson(`${b.url}/licenses/borrow`, { tool: 'gauged', user: 'gone', lease_seconds: 5 });
    expect(leased.status).toBe(200);
    expect((await fetch(`${a.url}/config/tools/gauged`, { method: 'DELETE' })).status).toBe(409);
    const due = Date.parse(leased.json.expires_at);
    // Real time must pass here: the lease is held by another process, whose clock the test
    // cannot move, and its deadline itself is the condition (no state to poll before it).
    await new Promise((r) => setTimeout(r, Math.max(due - Date.now(), 0) + 50));
    expect((await fetch(`${a.url}/config/tools/gauged`, { method: 'DELETE' })).status).toBe(200);
    const after = await metrics(b);
    expect(after).not.toContain('tool="gauged"} 2');
    expect(after).not.toMatch(/license_pool_seats\{tool="gauged"\}/);
    expect(after).toMatch(/license_pool_seats\{tool="cad_tool"\}/);
  }, 20_000);
});
