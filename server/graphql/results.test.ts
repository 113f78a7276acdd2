// The mutations' result unions, in process: what the domain throws becomes the union member
// a client switches on (errors.ts, @pothos/plugin-errors), anything else stays a masked
// GraphQL error. Every document runs twice, so the graphql-jit path (compiled on the second
// run) is checked as well as graphql-js.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../db/database.ts';
import { Licenses } from '../licenses/index.ts';
import { createDocumentCaches } from './document-caches.ts';
import { schema } from './schema.ts';
import { maskError } from './unavailable.ts';
import { Registry } from 'prom-client';
import { Auth, OPEN_IDENTITY } from '../auth/index.ts';
import { readConfig } from '../config.ts';
import { createLogger } from '../observability/logger.ts';

let dir: string;
let db: OpenedDatabase;
let licenses: Licenses;
/** What resolvers need beside the domain: open mode's identity and the auth service (audit). */
let open: { identity: typeof OPEN_IDENTITY; auth: Auth };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floatline-results-'));
  db = await openDatabase({ dbPath: join(dir, 'licenses.db'), seed: true });
  licenses = new Licenses(db.dialect);
  const auth = new Auth({
    config: readConfig({}).auth,
    prisma: db.prisma,
    changes: licenses.changes,
    log: createLogger('silent'),
    registry: new Registry(),
  });
  open = { identity: OPEN_IDENTITY, auth };
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  data?: Record<string, Record<string, unknown>> | null;
  errors?: { message: string }[];
}

/** Runs a document twice against `context` (graphql-js, then graphql-jit) and returns the answers. */
async function runTwice(query: string, context: object = { licenses }): Promise<[Answer, Answer]> {
  const caches = createDocumentCaches();
  const yoga = createYoga({
    schema,
    context: () => ({ ...open, ...context }),
    maskedErrors: { maskError },
    plugins: [caches.jitPlugin],
    logging: false,
  });
  const once = async () =>
    (
      await yoga.fetch('http://local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    ).json() as Promise<Answer>;
  return [await once(), await once()];
}

/** The one answer a refused mutation gives, identical on both runs. */
async function refused(query: string): Promise<Record<string, unknown>> {
  const [first, second] = await runTwice(query);
  expect(second).toEqual(first);
  expect(first.errors).toBeUndefined();
  return Object.values(first.data!)[0]!;
}

const borrow = (tool: string, user: string) =>
  `mutation { borrowLicense(tool: ${JSON.stringify(tool)}, user: ${JSON.stringify(user)}) {
    __typename ... on Borrow { id tool user } ... on NoLicenseAvailable { tool reason message }
    ... on ToolNotFound { tool message } ... on InvalidInput { field message } } }`;

const budget = (fields: string) =>
  `mutation { updateBudget(input: { ${fields} }) {
    __typename ... on Pool { tool total commit } ... on ToolNotFound { tool message }
    ... on InvalidBudget { field message } ... on InvalidInput { field message } } }`;

const analysisBudget = 'total: 2, commit: 1, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100';

describe('borrowLicense and returnLicense', () => {
  it('answer Borrow and ReturnedLicense on success', async () => {
    const [{ data }] = await runTwice(borrow('cad_tool', 'ada'));
    expect(data!.borrowLicense).toMatchObject({ __typename: 'Borrow', tool: 'cad_tool', user: 'ada' });
    const id = String(data!.borrowLicense!.id);
    const returned = await licenses.borrows('ada');
    expect(returned.edges.map((e) => e.node.id)).toContain(id);
    const [back, again] = await runTwice(`mutation { returnLicense(id: "${id}") {
      __typename ... on ReturnedLicense { borrow { id } pool { tool } } ... on BorrowNotFound { id message } } }`);
    expect(back.data!.returnLicense).toEqual({ __typename: 'ReturnedLicense', borrow: { id }, pool: { tool: 'cad_tool' } });
    expect(again.data!.returnLicense).toEqual({ __typename: 'BorrowNotFound', id, message: 'Borrow record not found' });
    // The second run borrowed a seat too: give it back.
    for (const e of (await licenses.borrows('ada')).edges) await licenses.return(e.node.id);
  });

  it('answer InvalidInput naming the argument the domain refused', async () => {
    expect(await refused(borrow('cad_tool', ''))).toEqual({
      __typename: 'InvalidInput',
      field: 'user',
      message: 'String should have at least 1 character',
    });
    expect(await refused(borrow('cad\u0000tool', 'ada'))).toMatchObject({ __typename: 'InvalidInput', field: 'tool' });
    expect(await refused('mutation { returnLicense(id: " ") { __typename ... on InvalidInput { field } } }')).toEqual({
      __typename: 'InvalidInput',
      field: 'id',
    });
  });

  it('answer ToolNotFound and NoLicenseAvailable with the tool and the reason', async () => {
    expect(await refused(borrow('plotter', 'ada'))).toEqual({ __typename: 'ToolNotFound', tool: 'plotter', message: 'Tool not found' });
    const held = [await licenses.borrow('analysis', 'ada'), await licenses.borrow('analysis', 'bob')];
    try {
      expect(await refused(borrow('analysis', 'cy'))).toEqual({
        __typename: 'NoLicenseAvailable',
        tool: 'analysis',
        reason: 'EXHAUSTED',
        message: 'No licenses available for analysis',
      });
    } finally {
      for (const b of held) await licenses.return(b.id);
    }
  });

  it('leave any other failure a masked GraphQL error, not a union member', async () => {
    const broken = { licenses: { borrow: () => Promise.reject(new Error('disk on fire')) } };
    const [first, second] = await runTwice(borrow('cad_tool', 'ada'), broken);
    for (const answer of [first, second]) {
      expect(answer.data).toBeNull();
      expect(answer.errors?.map((e) => e.message)).toEqual(['Unexpected error.']);
    }
  });
});

describe('updateBudget', () => {
  it('answers Pool on success', async () => {
    const [{ data }] = await runTwice(budget(`tool: "analysis", ${analysisBudget}`));
    expect(data!.updateBudget).toEqual({ __typename: 'Pool', tool: 'analysis', total: 2, commit: 1 });
  });

  it('answers InvalidBudget, ToolNotFound and InvalidInput from the domain', async () => {
    expect(await refused(budget(`tool: "analysis", ${analysisBudget.replace('commit: 1', 'commit: -1')}`))).toEqual({
      __typename: 'InvalidBudget',
      field: 'commit',
      message: 'commit must be a whole number from 0 to 1000000',
    });
    expect(await refused(budget(`tool: "plotter", ${analysisBudget}`))).toEqual({
      __typename: 'ToolNotFound',
      tool: 'plotter',
      message: 'Tool not found',
    });
    expect(await refused(budget(`tool: "", ${analysisBudget}`))).toMatchObject({ __typename: 'InvalidInput', field: 'tool' });
    expect((await licenses.pool('analysis')).commit).toBe(1);
  });
});
