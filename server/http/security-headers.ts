// Security headers on every answer (pages, API, errors, 404s, static files), chosen by
// helmet: a Content-Security-Policy that only lets Floatline's own files run and forbids
// framing (so /config cannot be clickjacked), nosniff, no referrer, and no HSTS (Floatline
// speaks plain HTTP on a company network; a TLS proxy in front sets HSTS).
//
// helmet computes the header set once at start-up; one hook puts it on Fastify's own
// header set. @fastify/helmet instead rebuilds helmet's middleware on every request and
// writes each header on the Node response (the slower merge path noted in app.ts): a REST
// status read cost ~40 µs of server CPU with it, ~26 µs this way, ~24 µs with no security
// headers at all (30,000 reads each, measured; see the commit).
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { DIST } from '../static-files.ts';

/** The policy for every page Floatline serves. Checked in Chromium with no violations on
 *  the dashboard (/ and /config) and the deck (/presentation): test/cross-site.test.ts. */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // The dashboard (Svelte) sets element.style from script, which style-src allows; it
  // needs no inline <style> or style="" (the deck and /docs have their own policies).
  'style-src': ["'self'"],
  // The dashboard's favicon is a data: URL.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // 'self' also covers ws:/wss: to the same host in current browsers (CSP Level 3), so the
  // dashboard's GraphQL WebSocket needs nothing more.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const csp = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

/** GraphiQL (GET /graphql as HTML). Its scripts and Monaco's workers are Floatline's own
 *  static files (graphql/graphiql-assets.ts), so scripts stay 'self' only; Monaco writes
 *  inline <style> elements at run time and GraphiQL's stylesheet carries its icon fonts as
 *  data: URLs — styles and fonts only, never scripts. */
export const GRAPHIQL_CSP = csp({
  ...CSP_DIRECTIVES,
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
});

/** The deck (/presentation). reveal.js's speaker view (S) is an about:blank window that
 *  inherits this policy: its one inline script is allowed by hash (scripts/build-slides.mjs
 *  writes it to dist/slides/csp.json from the plugin it copies), it frames the deck
 *  itself (frame-ancestors 'self', never other sites), and it and reveal's print layout
 *  (?print-pdf) write inline <style> and style="" — hence inline styles, not scripts. */
export function deckCsp(scriptHashes: readonly string[]): string {
  return csp({
    ...CSP_DIRECTIVES,
    'script-src': ["'self'", ...scriptHashes],
    'style-src': ["'self'", "'unsafe-inline'"],
    'frame-ancestors': ["'self'"],
  });
}

function deckScriptHashes(): string[] {
  const file = `${DIST}slides/csp.json`;
  if (!existsSync(file)) return []; // no deck built: /presentation answers 503 anyway
  return (JSON.parse(readFileSync(file, 'utf8')) as { scriptHashes: string[] }).scriptHashes;
}

/** Swagger UI (/docs) sets its own hash-based policy (@fastify/swagger-ui staticCSP); keep
 *  its script hashes but no framing, no upgrade to https on a plain-HTTP server, nothing
 *  from other hosts (its online validator badge). Its script injects one <style> element
 *  at run time (Chromium reports it under style-src), so /docs alone allows inline styles
 *  — styles only, never scripts. */
export function docsCsp(header: string | string[] | number): string {
  return String(header)
    .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
    .replace(/\s*upgrade-insecure-requests;?/, '')
    .replace(/ https:(?= )/g, '')
    .replace(' validator.swagger.io', '')
    .replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");
}

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
};

/** The headers helmet sets for these options, collected once from a stand-in response. */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });

  const deck = deckCsp(deckScriptHashes());
  app.addHook('onSend', (req, reply, payload, done) => {
    const route = req.routeOptions.url;
    if (route === '/graphql' && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', GRAPHIQL_CSP);
    } else if (route?.startsWith('/presentation')) {
      reply.header('content-security-policy', deck);
      reply.header('x-frame-options', 'SAMEORIGIN');
    }
    done(null, payload);
  });
}
