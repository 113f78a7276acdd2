// Data stays bounded and clean: bad text is refused with a 422 naming the field,
// identically on SQLite and PostgreSQL and through REST and GraphQL, and nothing of it is
// stored; old license events are pruned while overage charges stay and the usage chart
// keeps its start value. In-process; the WAL burst and the start-up refusal of a bad
// EVENT_RETENTION_DAYS (real processes) are in test/e2e/data-bounds-processes.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchAny, gql, postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { subscribeSse, subscribeWs } from './helpers/live.ts';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

const ADMIN_URL = postgresAdminUrl(); // TEST_POSTGRES_URL, the machine's, or a throwaway cluster
const pgName = `floatline_bounds_${randomUUID().slice(0, 8)}`;

// ---------------------------------------------------------------------------------------
// Bad text: one table, every text field, both transports, both databases.

const BAD: [label: string, value: string, type: string][] = [
  ['NUL', 'a\u0000b', 'string_control_character'],
  ['newline', 'line\nbreak', 'string_control_character'],
  ['tab', 'a\tb', 'string_control_character'],
  ['terminal escape', 'x\u001b[2J', 'string_control_character'],
  ['DEL', 'x\u007f', 'string_control_character'],
  ['C1 control', 'x\u0085y', 'string_control_character'],
  ['bidi override', 'evil\u202egnp.exe', 'string_control_character'],
  ['lone high surrogate', 'x\ud800', 'string_invalid_unicode'],
  ['lone low surrogate', '\udc00x', 'string_invalid_unicode'],
  ['replacement character', 'x\ufffd', 'string_invalid_unicode'],
  ['noncharacter', 'x\uffff', 'string_invalid_unicode'],
];
const wellFormed = (v: string) => !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));

const BUDGET = { total: 5, commit: 4, max_overage: 1, commit_price: 1000, overage_price_per_license: 100 };

async function request(base: string, method: string, path: string, body?: unknown) {
  const res = await fetchAny(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body:
      body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* kept as text */
  }
  return { status: res.status, json: json as any };
}

const BORROW = `mutation($tool: String!, $user: String!) { borrowLicense(tool: $tool, user: $user) { __typename ... on InvalidInput { field message } ... on Borrow { id } } }`;
const RETURN = `mutation($id: ID!) { returnLicense(id: $id) { __typename ... on InvalidInput { field message } } }`;
const UPDATE = `mutation($input: BudgetInput!) { updateBudget(input: $input) { __typename ... on InvalidInput { field message } } }`;

