// OpenTelemetry traces reach a real OTLP/HTTP receiver (an HTTP server this test starts
// that decodes the OTLP JSON encoding, as a collector does): a borrow on PostgreSQL with
// Redis is one trace of the HTTP request, the GraphQL operation, the pool's transaction and
// the Redis publish; a caller's `traceparent` (curl, the floatline CLI from a CI job) is
// continued; every log line of a traced request carries its trace_id and span_id. Without
// an OTLP endpoint nothing is traced.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, postgresAdminUrl } from '../helpers/postgres.ts';
import { redisUrl } from '../helpers/redis.ts';
import { buildCli, startCli } from '../helpers/cli.ts';
import { gql, postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service: unknown;
}

/** A minimal OTLP/HTTP receiver for the JSON encoding (POST /v1/traces). */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; requests: string[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const requests: string[] = [];
  const value = (v: Record<string, unknown>) => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
  const attrs = (list: Array<{ key: string; value: Record<string, unknown> }> = []) =>
    Object.fromEntries(list.map((a) => [a.key, value(a.value)]));
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const payload = JSON.parse(body);
      for (const rs of payload.resourceSpans ?? []) {
        const service = attrs(rs.resource?.attributes)['service.name'];
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              kind: s.kind,
              attributes: attrs(s.attributes),
              service,
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, requests, server };
}

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_tracing_${randomUUID().slice(0, 8)}`;
const pgUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let server: RunningServer;

beforeAll(async () => {
  receiver = await startReceiver();
  await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  server = await startServer({
    env: {
      DATABASE_URL: pgUrl,
      REDIS_URL: redisUrl(),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'floatline-under-test',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  receiver?.server.close();
  await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

const spansOf = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT, http/json)', () => {
  it('a GraphQL borrow is one trace: HTTP request → GraphQL operation → transaction, and the Redis publish', async () => {
    const body = await gql(
      server.url,
      'mutation Borrow($u: String!) { borrowLicense(tool: "cad_tool", user: $u) { __typename ... on Borrow { id } } }',
      {
        u: 'traced',
      },
    );
    expect(body.data.borrowLicense.__typename).toBe('Borrow');

    const line = await server.waitForLog((l) => l.event === 'http_request' && l.route === '/graphql' && typeof l.trace_id === 'string');
    const traceId = line.trace_id as string;
    const spans = await waitFor(
      async () => {
        const got = spansOf(traceId);
        return got.some((s) => s.name === 'PUBLISH') && got.some((s) => s.name === 'POST /graphql') ? got : undefined;
      },
      20_000,
      'the borrow trace at the receiver',
    );
    expect(receiver.requests.every((r) => r.startsWith('POST /v1/traces application/json'))).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['floatline-under-test']));

    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const http = byName('POST /graphql');
    const op = byName('mutation Borrow');
    const tx = spans.find((s) => s.name === 'db.transaction' && s.parentSpanId === op.spanId);
    const publish = byName('PUBLISH');
    expect(http.parentSpanId).toBeUndefined(); // a new trace: nobody sent a traceparent
    expect(http.kind).toBe(2); // SERVER
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200 });
    expect(op.parentSpanId).toBe(http.spanId);
    expect(op.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Borrow' });
    expect(tx?.attributes).toMatchObject({ 'db.system.name': 'postgresql' });
    expect(publish.kind).toBe(3); // CLIENT
    expect(publish.attributes).toMatchObject({ 'db.system.name': 'redis' });
    expect(spans.map((s) => s.spanId)).toContain(publish.parentSpanId);

    // Every log line of the request carries the trace, and a span of it.
    const lines = server.logs.filter((l) => l.request_id === line.request_id);
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(['borrow_license', 'http_request']));
    for (const l of lines) {
      expect(l.trace_id, l.event).toBe(traceId);
      expect(
        spans.map((s) => s.spanId),
        l.event,
      ).toContain(l.span_id);
    }
  });

  it("continues a caller's traceparent (REST borrow and return)", async () => {
    const caller = newTraceparent();
    const borrowed = await postJson(
      `${server.url}/licenses/borrow`,
      { tool: 'simulation', user: 'ci-job' },
      { headers: { traceparent: caller.header } },
    );
    expect(borrowed.status).toBe(200);
    const returned = await postJson(`${server.url}/licenses/return`, { id: borrowed.json.id }, { headers: { traceparent: caller.header } });
    expect(returned.status).toBe(200);
    const spans = await waitFor(
      async () => {
        const got = spansOf(caller.traceId);
        return got.filter((s) => s.name === 'db.transaction').length >= 2 && got.filter((s) => s.kind === 2).length >= 2 ? got : undefined;
      },
      20_000,
      "the caller's trace at the receiver",
    );
    const servers = spans.filter((s) => s.kind === 2);
    expect(servers.map((s) => s.name).sort()).toEqual(['POST /licenses/borrow', 'POST /licenses/return']);
    for (const s of servers) expect(s.parentSpanId).toBe(caller.spanId);
    for (const tx of spans.filter((s) => s.name === 'db.transaction')) expect(servers.map((s) => s.spanId)).toContain(tx.parentSpanId);
    expect(server.logs.filter((l) => l.event === 'borrow_license' && l.user === 'ci-job').map((l) => l.trace_id)).toEqual([caller.traceId]);
  });

  it('the floatline CLI sends TRACEPARENT from its environment, so a CI job’s trace continues into the server', async () => {
    buildCli();
    const caller = newTraceparent();
    const cli = startCli(['borrow', 'analysis', '--user', 'pipeline'], { FLOATLINE_URL: server.url, TRACEPARENT: caller.header });
    const done = await cli.finished;
    expect(done.code, done.stderr).toBe(0);
    const span = await waitFor(
      async () => spansOf(caller.traceId).find((s) => s.name === 'POST /licenses/borrow'),
      20_000,
      "the CLI's borrow at the receiver",
    );
    expect(span.parentSpanId).toBe(caller.spanId);
  });
});

describe('tracing off (the default)', () => {
  it('sends nothing and adds no trace fields, even when the caller sends a traceparent', async () => {
    const plain = await startServer();
    try {
      const before = receiver.requests.length;
      const r = await postJson(
        `${plain.url}/licenses/borrow`,
        { tool: 'cad_tool', user: 'untraced' },
        { headers: { traceparent: newTraceparent().header } },
      );
      expect(r.status).toBe(200);
      const line = await plain.waitForLog((l) => l.event === 'http_request' && l.route === '/licenses/borrow');
      expect(line).not.toHaveProperty('trace_id');
      expect(plain.logs.some((l) => 'trace_id' in l || 'span_id' in l)).toBe(false);
      expect(plain.logs.some((l) => l.event === 'tracing_started')).toBe(false);
      expect(receiver.requests.length).toBe(before);
    } finally {
      await plain.stop();
    }
  });
});
