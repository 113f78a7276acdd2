// A dependency's blip must not take Floatline down. Real processes, a real
// throwaway redis-server killed and restarted on the same port, real PostgreSQL backends
// terminated under load: the servers stay up, no acknowledged borrow is lost, degraded
// state is visible (/readyz, metric, log line), and live updates flow again afterwards.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { subscribeSse, subscribeWs, type LiveSubscription } from '../helpers/live.ts';
import { startRedis, type ThrowawayRedis } from '../helpers/redis-server.ts';
import { postgresAdminUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';

type Event = { type: string; tool: string; user: string };
const EVENTS = 'subscription { licenseEvents { type tool user } }';

async function metric(s: RunningServer, name: string, labels: string): Promise<number | undefined> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

const readyz = async (s: RunningServer) => {
  const res = await fetch(`${s.url}/readyz`);
  return { status: res.status, body: (await res.json()) as any };
};

/** Borrows on `from` (fresh user each try) until `sub` hears one of them: delivery works. */
async function deliveredAcross(from: RunningServer, sub: LiveSubscription<Event>, label: string, timeoutMs = 15_000): Promise<void> {
  const users = new Set<string>();
  await waitFor(
    async () => {
      if (sub.received.some((e) => users.has(e.user))) return true;
      const user = `${label}-${randomUUID().slice(0, 8)}`;
      users.add(user);
      const r = await postJson(`${from.url}/licenses/borrow`, { tool: 'cad_tool', user });
      expect(r.status).toBe(200);
      try {
        await sub.next((e) => users.has(e.user), 500);
        return true;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
    `a borrow on ${label} to reach the subscriber`,
    { retryErrors: true },
  );
}

const bigBudget = (tool: string) => ({
  tool,
  total: 100_000,
  commit: 100_000,
  max_overage: 0,
  commit_price: 0,
  overage_price_per_license: 0,
});

/** Steady borrow/return load; records every answer and every acknowledged borrow. */
function runLoad(urls: string[], tools: string[]) {
  const held = new Map<string, string>(); // acknowledged borrow id -> tool, not returned
  const uncertain = new Set<string>(); // a return whose answer was 503
  const answers: { status: number; retryAfter: string | null; text: string }[] = [];
  const transportErrors: string[] = [];
  let stopped = false;
  let n = 0;
  const worker = async (w: number) => {
    while (!stopped) {
      const url = urls[n % urls.length]!;
      const i = n++;
      try {
        let r: { status: number; headers: Headers; text: string; json?: any };
        if (i % 4 === 3 && held.size > 0) {
          const id = held.keys().next().value as string;
          held.delete(id);
          r = await postJson(`${url}/licenses/return`, { id });
          if (r.status === 503) uncertain.add(id);
          else if (r.status !== 200) held.set(id, 'lost?'); // makes the final check fail loudly
        } else if (i % 4 === 2) {
          const res = await fetch(`${url}/licenses/status`);
          r = { status: res.status, headers: res.headers, text: await res.text() };
        } else {
          const tool = tools[i % tools.length]!;
          r = await postJson(`${url}/licenses/borrow`, { tool, user: `load${w}` });
          if (r.status === 200) held.set(r.json.id as string, tool);
        }
        answers.push({ status: r.status, retryAfter: r.headers.get('retry-after'), text: r.text.slice(0, 200) });
      } catch (err) {
        transportErrors.push(String((err as Error).cause ?? err));
        // Pacing, not waiting for a state: a load worker backs off 50 ms after a refused
        // connection instead of spinning on a server that is restarting.
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  };
  const workers = Array.from({ length: 4 }, (_, w) => worker(w));
  return {
    held,
    uncertain,
    answers,
    transportErrors,
    count: () => answers.length,
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

describe('Redis goes away and comes back', () => {
  let redis: ThrowawayRedis | undefined;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('keeps both processes serving, shows the outage, and resumes cross-process delivery', async () => {
    redis = await startRedis();
    a = await startServer({ env: { REDIS_URL: redis.url } });
    b = await startServer({ env: { REDIS_URL: redis.url }, dbPath: a.dbPath });
    const [A, B] = [a, b];
    expect((await postJson(`${A.url}/config/budget`, bigBudget('cad_tool'), { method: 'PUT' })).status).toBe(200);

    const onA = subscribeSse<Event>(A.url, EVENTS);
    const onB = subscribeWs<Event>(B.url, EVENTS);
    await Promise.all([onA.ready, onB.ready]);
    await deliveredAcross(A, onB, 'a-to-b');
    await deliveredAcross(B, onA, 'b-to-a');
    for (const s of [A, B]) {
      expect(await readyz(s)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });
      expect(await metric(s, 'floatline_dependency_up', 'dependency="redis"')).toBe(1);
    }

    const load = runLoad([A.url, B.url], ['cad_tool']);
    await waitFor(() => (load.count() > 40 ? true : undefined), 15_000, 'load before the outage', { retryErrors: true });

    await redis.stop('SIGKILL');
    for (const s of [A, B]) {
      await s.waitForLog((l) => l.event === 'dependency_down' && l.dependency === 'redis');
      await waitFor(
        async () => {
          const r = await readyz(s);
          return r.body.checks?.redis === 'unavailable' ? r : undefined;
        },
        15_000,
        '/readyz to show Redis unavailable',
        { retryErrors: true },
      ).then((r) => expect(r).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'unavailable' } } }));
      expect(await metric(s, 'floatline_dependency_up', 'dependency="redis"')).toBe(0);
    }
    const during = load.count();
    await waitFor(() => (load.count() > during + 40 ? true : undefined), 15_000, 'load to go on while Redis is away', {
      retryErrors: true,
    });

    // Each process's own subscribers still hear its changes.
    for (const [s, sub, label] of [
      [A, onA, 'local-a'],
      [B, onB, 'local-b'],
    ] as const) {
      const user = `${label}-${randomUUID().slice(0, 8)}`;
      expect((await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user })).status).toBe(200);
      expect(await sub.next((e) => e.user === user, 5000)).toMatchObject({ type: 'BORROWED', tool: 'cad_tool', user });
    }
    const dropped = (await (await fetch(`${A.url}/metrics`)).text()).match(/^floatline_live_relay_dropped_total (\d+)/m);
    expect(Number(dropped?.[1])).toBeGreaterThan(0);

    await redis.start();
    for (const s of [A, B]) {
      await s.waitForLog((l) => l.event === 'dependency_up' && l.dependency === 'redis', 20_000);
      expect(await metric(s, 'floatline_dependency_up', 'dependency="redis"')).toBe(1);
      expect((await readyz(s)).body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    }
    await deliveredAcross(A, onB, 'after-a-to-b', 10_000);
    await deliveredAcross(B, onA, 'after-b-to-a', 10_000);

    const after = load.count();
    await waitFor(() => (load.count() > after + 20 ? true : undefined), 15_000, 'load after Redis is back', { retryErrors: true });
    await load.stop();
    onA.close();
    onB.close();

    expect([A.process.exitCode, B.process.exitCode]).toEqual([null, null]);
    expect(load.transportErrors).toEqual([]);
    expect(load.answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    for (const s of [A, B]) {
      expect(s.logs.filter((l) => l.event === 'unhandled_rejection' || l.event === 'uncaught_exception')).toEqual([]);
      expect(s.logs.filter((l) => l.event === 'dependency_down' && l.dependency === 'redis')).toHaveLength(1);
      expect(s.logs.filter((l) => l.event === 'dependency_up' && l.dependency === 'redis')).toHaveLength(1);
      expect(s.logs.find((l) => l.event === 'dependency_down')).toMatchObject({ level: 'warn' });
    }
    // Every acknowledged, unreturned borrow is there, and the seat count adds up.
    const borrows = (await (await fetch(`${B.url}/borrows`)).json()) as { id: string; tool: string }[];
    const ids = new Set(borrows.map((x) => x.id));
    expect([...load.held.keys()].filter((id) => !ids.has(id))).toEqual([]);
    const pools = (await (await fetch(`${A.url}/licenses/status`)).json()) as { tool: string; borrowed: number }[];
    for (const p of pools) expect(p.borrowed).toBe(borrows.filter((x) => x.tool === p.tool).length);
  });
});

describe('Redis is away at start-up', () => {
  let redis: ThrowawayRedis | undefined;
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('starts degraded, connects when Redis appears, and shrugs off foreign messages on the channel', async () => {
    redis = await startRedis();
    await redis.stop();
    a = await startServer({ env: { REDIS_URL: redis.url } });
    b = await startServer({ env: { REDIS_URL: redis.url }, dbPath: a.dbPath });
    const [A, B] = [a, b];
    for (const s of [A, B]) {
      expect(s.logs.find((l) => l.event === 'redis_unavailable_at_startup')).toMatchObject({ level: 'warn' });
      expect(await readyz(s)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'unavailable' } } });
    }
    const onA = subscribeSse<Event>(A.url, EVENTS);
    await onA.ready;
    const user = `alone-${randomUUID().slice(0, 8)}`;
    expect((await postJson(`${A.url}/licenses/borrow`, { tool: 'cad_tool', user })).status).toBe(200);
    expect(await onA.next((e) => e.user === user, 5000)).toMatchObject({ type: 'BORROWED' });

    await redis.start();
    for (const s of [A, B]) await s.waitForLog((l) => l.event === 'dependency_up' && l.dependency === 'redis', 20_000);
    await deliveredAcross(B, onA, 'late-b-to-a');

    // Anyone who reaches Redis can publish on the channel; none of this may hurt a process.
    const { Redis } = await import('ioredis');
    const intruder = new Redis(redis.url);
    try {
      for (const m of ['null', '42', 'not json', '{"origin":"someone-else","pool":null,"event":null}'])
        await intruder.publish('floatline:live', m);
    } finally {
      intruder.disconnect();
    }
    await A.waitForLog((l) => l.event === 'live_relay_bad_message');
    await deliveredAcross(B, onA, 'still-b-to-a');
    onA.close();
    expect([A.process.exitCode, B.process.exitCode]).toEqual([null, null]);
    for (const s of [A, B]) expect(s.logs.filter((l) => l.event === 'unhandled_rejection' || l.event === 'uncaught_exception')).toEqual([]);
  });
});

