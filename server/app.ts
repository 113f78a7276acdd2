// Composes the HTTP surface on one port: GraphQL (HTTP, SSE, WebSocket), the REST shim,
// /metrics, health, the dashboard and the deck. Every request runs inside a request
// context, so each log line and response carries its X-Request-ID.
import Fastify, { LogController, type FastifyBodyParser, type FastifyInstance } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { swaggerOptions } from './rest/openapi.ts';
import type { Licenses } from './licenses/index.ts';
import type { Observed } from './observed/index.ts';
import { registerObservedRoutes } from './rest/observed.ts';
import type { Logger } from './observability/logger.ts';
import { refreshPools, type Metrics } from './observability/metrics.ts';
import { requestContext, requestIdFrom } from './observability/request-context.ts';
import { createGraphQL } from './graphql/yoga.ts';
import { registerGraphQLRoutes } from './graphql/http-route.ts';
import { SseStreams } from './graphql/sse-limits.ts';
import { attachWebSocket } from './graphql/websocket.ts';
import type { LiveUpdates } from './graphql/live-updates.ts';
import { registerRestRoutes } from './rest/routes.ts';
import { registerReportRoutes } from './rest/reports.ts';
import { registerErrorHandling } from './rest/errors.ts';
import { registerStaticFiles } from './static-files.ts';
import { databaseAnswers, type Prisma } from './db/database.ts';
import type { Dependencies } from './observability/dependencies.ts';
import { registerCrossSiteGuard } from './http/cross-site.ts';
import { registerTraceRoute, traceRequest } from './http/tracing.ts';
import { docsCsp, registerSecurityHeaders } from './http/security-headers.ts';

import type { HttpBoundsConfig } from './config.ts';
import { registerBodyDrain, registerCompression, serverTimeouts } from './http-bounds.ts';
import { registerGraphiQLAssets } from './graphql/graphiql-assets.ts';
import { FrontendErrorGate } from './observability/frontend-error-limits.ts';
import type { Auth } from './auth/index.ts';
import { registerAuthHook, registerAuthRoutes, sendUnauthenticated } from './auth/rest.ts';
import { hashSecret } from './auth/credentials.ts';
import { registerSignIn } from './auth/oidc.ts';
import { timingSafeEqual } from 'node:crypto';
import { Counter } from 'prom-client';
import { redactUrl } from './observability/redact-url.ts';
import { type HostPattern, hostAllowed, refuseMisdirected, refuseMisdirectedUpgrade } from './http/allowed-hosts.ts';

export interface AppDeps {
  licenses: Licenses;
  /** License servers observed, not served (FlexNet, RLM): server/observed/. */
  observed: Observed;
  live: LiveUpdates;
  log: Logger;
  metrics: Metrics;
  prisma: Prisma;
  version: string;
  bodyLimitBytes: number;
  httpBounds: HttpBoundsConfig;
  /** What /readyz reports beside its verdict: database and (with REDIS_URL) Redis. */
  dependencies?: Dependencies;
  /** Other sites' origins allowed to use Floatline from a browser (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** Identity, roles, tokens and the audit trail (server/auth/). */
  auth: Auth;
  /** ALLOWED_HOSTS, parsed; the defaults (localhost, IP literals, PUBLIC_URL's host) always apply. */
  allowedHosts?: readonly HostPattern[];
}

