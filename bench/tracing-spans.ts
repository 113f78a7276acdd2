// Tracing's own CPU per REST request, in a process of its own: the spans a borrow makes
// through server/observability/tracing.ts and the same calls server/http/tracing.ts makes
// (a server span from the request's headers with its attributes, its context, a child
// db.transaction span, the ids a log line reads), batched and exported over OTLP/HTTP to a
// receiver in this process, flushed at the end. CPU time per request does not depend on
// how busy the machine is the way throughput does, so it complements row 10's A/B.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import pino from 'pino';
import { activeTracer, inSpan, startTracing, traceFields } from '../server/observability/tracing.ts';
import { readTracingConfig, type OtlpProtocol } from '../server/observability/tracing-config.ts';

export interface SpansArgs {
  requests: number;
  protocol: OtlpProtocol;
}
export interface SpansResult {
  protocol: OtlpProtocol;
  requests: number;
  cpuUsPerRequest: number;
  exports: number;
}

const args = JSON.parse(process.argv[2]!) as SpansArgs;
let exports = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    exports++;
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
// The exporter reads its endpoint from the environment, as in the server.
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
process.env.OTEL_EXPORTER_OTLP_PROTOCOL = args.protocol;
const config = readTracingConfig(process.env)!;
const tracing = await startTracing({ ...config, sampler: 'always_on' }, 'bench', pino({ level: 'silent' }));

const headers = { host: '127.0.0.1:8000', 'user-agent': 'autocannon', 'content-type': 'application/json' };
function request(): void {
  const tracer = activeTracer()!;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(
    'POST',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/licenses/borrow',
        'url.scheme': 'http',
        'network.protocol.version': '1.1',
        'client.address': '127.0.0.1',
        'user_agent.original': 'autocannon',
      },
    },
    parent,
  );
  context.with(trace.setSpan(parent, span), () => {
    span.updateName('POST /licenses/borrow');
    span.setAttribute('http.route', '/licenses/borrow');
    inSpan('db.transaction', { 'db.system.name': 'sqlite' }, () => traceFields());
    traceFields(); // the request's log lines
    traceFields();
  });
  span.setAttribute('http.response.status_code', 200);
  span.end();
}

for (let i = 0; i < Math.min(5000, args.requests); i++) request(); // warm-up
const before = process.cpuUsage();
for (let i = 0; i < args.requests; i++) {
  request();
  if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // let the exporter run, as between requests
}
await tracing.shutdown();
const used = process.cpuUsage(before);
receiver.close();
const result: SpansResult = {
  protocol: args.protocol,
  requests: args.requests,
  cpuUsPerRequest: (used.user + used.system) / args.requests,
  exports,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
