// Tracing's own CPU per REST request, in a process of its own: the server span as
// server/http/tracing.ts starts it (traceRequest, from a request's headers, with its
// attributes and context in the request's store), named by route as its Fastify hook does, a
// child db.transaction span and the ids a log line reads, batched and exported over OTLP/HTTP
// to a receiver in this process, flushed at the end. CPU time per request does not depend on
// how busy the machine is the way throughput does, so it complements row 10's A/B.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { nameRequestSpan, traceRequest } from '../server/http/tracing.ts';
import { requestContext } from '../server/observability/request-context.ts';
import { inSpan, startTracing, traceFields } from '../server/observability/tracing.ts';
import { readTracingConfig, type OtlpProtocol } from '../server/observability/tracing-config.ts';

export interface SpansArgs {
  requests: number;
  protocol: OtlpProtocol;
}
export interface SpansResult {
  protocol: OtlpProtocol;
  requests: number;
  /** Every thread's CPU: the serving thread's and the export worker's. */
  cpuUsPerRequest: number;
  /** The serving thread's alone (what competes with requests). */
  servingThreadCpuUsPerRequest: number;
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

const req = {
  method: 'POST',
  url: '/licenses/borrow',
  httpVersion: '1.1',
  headers: { host: '127.0.0.1:8000', 'user-agent': 'autocannon', 'content-type': 'application/json' },
} as unknown as IncomingMessage;
function request(): void {
  // Only 'close' (which ends the span) and statusCode are read of the response.
  const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse;
  requestContext.run(traceRequest(req, res, { requestId: 'bench', clientAddress: '127.0.0.1' }), () => {
    nameRequestSpan(res, 'POST', '/licenses/borrow'); // what the route's hook does
    inSpan('db.transaction', { 'db.system.name': 'sqlite' }, () => traceFields());
    traceFields(); // the request's log lines
    traceFields();
  });
  res.emit('close');
}

for (let i = 0; i < Math.min(5000, args.requests); i++) request(); // warm-up
const before = process.cpuUsage();
const beforeThread = process.threadCpuUsage();
for (let i = 0; i < args.requests; i++) {
  request();
  // Let the exporter run, as between requests. Often enough that the batch processor's
  // queue (2048 spans) never fills: a full queue drops spans, which then cost nothing —
  // one yield per 500 requests exported about a quarter of them.
  if (i % 50 === 49) await new Promise((r) => setImmediate(r));
}
const usedThread = process.threadCpuUsage(beforeThread);
await tracing.shutdown();
const used = process.cpuUsage(before);
receiver.close();
const result: SpansResult = {
  protocol: args.protocol,
  requests: args.requests,
  cpuUsPerRequest: (used.user + used.system) / args.requests,
  servingThreadCpuUsPerRequest: (usedThread.user + usedThread.system) / args.requests,
  exports,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