/** Sends every bad value everywhere text goes in; returns what the server answered. */
async function badTextTranscript(base: string) {
  const out: { case: string; status?: number; answer: unknown }[] = [];
  const rest = async (name: string, method: string, path: string, body?: unknown) => {
    const r = await request(base, method, path, body);
    out.push({ case: name, status: r.status, answer: r.json });
    return r;
  };
  for (const [label, v, type] of BAD) {
    const item = (loc: string[]) => ({ status: 422, json: { detail: [expect.objectContaining({ loc, type, msg: expect.any(String) })] } });
    expect(await rest(`${label}: borrow tool`, 'POST', '/licenses/borrow', { tool: v, user: 'alice' })).toMatchObject(
      item(['body', 'tool']),
    );
    expect(await rest(`${label}: borrow user`, 'POST', '/licenses/borrow', { tool: 'cad_tool', user: v })).toMatchObject(
      item(['body', 'user']),
    );
    expect(await rest(`${label}: return id`, 'POST', '/licenses/return', { id: v })).toMatchObject(item(['body', 'id']));
    expect(await rest(`${label}: budget tool`, 'PUT', '/config/budget', { tool: v, ...BUDGET })).toMatchObject(item(['body', 'tool']));
    if (wellFormed(v)) {
      // a lone surrogate cannot be written in a URL at all
      expect(await rest(`${label}: ?user=`, 'GET', `/borrows?user=${encodeURIComponent(v)}`)).toMatchObject(item(['query', 'user']));
      expect(await rest(`${label}: ?tool=`, 'GET', `/overage-charges?tool=${encodeURIComponent(v)}`)).toMatchObject(
        item(['query', 'tool']),
      );
      expect(await rest(`${label}: status path`, 'GET', `/licenses/${encodeURIComponent(v)}/status`)).toEqual({
        status: 404,
        json: { detail: 'Tool not found' },
      });
    }

    const g = async (name: string, query: string, variables: Record<string, unknown>) => {
      const r = await gql(base, query, variables);
      out.push({ case: name, answer: r });
      return r as any;
    };
    const invalid = (field: string) => ({ __typename: 'InvalidInput', field, message: expect.any(String) });
    expect((await g(`${label}: gql borrow tool`, BORROW, { tool: v, user: 'alice' })).data.borrowLicense).toEqual(invalid('tool'));
    expect((await g(`${label}: gql borrow user`, BORROW, { tool: 'cad_tool', user: v })).data.borrowLicense).toEqual(invalid('user'));
    expect((await g(`${label}: gql return`, RETURN, { id: v })).data.returnLicense).toEqual(invalid('id'));
    expect(
      (
        await g(`${label}: gql budget`, UPDATE, {
          input: { tool: v, total: 5, commit: 4, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
        })
      ).data.updateBudget,
    ).toEqual(invalid('tool'));
    for (const [q, field] of [
      ['borrows(user: $v) { nodes { id } }', 'user'],
      ['overageCharges(tool: $v) { nodes { id } }', 'tool'],
      ['events(tool: $v) { nodes { id } }', 'tool'],
    ] as const) {
      const r = await g(`${label}: gql ${q}`, `query($v: String) { ${q} }`, { v });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field, type } });
    }
    expect((await g(`${label}: gql pool`, 'query($v: String!) { pool(tool: $v) { tool } }', { v })).data).toEqual({ pool: null });
    // A subscription to such a "tool" ends with TOOL_NOT_FOUND, over SSE and WebSocket.
    const subs = [
      subscribeSse(base, 'subscription($t: String) { poolChanged(tool: $t) { tool } }', { t: v }),
      subscribeWs(base, 'subscription($t: String) { licenseEvents(tool: $t) { type } }', { t: v }),
    ];
    const ended = await Promise.race([
      Promise.all(subs.map((x) => x.ended)).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    expect(ended, `${label}: subscriptions end within 10 s`).toBe(true);
    for (const sub of subs) {
      expect(sub.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'TOOL_NOT_FOUND' }) })]);
      out.push({ case: `${label}: subscription`, answer: sub.errors.map((e) => (e as { extensions?: unknown }).extensions) });
      sub.close();
    }
  }

  // Bytes no JSON string can carry: a raw NUL is not JSON; invalid UTF-8 decodes to U+FFFD.
  const bytes = (s: string, raw: number) => {
    const [a, b] = s.split('§');
    return Buffer.concat([Buffer.from(a!), Buffer.from([raw]), Buffer.from(b!)]);
  };
  expect(await rest('raw NUL byte', 'POST', '/licenses/borrow', bytes('{"tool":"cad_tool","user":"a§b"}', 0x00))).toMatchObject({
    status: 422,
    json: { detail: [{ loc: ['body'], type: 'json_invalid' }] },
  });
  expect(await rest('invalid UTF-8 byte', 'POST', '/licenses/borrow', bytes('{"tool":"cad_tool","user":"al§ice"}', 0xff))).toMatchObject({
    status: 422,
    json: { detail: [{ loc: ['body', 'user'], type: 'string_invalid_unicode' }] },
  });
  const form = await fetchAny(`${base}/licenses/borrow`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: bytes('{"tool":"cad§","user":"x"}', 0xc3),
  });
  expect(form.status).toBe(422);
  out.push({ case: 'invalid UTF-8 (curl -d)', status: form.status, answer: await form.json() });
  // Percent-escapes that are not UTF-8 are left undecoded by the query parser: a harmless
  // filter that matches nobody (never a 500), the same on both databases.
  expect(await rest('invalid %-encoding in ?user=', 'GET', '/borrows?user=%FF%00')).toEqual({ status: 200, json: [] });
  return out;
}

/** Nothing of the refused text reached the tables: no borrow, no event, no charge. */
async function expectNothingStored(base: string) {
  expect(await request(base, 'GET', '/borrows')).toEqual({ status: 200, json: [] });
  expect((await request(base, 'GET', '/overage-charges')).json).toEqual({ charges: [] });
  expect((await gql(base, '{ events(first: 500) { nodes { id } } pools { tool borrowed total } }')).data).toEqual({
    events: { nodes: [] },
    pools: [
      { tool: 'analysis', borrowed: 0, total: 2 },
      { tool: 'cad_tool', borrowed: 0, total: 5 },
      { tool: 'simulation', borrowed: 0, total: 3 },
    ],
  });
}

