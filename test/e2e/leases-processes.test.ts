// Leases and idempotency across real processes sharing one database: two server processes
// on one SQLite file, and two on one PostgreSQL database. Both sweep every second; each
// overdue lease must be released exactly once, and retries with one idempotency key must
// take one seat however they race and whichever process answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { onPostgres, postgresAdminUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_leases_${randomUUID().slice(0, 8)}`;
const pgUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);

const pairs: Record<'SQLite' | 'PostgreSQL', RunningServer[]> = { SQLite: [], PostgreSQL: [] };
beforeAll(async () => {
  const a = await startServer();
  pairs.SQLite = [a, await startServer({ dbPath: a.dbPath })];
  await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  pairs.PostgreSQL = await Promise.all([startServer({ env: { DATABASE_URL: pgUrl } }), startServer({ env: { DATABASE_URL: pgUrl } })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([...pairs.SQLite, ...pairs.PostgreSQL].map((s) => s?.stop()));
  await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

const status = async (s: RunningServer, tool: string) => (await (await fetch(`${s.url}/licenses/${tool}/status`)).json()) as any;
const borrows = async (s: RunningServer) => (await (await fetch(`${s.url}/borrows`)).json()) as any[];
describe.each(['SQLite', 'PostgreSQL'] as const)('two processes on one %s database', (kind) => {
  it('50 simultaneous borrows with one idempotency key over both processes: one seat, one id', async () => {
    const [a, b] = pairs[kind];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postJson(`${(i % 2 ? a! : b!).url}/licenses/borrow`, { tool: 'cad_tool', user: 'retry', idempotency_key: `${kind}-job` }),
      ),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await status(a!, 'cad_tool')).toMatchObject({ borrowed: 1 });
    expect((await borrows(b!)).filter((x) => x.user === 'retry')).toHaveLength(1);
    expect((await postJson(`${a!.url}/licenses/return`, { id: results[0]!.json.id })).status).toBe(200);
  });

  it('one key raced for two pools: one seat in all, the others answer it or a 422, never a 5xx', async () => {
    const [a, b] = pairs[kind];
    const key = `${kind}-two-pools`;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postJson(`${(i % 2 ? a! : b!).url}/licenses/borrow`, {
          tool: i % 4 < 2 ? 'cad_tool' : 'simulation',
          user: 'racer',
          idempotency_key: key,
        }),
      ),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 422).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const ok = results.filter((r) => r.status === 200);
    expect(new Set(ok.map((r) => r.json.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status === 422)) expect(r.json.detail[0].type).toBe('idempotency_key_reused');
    const held = (await borrows(a!)).filter((x) => x.user === 'racer');
    expect(held).toHaveLength(1);
    const [cad, sim] = [await status(a!, 'cad_tool'), await status(a!, 'simulation')];
    expect(cad.borrowed + sim.borrowed).toBe(1);
    expect((await postJson(`${b!.url}/licenses/return`, { id: held[0].id })).status).toBe(200);
  });

  it('both processes sweep: each overdue lease is released exactly once, borrowed never drifts', async () => {
    const [a, b] = pairs[kind];
    const leased = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        postJson(`${(i % 2 ? a! : b!).url}/licenses/borrow`, { tool: 'simulation', user: `lease${i}`, lease_seconds: 5 }),
      ),
    );
    expect(leased.map((r) => r.status)).toEqual([200, 200, 200]);
    const ids = new Set(leased.map((r) => r.json.id as string));
    await waitFor(async () => (await status(a!, 'simulation')).borrowed === 0, 8_000, 'the three leases to expire');
    expect((await borrows(b!)).filter((x) => ids.has(x.id))).toEqual([]);
    // Exactly one `expired` event per lease, across both processes' logs and the history.
    // (Log lines arrive from the processes' stdout a moment after the answers.)
    const logged = () => [...a!.logs, ...b!.logs].filter((l) => l.event === 'lease_expired' && ids.has(l.borrow_id as string));
    await waitFor(async () => logged().length >= 3, 3_000, 'three lease_expired log lines');
    expect(
      logged()
        .map((l) => l.borrow_id)
        .sort(),
    ).toEqual([...ids].sort());
    const q = await postJson(`${a!.url}/graphql`, {
      query: '{ events(tool: "simulation", first: 50) { nodes { type borrowId borrowed } } }',
    });
    const expired = (q.json.data.events.nodes as any[]).filter((e) => e.type === 'EXPIRED' && ids.has(e.borrowId));
    expect(expired).toHaveLength(3);
    expect(expired.map((e) => e.borrowed).sort()).toEqual([0, 1, 2]);
    expect(await status(b!, 'simulation')).toMatchObject({ borrowed: 0, available: 3 });
    const late = await postJson(`${b!.url}/licenses/heartbeat`, { id: leased[0]!.json.id });
    expect(late.status).toBe(410);
  }, 20_000);

  it("a pool's default lease set through one process applies to borrows through the other", async () => {
    const [a, b] = pairs[kind];
    const put = (body: unknown) =>
      fetch(`${a!.url}/config/budget`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const seed = { tool: 'analysis', total: 2, commit: 1, max_overage: 1, commit_price: 800, overage_price_per_license: 150 };
    const before = ((await (await fetch(`${a!.url}/config/budget`)).json()) as any).tools.find((t: any) => t.tool === 'analysis');
    Object.assign(seed, { commit_price: before.commit_price, overage_price_per_license: before.overage_price_per_license });
    expect((await put({ ...seed, lease_seconds: 20 })).status).toBe(200);
    const r = await postJson(`${b!.url}/licenses/borrow`, { tool: 'analysis', user: 'dflt', host: 'h1' });
    expect(r.json).toMatchObject({ host: 'h1' });
    expect(Date.parse(r.json.expires_at) - Date.parse(r.json.borrowed_at)).toBe(20_000);
    expect((await put(seed)).status).toBe(200);
    expect(
      ((await (await fetch(`${b!.url}/config/budget`)).json()) as any).tools.find((t: any) => t.tool === 'analysis').lease_seconds,
    ).toBe(20);
    expect((await put({ ...seed, lease_seconds: null })).status).toBe(200);
    expect(
      ((await (await fetch(`${b!.url}/config/budget`)).json()) as any).tools.find((t: any) => t.tool === 'analysis').lease_seconds,
    ).toBeNull();
    expect((await postJson(`${a!.url}/licenses/return`, { id: r.json.id })).status).toBe(200);
  });

  it('the queue across both processes: every ticket granted exactly once, no seat freed twice, borrowed always equals the live borrows', async () => {
    const [a, b] = pairs[kind];
    const tool = `line_${kind.toLowerCase()}`;
    const create = await postJson(`${a!.url}/config/tools`, {
      ...{ tool, total: 2, commit: 2, max_overage: 0, commit_price: 10, overage_price_per_license: 1 },
    });
    expect(create.status).toBe(201);
    const holders = await Promise.all([0, 1].map((i) => postJson(`${[a, b][i]!.url}/licenses/borrow`, { tool, user: `h${i}` })));
    expect(holders.map((h) => h.status)).toEqual([200, 200]);
    const tickets = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJson(`${(i % 2 ? a! : b!).url}/licenses/borrow`, { tool, user: `w${i}`, queue: true, lease_seconds: 120 }),
      ),
    );
    expect(tickets.map((t) => t.status)).toEqual(Array(10).fill(202));
    expect(new Set(tickets.map((t) => t.json.position))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));

    // Rounds: every held seat is returned through BOTH processes at once (one 200, one 404
    // each); the freed seats go to the line. Until the line is empty.
    for (let round = 0; round < 8; round++) {
      const held = (await borrows(a!)).filter((x) => x.tool === tool);
      const st = await status(b!, tool);
      expect(st.borrowed).toBe(held.length);
      expect(st.borrowed).toBeLessThanOrEqual(2);
      if (st.queued === 0 && held.length === 0) break;
      const answers = await Promise.all(
        held.flatMap((x) => [a!, b!].map((srv) => postJson(`${srv.url}/licenses/return`, { id: x.id }).then((r) => r.status))),
      );
      expect(answers.filter((c) => c === 200)).toHaveLength(held.length);
      expect(answers.filter((c) => c !== 200 && c !== 404)).toEqual([]);
    }
    expect(await status(a!, tool)).toMatchObject({ borrowed: 0, queued: 0, lendable: 2 });
    const events = (
      await (
        await fetch(`${a!.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ events(tool: "${tool}", first: 200) { edges { node { type ticketId borrowId } } } }` }),
        })
      ).json()
    ).data.events.edges.map((e: any) => e.node);
    const grants = events.filter((e: any) => e.type === 'GRANTED');
    expect(grants).toHaveLength(10);
    expect(new Set(grants.map((g: any) => g.ticketId)).size).toBe(10);
    expect(events.filter((e: any) => e.type === 'RETURNED')).toHaveLength(12);
    for (const t of tickets) {
      const polled = (await (await fetch(`${b!.url}/queue/${t.json.ticket_id}`)).json()) as any;
      expect(polled).toMatchObject({ state: 'granted', position: null });
    }
  }, 60_000);

  it('silent waiters leave the line exactly once while both processes sweep', async () => {
    const [a, b] = pairs[kind];
    const tool = `quiet_${kind.toLowerCase()}`;
    expect(
      (
        await postJson(`${b!.url}/config/tools`, {
          tool,
          total: 1,
          commit: 1,
          max_overage: 0,
          commit_price: 1,
          overage_price_per_license: 1,
        })
      ).status,
    ).toBe(201);
    const holder = await postJson(`${a!.url}/licenses/borrow`, { tool, user: 'h' });
    const tickets = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postJson(`${(i % 2 ? a! : b!).url}/licenses/borrow`, { tool, user: `q${i}`, queue: true, lease_seconds: 5 }),
      ),
    );
    expect(tickets.map((t) => t.status)).toEqual(Array(6).fill(202));
    await waitFor(async () => (await status(a!, tool)).queued === 0, 9000, 'the silent tickets to expire');
    const events = (
      await (
        await fetch(`${b!.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ events(tool: "${tool}", first: 100) { edges { node { type ticketId leftBecause } } } }` }),
        })
      ).json()
    ).data.events.edges.map((e: any) => e.node);
    const left = events.filter((e: any) => e.type === 'LEFT_QUEUE');
    expect(left).toHaveLength(6);
    expect(new Set(left.map((e: any) => e.ticketId)).size).toBe(6);
    expect(left.every((e: any) => e.leftBecause === 'expired')).toBe(true);
    expect(await status(b!, tool)).toMatchObject({ borrowed: 1, queued: 0 });
    expect((await postJson(`${b!.url}/licenses/return`, { id: holder.json.id })).status).toBe(200);
  }, 30_000);
});
