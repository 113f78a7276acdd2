// The HTTP request's span: the root of a request's trace, or the continuation of the
// caller's when it sends a W3C `traceparent` (the floatline CLI, a CI job, a proxy). Its
// context goes into the request context the whole request runs in (app.ts), so everything
// the request does — the GraphQL operation, the store's transaction, the Redis publish,
// every log line — runs inside it; a Fastify hook names it by its route template once
// routing is done.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { RequestContext } from '../observability/request-context.ts';
import { activeTracer, SpanKind } from '../observability/tracing.ts';

// The request's span rides on its response: the one listener shared by all requests and
// the route hooks find it there, with no closure per request nor a context lookup.
const SPAN = Symbol('floatline.requestSpan');
type Traced = ServerResponse & { [SPAN]?: Span };

/**
 * Starts the request's server span when tracing is on and puts its context in the request's
 * store (returned); with tracing off the store is returned as it is. One store and one
 * AsyncLocalStorage.run per request either way: the span's context is not a second run
 * nested in the first.
 */
export function traceRequest(req: IncomingMessage, res: ServerResponse, store: RequestContext): RequestContext {
  const tracer = activeTracer();
  if (tracer === null) return store;
  // Most requests carry no trace context: the propagator is only asked when one does.
  const parent = req.headers.traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  // The documented attributes only (docs/tracing.md), set on the started span: see inSpan
  // (observability/tracing.ts) for why not as startSpan's attributes.
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
  span
    .setAttribute('http.request.method', method)
    .setAttribute('url.path', (query >= 0 ? url.slice(0, query) : url).slice(0, 300))
    .setAttribute('url.scheme', 'http')
    .setAttribute('client.address', store.clientAddress ?? '');
  (res as Traced)[SPAN] = span;
  res.on('close', endRequestSpan); // a response closes once
  store.otel = trace.setSpan(parent, span);
  return store;
}

function endRequestSpan(this: Traced): void {
  const span = this[SPAN];
  if (span === undefined) return;
  span.setAttribute('http.response.status_code', this.statusCode);
  if (this.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Names the request's span after its route, if it is traced. */
export function nameRequestSpan(res: ServerResponse, method: string, route: string): void {
  const span = (res as Traced)[SPAN];
  if (span === undefined) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * Names each request's span `METHOD /route/:template` (bounded, unlike the URL). A hook of
 * each route's own, made when the route is added, knows its template: reading
 * `request.routeOptions` builds a fresh object of a dozen fields on every call.
 */
export function registerTraceRoute(app: FastifyInstance): void {
  if (activeTracer() === null) return;
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (!url) return;
    const name: onRequestHookHandler = (req, reply, done) => {
      nameRequestSpan(reply.raw, req.method, url);
      done();
    };
    const own = route.onRequest;
    route.onRequest = own === undefined ? [name] : [name, ...(Array.isArray(own) ? own : [own])];
  });
}
