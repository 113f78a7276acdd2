// The HTTP request's span: the root of a request's trace, or the continuation of the
// caller's when it sends a W3C `traceparent` (the floatline CLI, a CI job, a proxy). It is
// started around Fastify's handler, so everything the request does — the GraphQL operation,
// the store's transaction, the Redis publish, every log line — runs inside it; a Fastify
// hook names it by its route template once routing is done.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { activeTracer, SpanKind } from '../observability/tracing.ts';

/** Runs handle() inside the request's server span when tracing is on; else just handle(). */
export function traceRequest(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const tracer = activeTracer();
  if (tracer === null) {
    handle();
    return;
  }
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const query = req.url?.indexOf('?') ?? -1;
  const span = tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': (query >= 0 ? req.url!.slice(0, query) : (req.url ?? '/')).slice(0, 300),
        'url.scheme': 'http',
        'network.protocol.version': req.httpVersion,
        'client.address': req.socket.remoteAddress ?? '',
        'user_agent.original': String(req.headers['user-agent'] ?? '').slice(0, 200),
      },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), handle);
}

/** Names each request's span `METHOD /route/:template` (bounded, unlike the URL). */
export function registerTraceRoute(app: FastifyInstance): void {
  if (activeTracer() === null) return;
  app.addHook('onRequest', (req, _reply, done) => {
    const span = trace.getSpan(context.active());
    const route = req.routeOptions.url;
    if (span && route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    done();
  });
}