export async function buildApp(deps: AppDeps) {
  const { licenses, observed, live, log, metrics, prisma, version, httpBounds, auth } = deps;
  const allowed = hostAllowed({ allowedHosts: deps.allowedHosts ?? [], publicUrl: auth.config.publicUrl });
  const misdirected = new Counter({
    name: 'http_misdirected_refused_total',
    help: 'Requests and WebSocket upgrades refused with 421 because their Host is not allowed (ALLOWED_HOSTS)',
    labelNames: ['transport'] as const,
    registers: [metrics.registry],
  });
  misdirected.inc({ transport: 'http' }, 0);
  misdirected.inc({ transport: 'ws' }, 0);

  const app = Fastify({
    loggerInstance: log,
    // One line per request comes from registerHttpMetrics, with the route template.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: false,
    genReqId: (req) => String(req.headers['x-request-id']),
    // Every line already carries request_id from the request context (logger.ts mixin);
    // a pino child per request only cost time (~2% of a status read's CPU).
    childLoggerFactory: (logger) => logger,
    ajv: { customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false, useDefaults: false } },
    // Timeouts go on the server itself: Fastify ignores its requestTimeout with a serverFactory.
    serverFactory: (handler) =>
      createServer(serverTimeouts(httpBounds), (req: IncomingMessage, res: ServerResponse) => {
        // Before anything else: a Host not ours is a DNS-rebinding page or a misrouted client.
        if (refuseMisdirected(allowed, req, res)) {
          misdirected.inc({ transport: 'http' });
          return;
        }
        // Run the whole request inside its context; keep a caller's id if it is sane.
        const requestId = requestIdFrom(req.headers['x-request-id']);
        req.headers['x-request-id'] = requestId;
        // With tracing on, the request's span is started and its context joins this store.
        requestContext.run(traceRequest(req, res, { requestId, clientAddress: req.socket.remoteAddress }), handler, req, res);
      }),
  }) as unknown as FastifyInstance; // pino's Logger type is wider than Fastify's base logger

  // Bodies are JSON whatever the client claims (curl -d sends form encoding by default),
  // and an empty one is no body: many HTTP wrappers send `Content-Type: application/json`
  // on a bodiless DELETE or POST. Fastify's own parser (guarded against prototype
  // poisoning) reads the rest. /graphql takes raw text in its own scope (http-route.ts).
  const json = app.getDefaultJsonParser('error', 'error');
  const parseJsonOrEmpty: FastifyBodyParser<string> = (req, body, done) => {
    if (!/\S/.test(body)) return done(null, undefined);
    return json(req, body, done);
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonOrEmpty);
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonOrEmpty);

  // The id goes back on Fastify's own header set: a header put on the Node response
  // before Fastify writes its head sends Node down a slower merge (~4% of a status read).
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-ID', req.id);
    done();
  });
  await registerSecurityHeaders(app);
  const refuseCrossSiteUpgrade = await registerCrossSiteGuard(app, { corsOrigins: deps.corsOrigins ?? [], log, metrics }); // before registerErrorHandling (see there)
  // After the cross-site guard: a refused cross-site request costs no credential lookup.
  const who = registerAuthHook(app, auth);
  registerErrorHandling(app, auth);
  registerHttpMetrics(app, metrics);
  registerTraceRoute(app);
  await registerCompression(app); // before the routes: it attaches to each as it is added
  registerBodyDrain(app, httpBounds);
  const frontendErrors = new FrontendErrorGate(metrics.registry, {
    perMinute: httpBounds.frontendErrorsPerMinute,
    bodyLimitBytes: httpBounds.frontendErrorBodyLimitBytes,
    clock: auth.clock,
  });

  await app.register(swagger, swaggerOptions(version, auth.required));
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: docsCsp });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerRestRoutes(app, { licenses, log, version, frontendErrors, auth, who });
  registerReportRoutes(app, { licenses });
  registerObservedRoutes(app, { observed, auth, who });
  registerAuthRoutes(app, auth);
  registerSignIn(app, auth, auth.oidc, log);

  const sseStreams = new SseStreams(
    { maxPerAddress: httpBounds.sseMaxStreamsPerAddress, maxPerIdentity: httpBounds.sseMaxStreamsPerIdentity },
    metrics.registry,
  );
  const yoga = createGraphQL({ licenses, observed, live, log, metrics, version, frontendErrors, auth });
  registerGraphiQLAssets(app);
  await registerGraphQLRoutes(app, yoga, auth, sseStreams, httpBounds.sseStreamReservationMs);

  // METRICS_TOKEN (any mode): Prometheus sends it as `authorization: {credentials: …}`.
  const metricsHash = auth.config.metricsToken ? Buffer.from(hashSecret(auth.config.metricsToken), 'hex') : null;
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (metricsHash) {
      const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(Buffer.from(hashSecret(m[1]!), 'hex'), metricsHash)) {
        auth.refused(m ? 'unknown_token' : 'no_credentials', { transport: 'http', method: 'GET', route: '/metrics' });
        return sendUnauthenticated(reply, 'Send Authorization: Bearer <METRICS_TOKEN>', m !== null);
      }
    }
    // Pool gauges as the database has them now (other processes' changes and retirements
    // included). A database away leaves the last values: the scrape still answers.
    try {
      const [pools, leased] = await Promise.all([licenses.pools(), licenses.leasedSeats()]);
      refreshPools(metrics, pools, leased);
    } catch (err) {
      log.warn({ err, event: 'metrics_pools_unavailable' }, 'metrics: pool gauges not refreshed; the database did not answer');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Ready means the database answers; Redis away is shown (checks.redis) but not "not
  // ready": borrows and this process's subscribers work without it.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const up = await databaseAnswers(prisma);
    deps.dependencies?.set('database', up);
    const checks = deps.dependencies?.checks() ?? { database: up ? 'ok' : 'unavailable' };
    return up ? { status: 'ready', checks } : reply.code(503).send({ detail: 'database does not answer', checks });
  });

  await registerStaticFiles(app, { serveSourceMaps: !httpBounds.production });
  await app.ready();
  const ws = attachWebSocket(
    app.server,
    yoga,
    {
      maxSubscriptionsPerConnection: httpBounds.wsMaxSubscriptionsPerConnection,
      maxConnectionsPerAddress: httpBounds.wsMaxConnectionsPerAddress,
    },
    metrics.registry,
    (req, socket) => {
      if (refuseMisdirectedUpgrade(allowed, req, socket)) {
        misdirected.inc({ transport: 'ws' });
        return true;
      }
      return refuseCrossSiteUpgrade(req, socket);
    },
    auth,
  );
  return { app, ws, yoga };
}

/** Request count and latency by route template (bounded), plus one log line each. */
function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'not_found';
    const labels = { method: req.method, route, status_code: String(reply.statusCode) };
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    app.log.info(
      {
        event: 'http_request',
        method: req.method,
        route,
        url: redactUrl(req.url).slice(0, 300),
        status_code: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    done();
  });
}
