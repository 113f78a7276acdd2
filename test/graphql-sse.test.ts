// graphql-sse's protocol, spoken by graphql-sse's own client, in both of its modes: distinct
// connections (one stream per operation; /graphql serves it too) and single connection (a
// reserved stream that carries many operations). With AUTH_MODE=required the stream
// endpoint asks for the same credentials and applies the same roles as every other door.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type ExecutionResult } from 'graphql-sse';
import { postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { waitFor } from './helpers/wait.ts';

/** Runs one operation and collects its results until it completes or fails. */
function run(client: Client, query: string) {
  const results: ExecutionResult<Record<string, any>>[] = [];
  let failure: unknown;
  let done = false;
  const stop = client.subscribe(
    { query },
    {
      next: (r) => void results.push(r as ExecutionResult<Record<string, any>>),
      error: (e) => {
        failure = e;
        done = true;
      },
      complete: () => {
        done = true;
      },
    },
  );
  return { results, stop, failure: () => failure, done: () => done };
}

/** The server's count of open SSE subscriptions (the same gauge WebSocket ones have). */
async function openSse(s: InProcessServer): Promise<number> {
  const text = await (await s.fetch('/metrics')).text();
  return Number(/graphql_subscriptions_open\{transport="sse"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('graphql-sse in open mode', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({ listen: true });
  });
  afterAll(async () => {
    await s?.stop();
  });

  for (const [mode, singleConnection, path] of [
    ['distinct connections', false, '/graphql/stream'],
    ['distinct connections on /graphql', false, '/graphql'],
    ['single connection', true, '/graphql/stream'],
  ] as const) {
    it(`${mode}: two subscriptions hear a REST borrow, a query answers once`, async () => {
      const client = createClient({ url: `${s.url}${path}`, singleConnection, retryAttempts: 0 });
      try {
        const tool = singleConnection ? 'simulation' : path === '/graphql' ? 'analysis' : 'cad_tool';
        const pools = run(client, `subscription { poolChanged(tool: "${tool}") { tool borrowed } }`);
        const events = run(client, `subscription { licenseEvents(tool: "${tool}") { type tool user } }`);
        await waitFor(async () => (await openSse(s)) >= 2, 10_000, 'two open SSE subscriptions');

        const borrowed = await postJson(`${s.url}/licenses/borrow`, { tool, user: `sse-${path}` });
        expect(borrowed.status).toBe(200);
        await waitFor(async () => pools.results.length > 0 && events.results.length > 0, 10_000, 'both subscriptions to hear the borrow');
        expect(pools.results[0]).toEqual({ data: { poolChanged: { tool, borrowed: 1 } } });
        expect(events.results[0]).toEqual({ data: { licenseEvents: { type: 'BORROWED', tool, user: `sse-${path}` } } });

        const query = run(client, `{ pool(tool: "${tool}") { borrowed } }`);
        await waitFor(async () => query.done(), 10_000, 'the query operation to end');
        expect(query.failure()).toBeUndefined();
        expect(query.results).toEqual([{ data: { pool: { borrowed: 1 } } }]);

        pools.stop();
        events.stop();
        await waitFor(async () => (await openSse(s)) === 0, 10_000, 'the subscriptions to close');
        await postJson(`${s.url}/licenses/return`, { id: borrowed.json.id });
      } finally {
        client.dispose();
      }
    });
  }

  it('single connection: a stream is reserved with PUT and refuses an unknown token', async () => {
    const reserved = await s.fetch('/graphql/stream', { method: 'PUT' });
    expect(reserved.status).toBe(201);
    const token = await reserved.text();
    expect(token).toMatch(/\S/);
    const unknown = await s.fetch('/graphql/stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-event-stream-token': 'not-a-reserved-token' },
      body: JSON.stringify({ query: '{ version }', extensions: { operationId: '1' } }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe('graphql-sse with AUTH_MODE=required', () => {
  const ADMIN_TOKEN = 'sse-admin-token-0123456789abcdef';
  let s: InProcessServer;
  let viewerToken: string;
  beforeAll(async () => {
    s = await startInProcess({ listen: true, env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
    const created = await postJson(
      `${s.url}/auth/tokens`,
      { name: 'sse-viewer', user: 'vera', role: 'viewer' },
      { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    expect(created.status).toBe(201);
    viewerToken = created.json.token;
  });
  afterAll(async () => {
    await s?.stop();
  });

  for (const singleConnection of [false, true]) {
    const mode = singleConnection ? 'single connection' : 'distinct connections';

    it(`${mode}: no credential is refused with 401`, async () => {
      const client = createClient({ url: `${s.url}/graphql/stream`, singleConnection, retryAttempts: 0 });
      try {
        const op = run(client, 'subscription { poolChanged { tool } }');
        await waitFor(async () => op.done(), 10_000, 'the op operation to end');
        expect(op.results).toEqual([]);
        expect(String((op.failure() as Error)?.message ?? op.failure())).toMatch(/401|Unauthorized|Authentication required/i);
      } finally {
        client.dispose();
      }
    });

    it(`${mode}: a viewer subscribes and reads, but may not borrow`, async () => {
      const client = createClient({
        url: `${s.url}/graphql/stream`,
        singleConnection,
        retryAttempts: 0,
        headers: { authorization: `Bearer ${viewerToken}` },
      });
      try {
        const read = run(client, '{ pool(tool: "cad_tool") { tool } }');
        await waitFor(async () => read.done(), 10_000, 'the read operation to end');
        expect(read.results).toEqual([{ data: { pool: { tool: 'cad_tool' } } }]);
        const borrow = run(client, 'mutation { borrowLicense(tool: "cad_tool", user: "vera") { __typename } }');
        await waitFor(async () => borrow.done(), 10_000, 'the borrow operation to end');
        expect(borrow.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const status = (await (
          await s.fetch('/licenses/cad_tool/status', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        ).json()) as {
          borrowed: number;
        };
        expect(status.borrowed).toBe(0);
      } finally {
        client.dispose();
      }
    });
  }
});