/** Text that is fine, however unusual, goes in and comes back exactly. */
async function expectUnicodeRoundTrip(base: string) {
  const user = 'Zoë Ødegård 山田 🎉 <b>&amp;</b>';
  const r = await postJson(`${base}/licenses/borrow`, { tool: 'simulation', user });
  expect(r).toMatchObject({ status: 200, json: { user } });
  expect((await request(base, 'GET', `/borrows?user=${encodeURIComponent(user)}`)).json).toEqual([r.json]);
  expect(await postJson(`${base}/licenses/return`, { id: r.json.id })).toMatchObject({ status: 200 });
}

/** What SQLite answers to the bad text, from a fresh in-process server of its own. */
async function sqliteTranscript(): Promise<unknown> {
  const s = await startInProcess({ listen: true }); // the transcript includes subscriptions
  try {
    return await badTextTranscript(s.url);
  } finally {
    await s.stop();
  }
}

describe('bad text on SQLite', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({ listen: true });
  }); // subscriptions need a socket
  afterAll(async () => {
    await s?.stop();
  });

  it('is refused with a 422 naming the field, through REST and GraphQL, and nothing is stored', async () => {
    await badTextTranscript(s.url);
    await expectNothingStored(s.url);
    const db = new Database(s.dbPath, { readonly: true });
    try {
      expect(
        db
          .prepare(
            'SELECT (SELECT count(*) FROM borrows) + (SELECT count(*) FROM license_events) + (SELECT count(*) FROM overage_charges) AS n',
          )
          .get(),
      ).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    await expectUnicodeRoundTrip(s.url);
    expect(s.logs.filter((l) => l.level === 'error' || l.status_code === 500)).toEqual([]);
  });
});

describe('browser error reports with odd text', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('are logged, not refused: newlines kept, other controls spelled out, invalid Unicode replaced', async () => {
    const stack = 'Error: boom\n    at f (app.js:1:2)\n\tat g (app.js:3:4)';
    const r = await postJson(`${s.url}/frontend-error`, { message: 'bad\u0000\u001b[2J\ud800 end', stack, userAgent: 'UA\u202e' });
    expect(r).toMatchObject({ status: 200, json: { status: 'ok' } });
    const line = await s.waitForLog((l) => l.event === 'frontend_error');
    expect(line).toMatchObject({ error_message: 'bad\\u{0}\\u{1b}[2J\ufffd end', stack, user_agent: 'UA\\u{202e}' });
    const g = await gql(s.url, 'mutation($i: FrontendErrorInput!) { reportFrontendError(input: $i) }', {
      i: { message: 'via gql \u0007\udfff' },
    });
    expect(g.data).toEqual({ reportFrontendError: true });
    expect(await s.waitForLog((l) => l.event === 'frontend_error' && String(l.error_message).startsWith('via gql'))).toMatchObject({
      error_message: 'via gql \\u{7}\ufffd',
    });
  });
});

