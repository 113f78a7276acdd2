// Pools an admin creates and retires, `lendable`, and the commit ≤ total rule:
// every route and error in-process on SQLite, the same transcript on PostgreSQL (identical
// answers), and a borrow racing a retire on both databases. Two real processes on one SQLite
// file: test/e2e/pools-processes.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { gql, postJson } from './helpers/server.ts';
import { subscribeSse } from './helpers/live.ts';
import { postgresAdminUrl } from './helpers/postgres.ts';
import { BILLING_FIELDS, SEED_STATUS_FIELDS, defaultBilling } from './helpers/contract.ts';

const budget = (tool: string, over: Record<string, unknown> = {}) => ({
  tool,
  total: 2,
  commit: 1,
  max_overage: 1,
  commit_price: 500,
  overage_price_per_license: 50,
  ...over,
});

async function call(s: InProcessServer, method: string, path: string, body?: unknown) {
  if (method === 'POST' || method === 'PUT') {
    const r = await postJson(`${s.url}${path}`, body, { method });
    return { status: r.status, json: r.json };
  }
  const res = await s.fetch(path, { method });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function metricsOf(s: InProcessServer): Promise<string> {
  return (await s.fetch('/metrics')).text();
}

const CREATE = `mutation($input: BudgetInput!) { createPool(input: $input) { __typename
  ... on Pool { tool total borrowed available lendable retired }
  ... on PoolExists { tool retired message }
  ... on InvalidBudget { field message }
  ... on InvalidInput { field message } } }`;
const RETIRE = `mutation($tool: String!) { retirePool(tool: $tool) { __typename
  ... on Pool { tool retired }
  ... on PoolInUse { tool borrowed message }
  ... on ToolNotFound { tool message } } }`;
const UPDATE = `mutation($input: BudgetInput!) { updateBudget(input: $input) { __typename
  ... on Pool { tool total commit }
  ... on InvalidBudget { field message } } }`;
const gqlBudget = (tool: string, over: Record<string, unknown> = {}) => ({
  tool,
  total: 2,
  commit: 1,
  maxOverage: 1,
  commitPrice: 500,
  overagePricePerLicense: 50,
  ...over,
});

/**
 * Everything an admin and a user see, in order, with the values that differ per run (ids,
 * times) left out: the SQLite and the PostgreSQL run must produce the same transcript.
 */
async function transcript(s: InProcessServer): Promise<[string, any][]> {
  const out: [string, any][] = [];
  const step = async (label: string, p: Promise<unknown>) => {
    const value = await p;
    out.push([label, value]);
    return value as any;
  };

  // commit > total: 422 naming commit, nothing stored; the seed's 400 stays for its case.
  const tooMuch = await step('put commit>total', call(s, 'PUT', '/config/budget', budget('analysis', { total: 2, commit: 3 })));
  expect(tooMuch).toEqual({
    status: 422,
    json: { detail: [{ loc: ['body', 'commit'], msg: 'commit (3) cannot exceed total (2)', type: 'value_error' }] },
  });
  expect((await call(s, 'GET', '/licenses/analysis/status')).json).toMatchObject({ total: 2, commit: 1 });
  expect(await step('gql commit>total', gql(s.url, UPDATE, { input: gqlBudget('analysis', { commit: 3 }) }))).toEqual({
    data: { updateBudget: { __typename: 'InvalidBudget', field: 'commit', message: 'commit (3) cannot exceed total (2)' } },
  });
  expect(await step('put unknown tool', call(s, 'PUT', '/config/budget', budget('nope')))).toEqual({
    status: 400,
    json: { detail: 'Tool not found or total cannot be reduced below current borrows' },
  });
  // commit == total is fine.
  expect((await step('put commit=total', call(s, 'PUT', '/config/budget', budget('analysis', { commit: 2, max_overage: 0 })))).status).toBe(
    200,
  );

  // lendable: the overage cap, not total, bounds what a borrow can take.
  await call(s, 'PUT', '/config/budget', budget('analysis', { total: 5, commit: 1, max_overage: 1 }));
  const capped = await step('status analysis', call(s, 'GET', '/licenses/analysis/status'));
  expect(Object.keys(capped.json)).toEqual([...SEED_STATUS_FIELDS, 'lendable', 'queued', ...BILLING_FIELDS]);
  expect(capped.json).toMatchObject({ total: 5, available: 5, lendable: 2 });
  const held: string[] = [];
  for (const user of ['a1', 'a2']) held.push((await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user })).json.id);
  expect((await step('status at cap', call(s, 'GET', '/licenses/analysis/status'))).json).toMatchObject({
    borrowed: 2,
    available: 3,
    lendable: 0,
  });
  expect((await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: 'a3' })).status).toBe(409);
  const budgets = await step('get budgets', call(s, 'GET', '/config/budget'));
  expect(budgets.json.tools.find((t: any) => t.tool === 'analysis')).toMatchObject({ borrowed: 2, lendable: 0 });
  // After the seed's seven fields: lendable, then the leases' lease_seconds (merged after pools).
  expect(Object.keys(budgets.json.tools[0]).slice(7)).toEqual(['lendable', 'lease_seconds', ...BILLING_FIELDS]);
  expect((await gql(s.url, '{ pool(tool: "analysis") { lendable available retired } }')).data).toEqual({
    pool: { lendable: 0, available: 3, retired: false },
  });
  for (const id of held) await postJson(`${s.url}/licenses/return`, { id });

  // Create: bad input is a 422 naming the field.
  for (const [label, body] of [
    ['bad name upper', budget('Solver')],
    ['bad name space', budget('my tool')],
    ['bad name long', budget(`a${'b'.repeat(64)}`)],
    ['missing total', { tool: 'solver', commit: 1, max_overage: 0, commit_price: 1, overage_price_per_license: 1 }],
    ['create commit>total', budget('solver', { total: 1, commit: 2 })],
    ['negative overage', budget('solver', { max_overage: -1 })],
  ] as const) {
    const r = await step(label, call(s, 'POST', '/config/tools', body));
    expect(r.status, label).toBe(422);
  }
  expect(out.find(([l]) => l === 'bad name upper')).toEqual([
    'bad name upper',
    {
      status: 422,
      json: {
        detail: [{ loc: ['body', 'tool'], msg: "String should match pattern '^[a-z][a-z0-9_-]{0,63}$'", type: 'string_pattern_mismatch' }],
      },
    },
  ]);
  expect((out.find(([l]) => l === 'create commit>total') as any)[1].json.detail[0].loc).toEqual(['body', 'commit']);
  expect((await step('gql bad name', gql(s.url, CREATE, { input: gqlBudget('Bad Name') }))).data.createPool).toMatchObject({
    __typename: 'InvalidInput',
    field: 'tool',
  });

  // Create → 201 with the status object; then it is everywhere a pool is.
  const events = subscribeSse(s.url, 'subscription { licenseEvents { type tool borrowed total } }');
  await events.ready;
  const created = await step('create solver', call(s, 'POST', '/config/tools', budget('solver')));
  expect(created).toEqual({
    status: 201,
    json: {
      tool: 'solver',
      total: 2,
      borrowed: 0,
      available: 2,
      commit: 1,
      max_overage: 1,
      overage: 0,
      in_commit: true,
      commit_price: 500,
      overage_price_per_license: 50,
      current_overage_cost: 0,
      total_cost: 500,
      lendable: 2,
      queued: 0,
      ...defaultBilling(),
    },
  });
  expect(await events.next((e: any) => e.type === 'POOL_CREATED')).toEqual({ type: 'POOL_CREATED', tool: 'solver', borrowed: 0, total: 2 });
  expect(await step('create again', call(s, 'POST', '/config/tools', budget('solver')))).toEqual({
    status: 409,
    json: { detail: 'Tool solver already exists' },
  });
  expect(await step('create seeded', call(s, 'POST', '/config/tools', budget('cad_tool')))).toEqual({
    status: 409,
    json: { detail: 'Tool cad_tool already exists' },
  });
  expect((await step('list', call(s, 'GET', '/licenses/status'))).json.map((p: any) => p.tool)).toEqual([
    'analysis',
    'cad_tool',
    'simulation',
    'solver',
  ]);
  expect(await metricsOf(s)).toContain('license_pool_seats{tool="solver"} 2');
  expect(await s.waitForLog((l) => l.event === 'pool_created' && l.tool === 'solver')).toMatchObject({ level: 'info' });

  // Borrow; retire refused while the seat is held; return; retire.
  const borrow = await postJson(`${s.url}/licenses/borrow`, { tool: 'solver', user: 'ann' });
  expect(borrow.status).toBe(200);
  expect(await step('retire held', call(s, 'DELETE', '/config/tools/solver'))).toEqual({
    status: 409,
    json: { detail: 'Tool solver cannot be retired while 1 seat(s) are borrowed' },
  });
  expect((await step('gql retire held', gql(s.url, RETIRE, { tool: 'solver' }))).data.retirePool).toMatchObject({
    __typename: 'PoolInUse',
    borrowed: 1,
  });
  expect((await postJson(`${s.url}/licenses/return`, { id: borrow.json.id })).status).toBe(200);
  expect(await step('retire', call(s, 'DELETE', '/config/tools/solver'))).toEqual({ status: 200, json: { status: 'ok', tool: 'solver' } });
  expect(await events.next((e: any) => e.type === 'POOL_RETIRED')).toEqual({ type: 'POOL_RETIRED', tool: 'solver', borrowed: 0, total: 2 });
  events.close();
  expect(await s.waitForLog((l) => l.event === 'pool_retired' && l.tool === 'solver')).toBeDefined();

  // Gone from status, budgets, metrics, borrowing; its history and charges stay.
  expect(await step('retire again', call(s, 'DELETE', '/config/tools/solver'))).toEqual({
    status: 404,
    json: { detail: 'Tool not found' },
  });
  expect(await step('retire unknown', call(s, 'DELETE', '/config/tools/nope'))).toEqual({
    status: 404,
    json: { detail: 'Tool not found' },
  });
  expect((await step('gql retire unknown', gql(s.url, RETIRE, { tool: 'nope' }))).data.retirePool).toMatchObject({
    __typename: 'ToolNotFound',
  });
  expect(await step('status retired', call(s, 'GET', '/licenses/solver/status'))).toEqual({
    status: 404,
    json: { detail: 'Tool not found' },
  });
  expect((await step('list after', call(s, 'GET', '/licenses/status'))).json.map((p: any) => p.tool)).toEqual([
    'analysis',
    'cad_tool',
    'simulation',
  ]);
  expect((await call(s, 'GET', '/config/budget')).json.tools.map((t: any) => t.tool)).not.toContain('solver');
  expect(
    await step(
      'borrow retired',
      postJson(`${s.url}/licenses/borrow`, { tool: 'solver', user: 'ann' }).then((r) => [r.status, r.json]),
    ),
  ).toEqual([404, { detail: 'Tool not found' }]);
  expect(await step('budget retired', call(s, 'PUT', '/config/budget', budget('solver')))).toMatchObject({ status: 400 });
  expect(await metricsOf(s)).not.toMatch(/^license_pool_seats\{tool="solver"\}/m);
  expect(await metricsOf(s)).not.toMatch(/^licenses_borrowed\{tool="solver"\}/m);
  const history = await gql(s.url, '{ events(tool: "solver") { nodes { type user borrowed total } } }');
  expect(await step('history', Promise.resolve(history))).toEqual({
    data: {
      events: {
        nodes: [
          { type: 'POOL_RETIRED', user: null, borrowed: 0, total: 2 },
          { type: 'RETURNED', user: 'ann', borrowed: 0, total: 2 },
          { type: 'BORROWED', user: 'ann', borrowed: 1, total: 2 },
          { type: 'POOL_CREATED', user: null, borrowed: 0, total: 2 },
        ],
      },
    },
  });
  // A retired name stays reserved (its history refers to it).
  expect(await step('create retired name', call(s, 'POST', '/config/tools', budget('solver')))).toEqual({
    status: 409,
    json: { detail: 'Tool solver already exists (retired; its name stays reserved for its history)' },
  });
  expect((await step('gql create retired', gql(s.url, CREATE, { input: gqlBudget('solver') }))).data.createPool).toMatchObject({
    __typename: 'PoolExists',
    retired: true,
  });

  // GraphQL create and retire.
  expect(await step('gql create', gql(s.url, CREATE, { input: gqlBudget('mesher', { commit: 2, maxOverage: 0 }) }))).toEqual({
    data: { createPool: { __typename: 'Pool', tool: 'mesher', total: 2, borrowed: 0, available: 2, lendable: 2, retired: false } },
  });
  expect(
    (await step('gql create commit>total', gql(s.url, CREATE, { input: gqlBudget('mesher2', { commit: 3 }) }))).data.createPool,
  ).toEqual({
    __typename: 'InvalidBudget',
    field: 'commit',
    message: 'commit (3) cannot exceed total (2)',
  });
  expect(await step('gql retire', gql(s.url, RETIRE, { tool: 'mesher' }))).toEqual({
    data: { retirePool: { __typename: 'Pool', tool: 'mesher', retired: true } },
  });
  return out;
}

