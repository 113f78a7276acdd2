// Leases: a borrow may carry a lease that lapses unless renewed by heartbeats;
// the sweep (about once a second, inside createFloatline) releases overdue leases with an
// `expired` event, log line and metric; idempotency keys make retries take one seat.
// In-process, on a temporary SQLite file, on a clock the test moves; the sweep's own tick is
// proven with real processes in e2e/leases-processes.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { gql, postJson } from './helpers/server.ts';
import { subscribeSse } from './helpers/live.ts';
import { TestClock } from './helpers/clock.ts';

let s: InProcessServer;
// The server's clock, moved by the test: leases lapse in simulated seconds, and the background
// sweep is off (the test runs it after moving the clock, as its tick would).
const clock = new TestClock('2026-03-10T08:00:00Z');
beforeAll(async () => {
  s = await startInProcess({ listen: true, clock, timers: false }); // a socket for the SSE subscription
});
afterAll(async () => {
  await s?.stop();
});

const borrow = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  postJson(`${s.url}/licenses/borrow`, body, { headers: { 'content-type': 'application/json', ...headers } });
const beat = (id: string) => postJson(`${s.url}/licenses/heartbeat`, { id });
const status = async (tool: string) => (await (await s.fetch(`/licenses/${tool}/status`)).json()) as any;
const borrows = async () => (await (await s.fetch('/borrows')).json()) as any[];
const metric = async (name: string, tool: string) => {
  const text = await (await s.fetch('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`tool="${tool}"`));
  return line ? Number(line.split(' ').pop()) : 0;
};
describe('leases', () => {
  it('a borrow without lease answers expires_at null and never expires; the seed fields come first', async () => {
    const r = await borrow({ tool: 'analysis', user: 'plain' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['id', 'tool', 'user', 'borrowed_at', 'expires_at', 'host', 'project', 'team']);
    expect(r.json).toMatchObject({ expires_at: null, host: null });
    expect(await beat(r.json.id)).toMatchObject({
      status: 200,
      json: { id: r.json.id, tool: 'analysis', user: 'plain', expires_at: null },
    });
    await postJson(`${s.url}/licenses/return`, { id: r.json.id });
  });

  it('refuses a lease outside 5..86400 s, naming the field', async () => {
    for (const lease_seconds of [4, 86_401, 2.5, 'x']) {
      const r = await borrow({ tool: 'analysis', user: 'bad', lease_seconds });
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.json.detail)).toContain('lease_seconds');
    }
    const g = await gql(
      s.url,
      'mutation { borrowLicense(tool: "analysis", user: "bad", leaseSeconds: 3) { __typename ... on InvalidInput { field } } }',
    );
    expect(g.data).toEqual({ borrowLicense: { __typename: 'InvalidInput', field: 'leaseSeconds' } });
    expect((await status('analysis')).borrowed).toBe(0);
  });

  it('heartbeat for an unknown id is 404 as for a return', async () => {
    expect(await beat('no-such-borrow')).toMatchObject({ status: 404, json: { detail: 'Borrow record not found' } });
  });

  it('a 5 s lease without heartbeat is released once its 5 s have passed (event, log, metric, gone from /borrows); one renewed every 2 s is still held after 20 s; a late heartbeat is 410', async () => {
    const sub = subscribeSse(s.url, 'subscription { licenseEvents(tool: "cad_tool") { type borrowId user } }');
    await sub.ready;
    const before = await metric('license_lease_expirations_total', 'cad_tool');
    const silent = await borrow({ tool: 'cad_tool', user: 'sleeper', lease_seconds: 5, host: 'laptop-7' });
    const kept = await borrow({ tool: 'cad_tool', user: 'worker', lease_seconds: 5, host: 'ci-runner' });
    expect(silent.status).toBe(200);
    expect(silent.json).toMatchObject({ tool: 'cad_tool', user: 'sleeper', host: 'laptop-7' });
    const lease = Date.parse(silent.json.expires_at) - Date.parse(silent.json.borrowed_at);
    expect(lease).toBe(5000);
    const listed = (await borrows()).find((b) => b.id === silent.json.id);
    expect(listed).toMatchObject({ host: 'laptop-7', expires_at: silent.json.expires_at });
    const held = async (id: string) => (await borrows()).some((b) => b.id === id);

    // Twenty seconds of the server's clock, two at a time: the worker renews at each step while
    // the sleeper stays silent, and the sweep runs after each step as its tick would.
    const renewals: number[] = [];
    for (let step = 1; step <= 10; step++) {
      clock.advance(2000);
      const r = await beat(kept.json.id);
      renewals.push(r.status);
      if (r.status === 200) expect(Date.parse(r.json.expires_at)).toBe(clock.now().getTime() + 5000);
      await s.floatline.licenses.sweepLeases();
      if (step === 2) expect(await held(silent.json.id)).toBe(true); // 4 s: inside its lease
      if (step === 3) {
        // 6 s: past its lease, released by the sweep.
        const expired = await sub.next((e: any) => e.type === 'EXPIRED', 10_000);
        expect(expired).toEqual({ type: 'EXPIRED', borrowId: silent.json.id, user: 'sleeper' });
        expect(await held(silent.json.id)).toBe(false);
        expect(await metric('license_lease_expirations_total', 'cad_tool')).toBe(before + 1);
        expect(s.logs.find((l) => l.event === 'lease_expired' && l.borrow_id === silent.json.id)).toMatchObject({
          tool: 'cad_tool',
          user: 'sleeper',
        });
      }
    }

    const late = await beat(silent.json.id);
    expect(late.status).toBe(410);
    expect(late.json.detail).toMatch(/expired/);
    const g = await gql(s.url, `mutation { heartbeat(id: "${silent.json.id}") { __typename ... on LeaseExpired { id message } } }`);
    expect(g.data?.heartbeat).toMatchObject({ __typename: 'LeaseExpired', id: silent.json.id });

    expect(renewals).toEqual(Array(10).fill(200));
    expect(await metric('license_heartbeats_total', 'cad_tool')).toBeGreaterThanOrEqual(10);
    expect(await held(kept.json.id)).toBe(true);
    expect(await status('cad_tool')).toMatchObject({ borrowed: 1 });
    sub.close();
    await postJson(`${s.url}/licenses/return`, { id: kept.json.id });
  });

  it('the GraphQL borrow takes leaseSeconds and host and Borrow shows expiresAt and host; heartbeat renews', async () => {
    const g = await gql(
      s.url,
      'mutation { borrowLicense(tool: "simulation", user: "gq", leaseSeconds: 60, host: "ws-1") { __typename ... on Borrow { id host expiresAt borrowedAt } } }',
    );
    const b = g.data.borrowLicense;
    expect(b).toMatchObject({ __typename: 'Borrow', host: 'ws-1' });
    expect(Date.parse(b.expiresAt) - Date.parse(b.borrowedAt)).toBe(60_000);
    const h = await gql(s.url, `mutation { heartbeat(id: "${b.id}") { __typename ... on Lease { id tool user expiresAt } } }`);
    expect(h.data.heartbeat).toMatchObject({ __typename: 'Lease', id: b.id, tool: 'simulation', user: 'gq' });
    expect(Date.parse(h.data.heartbeat.expiresAt)).toBeGreaterThanOrEqual(Date.parse(b.expiresAt));
    const q = await gql(s.url, 'query { borrows(user: "gq") { nodes { id host expiresAt } } }');
    expect(q.data.borrows.nodes).toEqual([{ id: b.id, host: 'ws-1', expiresAt: h.data.heartbeat.expiresAt }]);
    await postJson(`${s.url}/licenses/return`, { id: b.id });
  });
});

describe('pool default lease', () => {
  const budget = async (tool: string) => ((await (await s.fetch('/config/budget')).json()) as any).tools.find((t: any) => t.tool === tool);
  const put = (body: Record<string, unknown>) =>
    s.fetch('/config/budget', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is set through PUT /config/budget (absent leaves it, null clears it) and applies to borrows that name none', async () => {
    const { borrowed: _b, lease_seconds, ...seed } = await budget('analysis');
    expect(lease_seconds).toBeNull();
    expect((await put({ ...seed, lease_seconds: 30 })).status).toBe(200);
    expect(await budget('analysis')).toMatchObject({ lease_seconds: 30 });
    expect((await put(seed)).status).toBe(200); // the seed's body: the default stays
    expect(await budget('analysis')).toMatchObject({ lease_seconds: 30 });
    const own = await borrow({ tool: 'analysis', user: 'own', lease_seconds: 10 });
    const dflt = await borrow({ tool: 'analysis', user: 'dflt' });
    expect(Date.parse(own.json.expires_at) - Date.parse(own.json.borrowed_at)).toBe(10_000);
    expect(Date.parse(dflt.json.expires_at) - Date.parse(dflt.json.borrowed_at)).toBe(30_000);
    const bad = await put({ ...seed, lease_seconds: 3 });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('lease_seconds');
    const g = await gql(
      s.url,
      `mutation { updateBudget(input: { tool: "analysis", total: ${seed.total}, commit: ${seed.commit}, maxOverage: ${seed.max_overage}, commitPrice: ${seed.commit_price}, overagePricePerLicense: ${seed.overage_price_per_license}, leaseSeconds: null }) { __typename ... on Pool { leaseSeconds } } }`,
    );
    expect(g.data.updateBudget).toEqual({ __typename: 'Pool', leaseSeconds: null });
    expect(await budget('analysis')).toMatchObject({ lease_seconds: null });
    for (const r of [own, dflt]) await postJson(`${s.url}/licenses/return`, { id: r.json.id });
  });

  it('is set when a pool is created (POST /config/tools, GraphQL createPool); a retired pool is unknown to borrow and heartbeat', async () => {
    const body = { total: 2, commit: 1, max_overage: 1, commit_price: 10, overage_price_per_license: 5 };
    const create = (b: Record<string, unknown>) =>
      s.fetch('/config/tools', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect((await create({ tool: 'leased_pool', ...body, lease_seconds: 3 })).status).toBe(422);
    expect((await create({ tool: 'leased_pool', ...body, commit: 3, lease_seconds: 30 })).status).toBe(422);
    const made = await create({ tool: 'leased_pool', ...body, lease_seconds: 30 });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ tool: 'leased_pool', lendable: 2 });
    expect(await budget('leased_pool')).toMatchObject({ lendable: 2, lease_seconds: 30 });
    const held = await borrow({ tool: 'leased_pool', user: 'lp', host: 'ws-1' });
    expect(Date.parse(held.json.expires_at) - Date.parse(held.json.borrowed_at)).toBe(30_000);
    expect(await status('leased_pool')).toMatchObject({ borrowed: 1, lendable: 1 });
    expect((await s.fetch('/config/tools/leased_pool', { method: 'DELETE' })).status).toBe(409);
    expect((await beat(held.json.id)).status).toBe(200);
    await postJson(`${s.url}/licenses/return`, { id: held.json.id });
    expect((await s.fetch('/config/tools/leased_pool', { method: 'DELETE' })).status).toBe(200);
    expect((await borrow({ tool: 'leased_pool', user: 'lp' })).status).toBe(404);
    expect((await beat(held.json.id)).status).toBe(404);
    expect(await budget('leased_pool')).toBeUndefined();

    const g = await gql(
      s.url,
      'mutation { createPool(input: { tool: "leased_gql", total: 1, commit: 1, maxOverage: 0, commitPrice: 0, overagePricePerLicense: 0, leaseSeconds: 3 }) { __typename ... on InvalidInput { field } } }',
    );
    expect(g.data.createPool).toEqual({ __typename: 'InvalidInput', field: 'leaseSeconds' });
    const ok = await gql(
      s.url,
      'mutation { createPool(input: { tool: "leased_gql", total: 1, commit: 1, maxOverage: 0, commitPrice: 0, overagePricePerLicense: 0, leaseSeconds: 60 }) { __typename ... on Pool { leaseSeconds lendable } } }',
    );
    expect(ok.data.createPool).toEqual({ __typename: 'Pool', leaseSeconds: 60, lendable: 1 });
    expect((await gql(s.url, 'mutation { retirePool(tool: "leased_gql") { __typename } }')).data.retirePool).toEqual({
      __typename: 'Pool',
    });
  });
});