describe('bad text and retention on PostgreSQL', () => {
  // Each test its own database: the retention test's borrows must not reach the other's
  // "nothing stored" check, whatever order they run in.
  const dbs: string[] = [];
  let s: InProcessServer | undefined;
  async function freshDatabase(suffix: string): Promise<string> {
    const name = `${pgName}_${suffix}`;
    await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    dbs.push(name);
    return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  }
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });
  afterAll(async () => {
    for (const name of dbs) await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('answers exactly what SQLite answers, and stores nothing', async () => {
    const pgUrl = await freshDatabase('text');
    const server = await startInProcess({ listen: true, env: { DATABASE_URL: pgUrl } });
    s = server;
    const postgresql = await badTextTranscript(s.url);
    await expectNothingStored(s.url);
    expect(
      await onPostgres(
        pgUrl,
        async (c) =>
          (
            await c.query(
              'SELECT (SELECT count(*) FROM borrows) + (SELECT count(*) FROM license_events) + (SELECT count(*) FROM overage_charges) AS n',
            )
          ).rows,
      ),
    ).toEqual([{ n: '0' }]);
    await expectUnicodeRoundTrip(s.url);
    expect(s.logs.filter((l) => l.level === 'error' || l.status_code === 500)).toEqual([]);
    const sqlite = await sqliteTranscript();
    expect(sqlite).toBeDefined();
    expect(postgresql).toEqual(sqlite);
  });

  it('prunes events past the retention at start-up and keeps the charges', async () => {
    const pgUrl = await freshDatabase('retention');
    s = await startInProcess({ env: { DATABASE_URL: pgUrl } });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: `old${i}` })).json.id);
    await s.stop();
    await onPostgres(pgUrl, (c) => c.query(`UPDATE license_events SET at = now() - interval '40 days' WHERE tool = 'analysis'`));
    const restarted = await startInProcess({ env: { DATABASE_URL: pgUrl, EVENT_RETENTION_DAYS: '30' } });
    s = restarted;
    await restarted.floatline.retention.firstRun; // the start-up prune
    expect(restarted.logs.find((l) => l.event === 'events_pruned')).toMatchObject({ count: 2, retention_days: 30 });
    expect((await gql(s.url, '{ events(tool: "analysis") { nodes { id } } }')).data).toEqual({ events: { nodes: [] } });
    expect((await request(s.url, 'GET', '/overage-charges?tool=analysis')).json.charges).toHaveLength(1);
    const usage = (await gql(s.url, '{ usage(minutes: 60) { tool points { borrowed } } }')).data!.usage as any[];
    expect(usage.find((u) => u.tool === 'analysis').points).toEqual([{ borrowed: 2 }]);
    for (const id of ids) expect((await postJson(`${s.url}/licenses/return`, { id })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------
// Retention on SQLite: old rows are put there directly, as if the server had run for weeks.

const sqlTime = (d: Date) => d.toISOString().replace('Z', '+00:00');
const daysAgo = (n: number) => sqlTime(new Date(Date.now() - n * 86_400_000));

describe('event retention on SQLite', () => {
  let s: InProcessServer;
  // One file for the three starts (stopping an instance keeps a file it was given).
  const dbPath = join(mkdtempSync(join(tmpdir(), 'floatline-retention-')), 'licenses.db');
  afterAll(async () => {
    await s?.stop();
  });

  it('keeps everything with EVENT_RETENTION_DAYS=0, prunes past 30 days, keeps charges, and the chart starts right', async () => {
    s = await startInProcess({ dbPath, env: { EVENT_RETENTION_DAYS: '0' } });
    const cad: string[] = [];
    for (let i = 0; i < 5; i++) cad.push((await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: `c${i}` })).json.id);
    for (let i = 0; i < 2; i++) await postJson(`${s.url}/licenses/borrow`, { tool: 'simulation', user: `s${i}` });
    await s.stop();
    const age = () => {
      const db = new Database(s.dbPath);
      try {
        db.prepare(`UPDATE license_events SET at = ? WHERE tool = 'cad_tool'`).run(daysAgo(40));
        db.prepare(`UPDATE license_events SET at = ? WHERE tool = 'simulation'`).run(daysAgo(10));
        db.prepare('UPDATE overage_charges SET charged_at = ?').run(daysAgo(40));
      } finally {
        db.close();
      }
    };
    age();

    s = await startInProcess({ dbPath, env: { EVENT_RETENTION_DAYS: '0' } });
    expect((await gql(s.url, '{ events(first: 100) { nodes { id } } }')).data!.events.nodes).toHaveLength(7);
    expect(s.logs.some((l) => l.event === 'events_pruned')).toBe(false);
    await s.stop();

    s = await startInProcess({ dbPath }); // the default: 30 days
    await s.floatline.retention.firstRun; // the start-up prune
    expect(s.logs.find((l) => l.event === 'events_pruned')).toMatchObject({ count: 5, retention_days: 30 });
    const events = (await gql(s.url, '{ events(first: 100) { nodes { tool borrowed } } }')).data!.events.nodes;
    expect(events).toEqual([
      { tool: 'simulation', borrowed: 2 },
      { tool: 'simulation', borrowed: 1 },
    ]);
    // Money stays: the charge of the fifth cad_tool borrow, and the cost it adds up to.
    const charges = (await request(s.url, 'GET', '/overage-charges?tool=cad_tool')).json.charges;
    expect(charges).toHaveLength(1);
    expect((await request(s.url, 'GET', '/licenses/cad_tool/status')).json).toMatchObject({
      borrowed: 5,
      current_overage_cost: 100,
      total_cost: 1100,
    });
    expect(await (await fetchAny(`${s.url}/metrics`)).text()).toMatch(/^license_events_pruned_total 5$/m);

    // The chart's left edge: cad_tool's history is gone, yet it starts at the 5 seats held
    // (then drops to 4 on a return); simulation starts at its 10-day-old value, 2.
    expect((await postJson(`${s.url}/licenses/return`, { id: cad[4] })).status).toBe(200);
    const usage = (await gql(s.url, '{ usage(minutes: 60) { tool points { borrowed } } }')).data!.usage as any[];
    expect(Object.fromEntries(usage.map((u) => [u.tool, u.points.map((p: any) => p.borrowed)]))).toEqual({
      analysis: [0],
      cad_tool: [5, 4],
      simulation: [2],
    });
  });
});