/** A borrow racing a retire: either the borrow wins (retire 409) or the retire does (borrow 404); never a borrow in a retired pool. */
async function raceBorrowAndRetire(s: InProcessServer): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const tool = `race${i}`;
    expect((await call(s, 'POST', '/config/tools', budget(tool))).status).toBe(201);
    const [borrow, retire] = await Promise.all([
      postJson(`${s.url}/licenses/borrow`, { tool, user: 'racer' }),
      call(s, 'DELETE', `/config/tools/${tool}`),
    ]);
    expect([borrow.status, retire.status]).toSatisfy(
      ([b, r]: number[]) => (b === 200 && r === 409) || (b === 404 && r === 200),
      `borrow ${borrow.status}, retire ${retire.status}`,
    );
    if (borrow.status === 200) {
      expect((await postJson(`${s.url}/licenses/return`, { id: borrow.json.id })).status).toBe(200);
      expect((await call(s, 'DELETE', `/config/tools/${tool}`)).status).toBe(200);
    }
  }
  const borrows = (await call(s, 'GET', '/borrows')).json as any[];
  expect(borrows.filter((b) => b.tool.startsWith('race'))).toEqual([]);
}

let sqliteTranscript: [string, any][] | undefined;

describe('pools on SQLite', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({ listen: true, timers: false });
  });
  afterAll(() => s?.stop());

  it('creates, lends, refuses to retire a held pool, retires, and refuses commit > total', async () => {
    sqliteTranscript = await transcript(s);
  });

  it('never leaves a borrow in a retired pool when a borrow races the retire', async () => {
    await raceBorrowAndRetire(s);
  });
});

describe('pools on PostgreSQL', () => {
  const ADMIN_URL = postgresAdminUrl();
  const dbName = `floatline_pools_${randomUUID().slice(0, 8)}`;
  const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  let s: InProcessServer;
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    s = await startInProcess({ listen: true, timers: false, env: { DATABASE_URL: dbUrl } });
  });
  afterAll(async () => {
    await s?.stop();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });

  it('answers exactly what SQLite answers', async () => {
    const postgresql = await transcript(s);
    expect(sqliteTranscript).toBeDefined();
    expect(postgresql).toEqual(sqliteTranscript);
  });

  it('never leaves a borrow in a retired pool when a borrow races the retire', async () => {
    await raceBorrowAndRetire(s);
  });
});