describe('PostgreSQL connections are killed under load', () => {
  const ADMIN_URL = postgresAdminUrl(); // TEST_POSTGRES_URL, the machine's, or a throwaway cluster
  const dbName = `floatline_blip_${randomUUID().slice(0, 8)}`;
  const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  let admin: pg.Client | undefined;
  let s: RunningServer | undefined;
  afterEach(async () => {
    await s?.stop();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('never exits, answers only 2xx, expected 4xx or 503 with Retry-After, and loses no acknowledged borrow', async () => {
    admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
    } catch (err) {
      throw new Error(`PostgreSQL does not answer at ${ADMIN_URL} (set TEST_POSTGRES_URL): ${(err as Error).message}`);
    }
    await admin.query(`CREATE DATABASE ${dbName}`);
    s = await startServer({ env: { DATABASE_URL: dbUrl } });
    const server = s;
    for (const tool of ['cad_tool', 'simulation']) {
      expect((await postJson(`${server.url}/config/budget`, bigBudget(tool), { method: 'PUT' })).status).toBe(200);
    }
    const load = runLoad([server.url], ['cad_tool', 'simulation']);

    // GraphQL mutations ride along: a lost connection there must say SERVICE_UNAVAILABLE.
    const graphqlAnswers: any[] = [];
    let gqlStopped = false;
    const gqlLoad = (async () => {
      while (!gqlStopped) {
        const r = await postJson(`${server.url}/graphql`, {
          query: 'mutation { borrowLicense(tool: "cad_tool", user: "gql") { __typename ... on Borrow { id } } }',
        });
        graphqlAnswers.push({ status: r.status, body: r.json });
        if (r.json?.data?.borrowLicense?.id) load.held.set(r.json.data.borrowLicense.id, 'cad_tool');
      }
    })();

    let killed = 0;
    for (let round = 0; round < 6; round++) {
      const before = load.count();
      await waitFor(() => (load.count() > before + 60 ? true : undefined), 30_000, 'load between kills', { retryErrors: true });
      const r = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        dbName,
      ]);
      killed += r.rowCount ?? 0;
    }
    const last = load.count();
    await waitFor(() => (load.count() > last + 60 ? true : undefined), 30_000, 'load after the last kill', { retryErrors: true });
    gqlStopped = true;
    await Promise.all([load.stop(), gqlLoad]);

    expect(killed).toBeGreaterThan(6); // the kills did hit Floatline's connections
    expect(server.process.exitCode).toBeNull();
    expect(load.transportErrors).toEqual([]);
    const unexpected = load.answers.filter((r) => !(r.status === 200 || (r.status === 503 && r.retryAfter === '1')));
    expect(unexpected.map((r) => `${r.status} ${r.text}`)).toEqual([]);
    for (const r of load.answers.filter((x) => x.status === 503)) expect(JSON.parse(r.text)).toHaveProperty('detail');
    for (const g of graphqlAnswers) {
      expect(g.status).toBe(200);
      if (g.body.errors) expect(g.body.errors.map((e: any) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      else expect(g.body.data.borrowLicense.__typename).toBe('Borrow');
    }
    expect(
      server.logs.filter((l) => l.event === 'unhandled_rejection' || l.event === 'uncaught_exception' || l.event === 'unhandled_error'),
    ).toEqual([]);
    expect(await readyz(server)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok' } } });

    // The database agrees with what clients were told.
    const inner = new pg.Client({ connectionString: dbUrl });
    await inner.connect();
    try {
      const rows = (await inner.query<{ id: string; tool: string }>('SELECT id, tool FROM borrows')).rows;
      const ids = new Set(rows.map((r) => r.id));
      expect([...load.held.keys()].filter((id) => !ids.has(id))).toEqual([]);
      const tools = (await inner.query<{ name: string; borrowed: number }>('SELECT name, borrowed FROM tools ORDER BY name')).rows;
      for (const t of tools) expect(t.borrowed).toBe(rows.filter((r) => r.tool === t.name).length);
    } finally {
      await inner.end();
    }
  });
});
