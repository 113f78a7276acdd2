// Observed license servers through REST and GraphQL, in process, on SQLite and PostgreSQL
// with AUTH_MODE=required: an admin registers a source and pushes lmstat outputs as text;
// everyone reads pools with their holders, health and the inferred history; a viewer may
// not write; bad input gets a 422 naming the field, the same on both databases; a server
// that goes down keeps its pools, marked stale; the debug log's lines become exact events.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { postJson } from './helpers/server.ts';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

const ADMIN_TOKEN = 'observed-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/observed/${name}`, import.meta.url), 'utf8');
const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_observed_${randomUUID().slice(0, 8)}`;

describe.each([
  ['SQLite', null],
  ['PostgreSQL', ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`)],
] as const)('observed sources on %s', (_db, databaseUrl) => {
  let s: InProcessServer;
  let viewer: Record<string, string>;

  const push = (name: string, text: string, headers: Record<string, string> = admin, kind = 'snapshot') =>
    s.fetch(`/observed/sources/${name}/${kind}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: text });
  const get = async (path: string, headers: Record<string, string> = viewer) => {
    const r = await s.fetch(path, { headers });
    return { status: r.status, headers: r.headers, json: (await r.json()) as any };
  };

  beforeAll(async () => {
    if (databaseUrl) await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
    s = await startInProcess({
      timers: false,
      env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    });
    const t = await postJson(`${s.url}/auth/tokens`, { name: 'vera', user: 'vera', role: 'viewer' }, { headers: admin });
    expect(t.status, t.text).toBe(201);
    viewer = { authorization: `Bearer ${t.json.token}` };
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    if (databaseUrl) await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  it('registers a source (admin only) and lists it with its health', async () => {
    const body = { name: 'cad-lic', kind: 'flexnet', interval_seconds: 60 };
    expect((await postJson(`${s.url}/observed/sources`, body, { headers: viewer })).status).toBe(403);
    expect((await postJson(`${s.url}/observed/sources`, body)).status).toBe(401);
    const r = await postJson(`${s.url}/observed/sources`, body, { headers: admin });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({
      name: 'cad-lic',
      kind: 'flexnet',
      command: null,
      interval_seconds: 60,
      server_up: null,
      last_snapshot_at: null,
    });
    expect((await postJson(`${s.url}/observed/sources`, body, { headers: admin })).status).toBe(409);
    const list = await get('/observed/sources');
    expect(list.status).toBe(200);
    expect(list.json.sources.map((x: any) => x.name)).toContain('cad-lic');
  });

  it('refuses bad input with a 422 naming the field', async () => {
    const bad = async (body: unknown) => {
      const r = await postJson(`${s.url}/observed/sources`, body, { headers: admin });
      expect(r.status, r.text).toBe(422);
      return r.json.detail[0].loc;
    };
    expect(await bad({ name: 'x', kind: 'lmx' })).toEqual(['body', 'kind']);
    expect(await bad({ name: 'has space', kind: 'rlm' })).toEqual(['body', 'name']);
    expect(await bad({ name: 'ok', kind: 'rlm', interval_seconds: 1 })).toEqual(['body', 'interval_seconds']);
    expect(await bad({ name: 'ok', kind: 'rlm', command: 'lmutil lmstat -a | grep MATLAB' })).toEqual(['body', 'command']);
    expect(await bad({ kind: 'rlm' })).toEqual(['body', 'name']);
    const page = await get('/observed/pools?limit=100000');
    expect(page.status).toBe(422);
    expect(page.json.detail[0].loc).toEqual(['query', 'limit']);
    expect((await push('no-such-source', 'x')).status).toBe(404);
  });

  it('takes a pushed lmstat output as text and shows its pools, holders and health', async () => {
    expect((await push('cad-lic', fixture('lmstat-v11.txt'), viewer)).status).toBe(403);
    const r = await push('cad-lic', fixture('lmstat-v11.txt'));
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(Object.keys(body).slice(0, 6)).toEqual(['source', 'taken_at', 'server_up', 'features', 'in_use', 'unparsed_lines']);
    expect(body).toMatchObject({ source: 'cad-lic', server_up: true, features: 4, in_use: 23, unparsed_lines: 0 });

    const pools = await get('/observed/pools?source=cad-lic');
    expect(pools.status).toBe(200);
    const matlab = pools.json.pools.find((p: any) => p.feature === 'MATLAB');
    expect(Object.keys(matlab).slice(0, 10)).toEqual([
      'source',
      'feature',
      'vendor',
      'issued',
      'in_use',
      'reserved',
      'expires',
      'holders',
      'updated_at',
      'stale',
    ]);
    expect(matlab).toMatchObject({ source: 'cad-lic', vendor: 'MLM', issued: 10, in_use: 6, expires: '2027-12-31', stale: false });
    expect(matlab.holders[1]).toMatchObject({ user: 'John Smith', host: 'DESKTOP-7', licenses: 2 });
    expect(matlab.holders[3].user).toBe('ren\uFFFD');
    expect(pools.json.pools.find((p: any) => p.feature === 'MATLAB_Home').issued).toBeNull();

    const src = (await get('/observed/sources')).json.sources.find((x: any) => x.name === 'cad-lic');
    expect(src).toMatchObject({ server_up: true, error: null, unparsed_lines: 0 });
    expect(src.servers).toEqual([{ host: 'lic1', up: true, master: true, version: '11.19.6', error: null }]);
    expect(src.daemons).toEqual([{ name: 'MLM', up: true, version: '11.19.6', error: null }]);
    expect(src.last_snapshot_at).toBe(body.taken_at);
  });

  it('infers check-outs and check-ins from consecutive snapshots', async () => {
    const before = (await get('/observed/events?source=cad-lic&limit=500')).json.events.length;
    // jdoe leaves MATLAB; kwong arrives.
    const next = fixture('lmstat-v11.txt')
      .replace('    jdoe ws1 /dev/pts/1 (v46) (lic1/27000 1201), start Mon 12/7 9:58\n', '')
      .replace(
        '(lic1/27000 1302), start Mon 12/7 10:01, 2 licenses',
        '(lic1/27000 1302), start Mon 12/7 10:01, 2 licenses\n    kwong ws9 ws9 (v46) (lic1/27000 1801), start Mon 12/7 10:14',
      );
    expect((await push('cad-lic', next)).status).toBe(200);
    const events = (await get('/observed/events?source=cad-lic&limit=500')).json.events;
    const fresh = events.slice(0, events.length - before);
    expect(fresh.map((e: any) => [e.kind, e.feature, e.user, e.origin]).sort()).toEqual([
      ['in', 'MATLAB', 'jdoe', 'snapshot'],
      ['out', 'MATLAB', 'kwong', 'snapshot'],
    ]);
  });

  it('keeps the last known pools, marked stale, when the server is down', async () => {
    const r = await push('cad-lic', fixture('lmstat-down.txt'));
    expect(((await r.json()) as any).server_up).toBe(false);
    const src = (await get('/observed/sources')).json.sources.find((x: any) => x.name === 'cad-lic');
    expect(src.server_up).toBe(false);
    expect(src.error).toContain('Cannot connect to license server system');
    const pools = (await get('/observed/pools?source=cad-lic')).json.pools;
    expect(pools.length).toBe(4);
    expect(pools.every((p: any) => p.stale)).toBe(true);
    expect(pools.find((p: any) => p.feature === 'MATLAB').in_use).toBe(6);
  });

  it('reads the debug log as exact check-outs, check-ins and denials', async () => {
    const r = await push('cad-lic', fixture('lmgrd-debug.log'), admin, 'log');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ source: 'cad-lic', events: 6, out: 2, in: 2, denied: 1, unsupported: 1, unparsed_lines: 1 });
    const events = (await get('/observed/events?source=cad-lic&limit=6')).json.events;
    const denied = events.find((e: any) => e.kind === 'denied');
    expect(denied).toMatchObject({
      origin: 'log',
      feature: 'MATLAB',
      user: 'kwong',
      reason: 'Licensed number of users already reached. (-4,342)',
    });
  });

  it('pages pools with limit and the X-Next-After header', async () => {
    const first = await get('/observed/pools?source=cad-lic&limit=3');
    expect(first.json.pools.length).toBe(3);
    const after = first.headers.get('x-next-after');
    expect(after).toBeTruthy();
    const second = await get(`/observed/pools?source=cad-lic&limit=3&after=${after}`);
    expect(second.json.pools.length).toBe(1);
    expect(second.headers.get('x-next-after')).toBeNull();
  });

  it('answers GraphQL: pools and sources for a viewer, mutations for admins only', async () => {
    const q =
      '{ observedPools(source: "cad-lic", first: 10) { nodes { feature issued inUse stale holders { user licenses } } } observedSources { nodes { name serverUp servers { host up } } } }';
    const r = await postJson(`${s.url}/graphql`, { query: q }, { headers: viewer });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data.observedPools.nodes.find((p: any) => p.feature === 'Parallel_Computing_Toolbox')).toMatchObject({
      issued: 40,
      inUse: 16,
    });
    expect(r.json.data.observedSources.nodes[0]).toMatchObject({ name: 'cad-lic', serverUp: false });
    const m = 'mutation { createObservedSource(name: "rlm-one", kind: "rlm") { name kind } }';
    const refused = await postJson(`${s.url}/graphql`, { query: m }, { headers: viewer });
    expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const made = await postJson(`${s.url}/graphql`, { query: m }, { headers: admin });
    expect(made.json.data.createObservedSource).toEqual({ name: 'rlm-one', kind: 'rlm' });
    const bad = await postJson(
      `${s.url}/graphql`,
      { query: 'mutation { createObservedSource(name: "x", kind: "rlm", intervalSeconds: 0) { name } }' },
      { headers: admin },
    );
    expect(bad.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'intervalSeconds' });
    const pushed = await postJson(
      `${s.url}/graphql`,
      {
        query: 'mutation($o: String!) { pushObservedSnapshot(source: "rlm-one", output: $o) { serverUp features inUse } }',
        variables: { o: fixture('rlmstat.txt') },
      },
      { headers: admin },
    );
    expect(pushed.json.data.pushObservedSnapshot).toEqual({ serverUp: true, features: 2, inUse: 3 });
  });

  it('removes a source (admin only); its history stays', async () => {
    expect((await s.fetch('/observed/sources/rlm-one', { method: 'DELETE', headers: viewer })).status).toBe(403);
    expect((await s.fetch('/observed/sources/rlm-one', { method: 'DELETE', headers: admin })).status).toBe(200);
    expect((await s.fetch('/observed/sources/rlm-one', { method: 'DELETE', headers: admin })).status).toBe(404);
    expect((await get('/observed/pools?source=rlm-one')).json.pools).toEqual([]);
    const events = (await get('/observed/events?source=rlm-one')).json.events;
    expect(events.length).toBeGreaterThan(0);
  });
});
