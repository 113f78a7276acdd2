// Spans leave the serving thread for the export worker (server/observability/tracing-export.ts
// → tracing-worker.ts, in the layout of tracing-wire.ts) and reach a real OTLP/HTTP receiver
// this test starts, decoded from the JSON encoding as a collector would: every field a span
// carries arrives intact (ids, parent, kind, times, attributes, status, exception events,
// links, trace state, resource, scope); more spans than the queue holds are dropped, counted
// and logged, never queued without bound; a collector that is away is logged and serving
// goes on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { context, createTraceState, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerSpanProcessor } from '../server/observability/tracing-export.ts';
import type { TracingConfig } from '../server/observability/tracing-config.ts';
import { waitFor } from './helpers/wait.ts';

type Json = Record<string, any>;

let receiver: Server;
let url: string;
const payloads: Json[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      payloads.push({ path: req.url, contentType: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => receiver.close());

function logs() {
  const lines: Json[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { log, lines };
}

const batch = (over: Partial<TracingConfig['batch']> = {}): TracingConfig['batch'] => ({
  scheduledDelayMillis: 50,
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  exportTimeoutMillis: 5000,
  ...over,
});

/** A processor whose worker exports to `endpoint` (the exporter reads it from the environment, as in the server). */
function processorFor(endpoint: string, b: TracingConfig['batch'], log: pino.Logger) {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  try {
    return new WorkerSpanProcessor(
      { protocol: 'http/json', batch: b, resource: { 'service.name': 'floatline-test', 'service.version': '9.9.9' } },
      log,
    );
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  }
}

function providerWith(processor: WorkerSpanProcessor) {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'floatline-test' }),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [processor],
  });
}

const spansOf = (p: Json): Json[] =>
  (p.body.resourceSpans as Json[]).flatMap((rs) =>
    (rs.scopeSpans as Json[]).flatMap((ss) => (ss.spans as Json[]).map((s): Json => ({ ...s, resource: rs.resource, scope: ss.scope }))),
  );
const attrs = (list: Json[] = []) => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

describe('the export worker', () => {
  it('delivers every field of a span, a child and a remote parent intact over OTLP/HTTP', async () => {
    const { log, lines } = logs();
    const processor = processorFor(url, batch(), log);
    const provider = providerWith(processor);
    const tracer = provider.getTracer('floatline', '1.2.3');
    const remote = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: createTraceState('vendor=abc'),
    });
    const server = tracer.startSpan('POST /licenses/borrow', { kind: SpanKind.SERVER }, remote);
    server.setAttribute('http.route', '/licenses/borrow').setAttribute('http.response.status_code', 200);
    const child = tracer.startSpan(
      'db.transaction',
      { links: [{ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }, attributes: { why: 'batch' } }] },
      trace.setSpan(remote, server),
    );
    child.setAttributes({ 'db.system.name': 'sqlite', 'db.rows': 3, ok: true });
    child.recordException(new Error('lock busy'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'lock busy' });
    child.end();
    server.end();
    await provider.forceFlush();
    await provider.shutdown();

    const spans = payloads.flatMap(spansOf);
    const s = spans.find((x) => x.name === 'POST /licenses/borrow')!;
    const c = spans.find((x) => x.name === 'db.transaction')!;
    expect(s.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(s.parentSpanId).toBe('b7ad6b7169203331');
    expect(s.traceState).toBe('vendor=abc');
    expect(s.kind).toBe(2); // OTLP's SERVER
    expect(attrs(s.attributes)).toEqual({ 'http.route': '/licenses/borrow', 'http.response.status_code': 200 });
    expect(Number(s.endTimeUnixNano)).toBeGreaterThanOrEqual(Number(s.startTimeUnixNano));
    expect(Number(s.startTimeUnixNano)).toBeGreaterThan(Date.now() * 1e6 - 60e9 * 1e3);
    expect(c.traceId).toBe(s.traceId);
    expect(c.parentSpanId).toBe(s.spanId);
    expect(attrs(c.attributes)).toEqual({ 'db.system.name': 'sqlite', 'db.rows': 3, ok: true });
    expect(c.status).toEqual({ code: 2, message: 'lock busy' });
    expect(c.events[0].name).toBe('exception');
    expect(attrs(c.events[0].attributes)['exception.message']).toBe('lock busy');
    expect(c.links[0].traceId).toBe('a'.repeat(32));
    expect(attrs(c.links[0].attributes)).toEqual({ why: 'batch' });
    expect(attrs(s.resource.attributes)).toMatchObject({ 'service.name': 'floatline-test', 'service.version': '9.9.9' });
    expect(s.scope).toMatchObject({ name: 'floatline', version: '1.2.3' });
    expect(payloads[0]!.path).toBe('/v1/traces');
    expect(payloads[0]!.contentType).toBe('application/json');
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('drops what does not fit its queue, counts it and says so, and exports the rest', async () => {
    payloads.length = 0;
    const { log, lines } = logs();
    const processor = processorFor(url, batch({ maxQueueSize: 4, maxExportBatchSize: 4 }), log);
    const provider = providerWith(processor);
    const tracer = provider.getTracer('floatline');
    // All in one turn: the worker cannot take any before the fifth arrives.
    for (let i = 0; i < 10; i++) tracer.startSpan(`span ${i}`).end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(payloads.flatMap(spansOf).map((s) => s.name)).toEqual(['span 0', 'span 1', 'span 2', 'span 3']);
    const warning = lines.find((l) => l.event === 'tracing_warning');
    expect(warning).toMatchObject({ dropped: 1 });
    expect(warning!.msg).toContain('OTEL_BSP_MAX_QUEUE_SIZE (4)');
  });

  it('logs a collector that is away, and the serving side goes on', async () => {
    const { log, lines } = logs();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const processor = processorFor(`http://127.0.0.1:${port}`, batch({ exportTimeoutMillis: 300 }), log);
    const provider = providerWith(processor);
    provider.getTracer('floatline').startSpan('lost').end();
    await provider.forceFlush();
    await waitFor(() => lines.some((l) => l.event === 'tracing_error'), 10_000, 'the worker to report the failed export');
    expect(lines.find((l) => l.event === 'tracing_error')!.msg).toMatch(/^tracing: /);
    provider.getTracer('floatline').startSpan('still fine').end(); // no throw
    await provider.shutdown();
    // The worker reported the failure and kept running: tracing did not stop.
    expect(lines.filter((l) => String(l.msg).startsWith('tracing stopped'))).toEqual([]);
  });
});
