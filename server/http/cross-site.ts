// The cross-site rule, in one place for HTTP and WebSocket: a browser page on another
// site must not change anything here, and may read answers only if its origin is listed
// in CORS_ORIGINS.
//
// Why a guard and not content-type checks: the REST shim reads JSON out of any body (the
// seed's `curl -d` sends form encoding) and Yoga executes form-encoded and multipart
// mutations, and those are exactly the content types a browser sends cross-site without a
// preflight. What tells a browser's cross-site request apart from curl is the browser's own
// marking: every browser sends `Origin` on a non-GET request (and on WebSocket upgrades),
// and modern ones also send `Sec-Fetch-Site`. Scripts send neither, so they keep working.
// (The same rule as Yoga's CSRF prevention and @fastify/csrf-style origin checks, without
// needing a token or a custom header from every client.)
import cors from '@fastify/cors';
import { Counter } from 'prom-client';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Methods that never change state here (Yoga refuses mutations over GET). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestMarks {
  origin?: string;
  host?: string;
  'sec-fetch-site'?: string;
}

/** Whether an Origin names this server itself: same host (and port) as the Host header the
 *  browser sent. Behind a proxy that rewrites Host, list the public origin in CORS_ORIGINS. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const o = new URL(origin);
    return o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/** Why a state-changing request must be refused, or null when it may go ahead. The order
 *  is Go's net/http CrossOriginProtection: a listed Origin is trusted; else the browser's
 *  own Sec-Fetch-Site decides when present (so a proxy that rewrites Host does not lock out
 *  the dashboard in current browsers); else Origin must name the Host; no Origin at all
 *  (curl, scripts, server-to-server) → allowed. */
export function crossSiteRefusal(marks: RequestMarks, allowed: ReadonlySet<string>): string | null {
  const { origin, host } = marks;
  const site = marks['sec-fetch-site'];
  if (origin !== undefined && allowed.has(origin)) return null;
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return null;
    return `Cross-site request refused: the browser marked it Sec-Fetch-Site: ${site.slice(0, 20)} and its Origin ${origin?.slice(0, 200) ?? '(none)'} is not listed in CORS_ORIGINS`;
  }
  if (origin === undefined || isOwnOrigin(origin, host)) return null;
  return `Cross-site request refused: Origin ${origin.slice(0, 200)} is neither this server's own origin nor listed in CORS_ORIGINS`;
}

export interface CrossSiteDeps {
  corsOrigins: readonly string[];
  log: Logger;
  metrics: Metrics;
}

/**
 * Registers CORS (only for the listed origins, no credentials: Floatline uses no cookies)
 * and the guard that answers 403 to every cross-site state-changing request. Register it
 * before registerErrorHandling: @fastify/cors adds a catch-all OPTIONS route that the 405
 * map must not learn (else every unknown path would answer 405 instead of 404).
 * Returns the same check for WebSocket upgrades (graphql-ws runs mutations too).
 */
export async function registerCrossSiteGuard(app: FastifyInstance, deps: CrossSiteDeps) {
  const allowed = new Set(deps.corsOrigins);
  const refused = new Counter({
    name: 'http_cross_site_refused_total',
    help: 'Requests refused because a browser sent them from another site (403 or refused WebSocket upgrade)',
    labelNames: ['transport', 'route'] as const,
    registers: [deps.metrics.registry],
  });

  const record = (transport: 'http' | 'websocket', method: string, route: string, marks: RequestMarks) => {
    refused.inc({ transport, route });
    deps.log.warn(
      {
        event: 'cross_site_refused',
        transport,
        method,
        route,
        origin: marks.origin?.slice(0, 200) ?? null,
        sec_fetch_site: marks['sec-fetch-site'] ?? null,
      },
      'cross-site request refused',
    );
  };

  await app.register(cors, {
    // Other origins get no CORS headers at all, so their pages cannot read answers.
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    credentials: false,
    // Paged REST lists name their next page in headers (rest/paging.ts).
    exposedHeaders: ['X-Request-ID', 'X-Next-Before', 'Link'],
    maxAge: 600,
  });

  app.addHook('onRequest', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method)) return done();
    const marks = req.headers as RequestMarks;
    const detail = crossSiteRefusal(marks, allowed);
    if (detail === null) return done();
    record('http', req.method, req.routeOptions.url ?? 'not_found', marks);
    reply.code(403).send({ detail });
  });

  /** For the WebSocket upgrade: answers 403 on the socket and returns true when refused. */
  return function refuseUpgrade(req: IncomingMessage, socket: Duplex): boolean {
    const marks = req.headers as RequestMarks;
    const detail = crossSiteRefusal(marks, allowed);
    if (detail === null) return false;
    record('websocket', 'GET', (req.url ?? '').split('?')[0]!.slice(0, 100), marks);
    const body = JSON.stringify({ detail });
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return true;
  };
}
