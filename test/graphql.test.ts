// GraphQL queries and every mutation result type, in-process on a fresh server per test.
// Subscriptions over real sockets are in graphql-live.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gql, ROOT } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeEach(async () => {
  s = await startInProcess();
});
afterEach(async () => {
  await s?.stop();
});

const BORROW = `mutation($tool: String!, $user: String!) { borrowLicense(tool: $tool, user: $user) {
  __typename ... on Borrow { id tool user borrowedAt } ... on NoLicenseAvailable { tool reason message }
  ... on ToolNotFound { tool message } ... on InvalidInput { field message } } }`;
const RETURN = `mutation($id: ID!) { returnLicense(id: $id) { __typename
  ... on ReturnedLicense { borrow { id tool } pool { tool borrowed } } ... on BorrowNotFound { id message } ... on InvalidInput { field } } }`;
const BUDGET = `mutation($input: BudgetInput!) { updateBudget(input: $input) { __typename
  ... on Pool { tool total commit maxOverage commitPrice overagePricePerLicense } ... on ToolNotFound { tool } ... on InvalidBudget { field message } } }`;

describe('GraphQL', () => {
  it('serves GraphiQL to a browser at /graphql', async () => {
    const res = await s.fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });

  it('queries pools, one pool, cost summary and version', async () => {
    const r = await gql(
      s.url,
      '{ pools { tool total commit maxOverage available inCommit totalCost } pool(tool: "cad_tool") { tool borrowed } missing: pool(tool: "x") { tool } costSummary { commit overage total } version }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.pools.map((p: any) => p.tool)).toEqual(['analysis', 'cad_tool', 'simulation']);
    expect(r.data.pool).toEqual({ tool: 'cad_tool', borrowed: 0 });
    expect(r.data.missing).toBeNull();
    expect(r.data.costSummary).toEqual({ commit: 3000, overage: 0, total: 3000 });
    expect(r.data.version).toBe('dev');
  });

  it('returns every borrow result type', async () => {
    const ok = (await gql(s.url, BORROW, { tool: 'analysis', user: 'gq' })).data.borrowLicense;
    expect(ok).toMatchObject({ __typename: 'Borrow', tool: 'analysis', user: 'gq' });
    await gql(s.url, BORROW, { tool: 'analysis', user: 'gq2' });
    expect((await gql(s.url, BORROW, { tool: 'analysis', user: 'gq3' })).data.borrowLicense).toEqual({
      __typename: 'NoLicenseAvailable',
      tool: 'analysis',
      reason: 'EXHAUSTED',
      message: 'No licenses available for analysis',
    });
    expect((await gql(s.url, BORROW, { tool: 'nope', user: 'gq' })).data.borrowLicense).toEqual({
      __typename: 'ToolNotFound',
      tool: 'nope',
      message: 'Tool not found',
    });
    expect((await gql(s.url, BORROW, { tool: 'analysis', user: '  ' })).data.borrowLicense).toMatchObject({
      __typename: 'InvalidInput',
      field: 'user',
    });

    const back = (await gql(s.url, RETURN, { id: ok.id })).data.returnLicense;
    expect(back).toEqual({
      __typename: 'ReturnedLicense',
      borrow: { id: ok.id, tool: 'analysis' },
      pool: { tool: 'analysis', borrowed: 1 },
    });
    expect((await gql(s.url, RETURN, { id: ok.id })).data.returnLicense).toEqual({
      __typename: 'BorrowNotFound',
      id: ok.id,
      message: 'Borrow record not found',
    });

    const lists = (
      await gql(
        s.url,
        '{ borrows(user: "gq2") { nodes { id tool user } } overageCharges(tool: "analysis") { nodes { borrowId amount user } } }',
      )
    ).data;
    expect(lists.borrows.nodes).toHaveLength(1);
    expect(lists.overageCharges.nodes).toEqual([{ borrowId: lists.borrows.nodes[0].id, amount: 100, user: 'gq2' }]);
    await gql(s.url, RETURN, { id: lists.borrows.nodes[0].id });
  });

  it('returns every budget result type', async () => {
    const input = { tool: 'simulation', total: 6, commit: 3, maxOverage: 2, commitPrice: 2000, overagePricePerLicense: 150 };
    expect((await gql(s.url, BUDGET, { input })).data.updateBudget).toEqual({ __typename: 'Pool', ...input });
    expect((await gql(s.url, BUDGET, { input: { ...input, tool: 'ghost' } })).data.updateBudget).toEqual({
      __typename: 'ToolNotFound',
      tool: 'ghost',
    });
    expect((await gql(s.url, BUDGET, { input: { ...input, commit: -1 } })).data.updateBudget).toMatchObject({
      __typename: 'InvalidBudget',
      field: 'commit',
    });
    expect((await gql(s.url, BUDGET, { input: { ...input, total: 0 } })).data.updateBudget).toMatchObject({
      __typename: 'InvalidBudget',
      field: 'total',
    });
  });

  it('records history: events newest first and usage over time', async () => {
    // The history this test reads, made here: two borrows, a denial, two returns, a budget change.
    const first = (await gql(s.url, BORROW, { tool: 'analysis', user: 'gq' })).data.borrowLicense;
    const second = (await gql(s.url, BORROW, { tool: 'analysis', user: 'gq2' })).data.borrowLicense;
    await gql(s.url, BORROW, { tool: 'analysis', user: 'gq3' });
    await gql(s.url, RETURN, { id: first.id });
    await gql(s.url, RETURN, { id: second.id });
    await gql(s.url, BUDGET, {
      input: { tool: 'simulation', total: 6, commit: 3, maxOverage: 2, commitPrice: 2000, overagePricePerLicense: 150 },
    });
    const r = await gql(
      s.url,
      '{ events(first: 3) { nodes { type tool reason borrowed } } usage(minutes: 60) { tool total points { borrowed } } }',
    );
    expect(r.data.events.nodes[0]).toMatchObject({ type: 'BUDGET_CHANGED', tool: 'simulation' });
    expect(r.data.events.nodes.length).toBe(3);
    const analysis = r.data.usage.find((u: any) => u.tool === 'analysis');
    expect(analysis.points.map((p: any) => p.borrowed)).toEqual([0, 1, 2, 2, 1, 0]);
    const denied = (await gql(s.url, '{ events(tool: "analysis", first: 50) { nodes { type reason } } }')).data.events.nodes.find(
      (e: any) => e.type === 'DENIED',
    );
    expect(denied).toEqual({ type: 'DENIED', reason: 'EXHAUSTED' });
  });

  it('reports frontend errors into the log', async () => {
    const r = await gql(s.url, 'mutation { reportFrontendError(input: { message: "gql boom", url: "http://x/" }) }');
    expect(r.data.reportFrontendError).toBe(true);
    expect(await s.waitForLog((l) => l.event === 'frontend_error' && l.error_message === 'gql boom')).toMatchObject({ level: 'error' });
  });

  it('keeps the committed schema.graphql in step with the code', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/graphql/print-schema.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr + run.stdout).toContain('schema.graphql is current');
    expect(run.status).toBe(0);
    expect(readFileSync(`${ROOT}schema.graphql`, 'utf8')).toContain(
      'union BorrowLicenseResult = Borrow | InvalidInput | NoLicenseAvailable | QueueTicket | ToolNotFound',
    );
  });
});