describe('idempotent borrows', () => {
  it('50 simultaneous borrows with one key take one seat and all answer the same id', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2
          ? borrow({ tool: 'cad_tool', user: 'retry', idempotency_key: 'job-42' })
          : borrow({ tool: 'cad_tool', user: 'retry' }, { 'Idempotency-Key': 'job-42' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await status('cad_tool')).toMatchObject({ borrowed: 1 });
    expect((await borrows()).filter((b) => b.user === 'retry')).toHaveLength(1);
    const again = await borrow({ tool: 'cad_tool', user: 'retry', idempotency_key: 'job-42' });
    expect(again.json).toEqual(results[0]!.json);
    const reused = await borrow({ tool: 'simulation', user: 'retry', idempotency_key: 'job-42' });
    expect(reused.status).toBe(422);
    expect(reused.json.detail[0]).toMatchObject({ loc: ['body', 'idempotency_key'], type: 'idempotency_key_reused' });
    expect((await status('simulation')).borrowed).toBe(0);
    const g = await gql(
      s.url,
      'mutation { borrowLicense(tool: "analysis", user: "retry", idempotencyKey: "job-42") { __typename ... on InvalidInput { field } } }',
    );
    expect(g.data.borrowLicense).toEqual({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    await postJson(`${s.url}/licenses/return`, { id: again.json.id });
    expect((await status('cad_tool')).borrowed).toBe(0);
  });
});
