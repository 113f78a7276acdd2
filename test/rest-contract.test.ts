// The seed's REST contract, checked in-process (createFloatline on its own SQLite file);
// each test gets a fresh server, so none depends on what another left behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { BILLING_FIELDS, SEED_STATUS_FIELDS, defaultBilling } from './helpers/contract.ts';

let s: InProcessServer;
beforeEach(async () => {
  s = await startInProcess();
});
afterEach(async () => {
  await s?.stop();
});

const get = async (path: string) => {
  const res = await s.fetch(`${s.url}${path}`);
  return { status: res.status, json: (await res.json()) as any };
};
const borrow = (tool: string, user: string) => postJson(`${s.url}/licenses/borrow`, { tool, user });
const giveBack = (id: string) => postJson(`${s.url}/licenses/return`, { id });

describe('REST contract', () => {
  it('seeds the default pools with their budgets, sorted by tool', async () => {
    const { status, json } = await get('/licenses/status');
    expect(status).toBe(200);
    expect(json.map((p: any) => [p.tool, p.total, p.commit, p.max_overage, p.commit_price, p.overage_price_per_license])).toEqual([
      ['analysis', 2, 1, 1, 1000, 100],
      ['cad_tool', 5, 4, 1, 1000, 100],
      ['simulation', 3, 2, 1, 1000, 100],
    ]);
    // The seed's fields in the seed's order; new fields only after them.
    expect(Object.keys(json[0])).toEqual([...SEED_STATUS_FIELDS, 'lendable', 'queued', ...BILLING_FIELDS]);
  });

  it('runs the worked example: commit, overage, exhaustion, return, charges kept', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await borrow('cad_tool', `user${i}`);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ tool: 'cad_tool', user: `user${i}` });
      expect(r.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(r.json.borrowed_at).toISOString()).toBe(r.json.borrowed_at);
      ids.push(r.json.id);
    }
    expect((await get('/licenses/cad_tool/status')).json).toMatchObject({
      borrowed: 4,
      overage: 0,
      in_commit: true,
      current_overage_cost: 0,
      total_cost: 1000,
    });

    const fifth = await borrow('cad_tool', 'eve');
    expect(fifth.status).toBe(200);
    expect((await get('/licenses/cad_tool/status')).json).toEqual({
      tool: 'cad_tool',
      total: 5,
      borrowed: 5,
      available: 0,
      commit: 4,
      max_overage: 1,
      overage: 1,
      in_commit: false,
      commit_price: 1000,
      overage_price_per_license: 100,
      current_overage_cost: 100,
      total_cost: 1100,
      lendable: 0,
      queued: 0,
      ...defaultBilling(100),
    });
    const charges = (await get('/overage-charges')).json.charges;
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ tool: 'cad_tool', borrow_id: fifth.json.id, user: 'eve', amount: 100 });

    const sixth = await borrow('cad_tool', 'mallory');
    expect(sixth.status).toBe(409);
    expect(sixth.json).toEqual({ detail: 'No licenses available for cad_tool' });

    const back = await giveBack(fifth.json.id);
    expect(back.status).toBe(200);
    expect(back.json).toEqual({ status: 'ok', tool: 'cad_tool' });
    expect((await get('/licenses/cad_tool/status')).json).toMatchObject({
      borrowed: 4,
      overage: 0,
      in_commit: true,
      current_overage_cost: 100,
      total_cost: 1100,
    });
    expect((await get('/overage-charges?tool=cad_tool')).json.charges).toHaveLength(1);
    expect((await get('/overage-charges?tool=analysis')).json.charges).toHaveLength(0);

    for (const id of ids) expect((await giveBack(id)).status).toBe(200);
  });

  it('denies at the overage limit before the pool is full (max_overage)', async () => {
    await s.fetch(`${s.url}/config/budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'simulation', total: 3, commit: 1, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 }),
    });
    const first = await borrow('simulation', 'a');
    expect(first.status).toBe(200);
    expect((await borrow('simulation', 'b')).json).toEqual({ detail: 'No licenses available for simulation' });
    const metrics = await (await s.fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/license_borrow_failure_total\{tool="simulation",reason="max_overage"\} 1/);
    await giveBack(first.json.id);
  });

  it('answers unknown tools and ids with 404 and a second return with 404', async () => {
    expect(await borrow('no_such_tool', 'a')).toMatchObject({ status: 404, json: { detail: 'Tool not found' } });
    expect(await get('/licenses/no_such_tool/status')).toEqual({ status: 404, json: { detail: 'Tool not found' } });
    const b = await borrow('analysis', 'zed');
    expect((await giveBack(b.json.id)).status).toBe(200);
    expect(await giveBack(b.json.id)).toMatchObject({ status: 404, json: { detail: 'Borrow record not found' } });
    expect(await giveBack('00000000-0000-4000-8000-000000000000')).toMatchObject({
      status: 404,
      json: { detail: 'Borrow record not found' },
    });
  });

  it('lists current borrows newest first, filtered by exact user', async () => {
    const a = await borrow('cad_tool', 'list-alice');
    // Newest first is by borrowed_at: the second borrow must come at a later millisecond.
    while (Date.now() <= Date.parse(a.json.borrowed_at)) await new Promise((r) => setImmediate(r));
    const b = await borrow('analysis', 'list-bob');
    const all = (await get('/borrows')).json;
    expect(all.map((x: any) => x.id).slice(0, 2)).toEqual([b.json.id, a.json.id]);
    expect(Object.keys(all[0])).toEqual(['id', 'tool', 'user', 'borrowed_at', 'expires_at', 'host', 'project', 'team']);
    expect((await get('/borrows?user=list-alice')).json).toEqual([a.json]);
    expect((await get('/borrows?user=list')).json).toEqual([]);
    await giveBack(a.json.id);
    await giveBack(b.json.id);
  });

  it('reads and changes budgets, refusing a total below current borrows', async () => {
    const before = (await get('/config/budget')).json.tools;
    expect(before.map((t: any) => t.tool)).toEqual(['analysis', 'cad_tool', 'simulation']);
    expect(Object.keys(before[0])).toEqual([
      'tool',
      'total',
      'borrowed',
      'commit',
      'max_overage',
      'commit_price',
      'overage_price_per_license',
      'lendable',
      'lease_seconds', // Floatline: the pool's default lease, after the seed's fields and pools' lendable
      ...BILLING_FIELDS, // billing settings and this period's overage spend
    ]);

    const put = (body: object) =>
      s
        .fetch(`${s.url}/config/budget`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
    const held = [await borrow('analysis', 'x'), await borrow('analysis', 'y')];
    expect(await put({ tool: 'analysis', total: 1, commit: 1, max_overage: 0, commit_price: 1, overage_price_per_license: 1 })).toEqual({
      status: 400,
      json: { detail: 'Tool not found or total cannot be reduced below current borrows' },
    });
    expect(await put({ tool: 'ghost', total: 3, commit: 1, max_overage: 1, commit_price: 1, overage_price_per_license: 1 })).toEqual({
      status: 400,
      json: { detail: 'Tool not found or total cannot be reduced below current borrows' },
    });
    // Not in the seed (which stored it): a commit above the total is a 422 naming commit.
    expect(await put({ tool: 'analysis', total: 3, commit: 4, max_overage: 0, commit_price: 1, overage_price_per_license: 1 })).toEqual({
      status: 422,
      json: { detail: [{ loc: ['body', 'commit'], msg: 'commit (4) cannot exceed total (3)', type: 'value_error' }] },
    });
    expect(
      await put({ tool: 'analysis', total: 4, commit: 2, max_overage: 2, commit_price: 1500, overage_price_per_license: 250 }),
    ).toEqual({ status: 200, json: { status: 'ok', tool: 'analysis' } });
    expect((await get('/licenses/analysis/status')).json).toMatchObject({
      total: 4,
      commit: 2,
      max_overage: 2,
      commit_price: 1500,
      borrowed: 2,
      available: 2,
    });
    for (const h of held) await giveBack(h.json.id);
  });

  it('logs frontend errors and reports the version', async () => {
    const r = await postJson(`${s.url}/frontend-error`, { message: 'boom <b>x</b>', stack: 'at x', url: 'http://localhost/' });
    expect(r).toMatchObject({ status: 200, json: { status: 'ok' } });
    const line = await s.waitForLog((l) => l.event === 'frontend_error');
    expect(line).toMatchObject({ level: 'error', error_message: 'boom <b>x</b>', stack: 'at x' });
    expect((await postJson(`${s.url}/frontend-error`, { stack: 'no message' })).status).toBe(422);
    expect(await get('/version')).toEqual({ status: 200, json: { version: 'dev' } });
  });

  it('describes the REST routes in /openapi.json and /docs', async () => {
    const spec = (await get('/openapi.json')).json;
    for (const path of [
      '/licenses/borrow',
      '/licenses/return',
      '/licenses/status',
      '/licenses/{tool}/status',
      '/borrows',
      '/overage-charges',
      '/config/budget',
      '/frontend-error',
      '/version',
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    const docs = await s.fetch(`${s.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
