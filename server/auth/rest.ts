// The auth module's HTTP door: the required-mode check on every request, the answers for
// refusals (401 with WWW-Authenticate, 403), and the routes /auth/me and /auth/tokens.
// Open mode registers no hook at all: its hot path is the seed's, plus one branch.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GRAPHIQL_ASSET_PREFIX } from '../graphql/graphiql-assets.ts';
import { InvalidInputError, TEXT_LIMITS } from '../licenses/index.ts';
import type { AuditEventRecord } from './audit.ts';
import { AUDIT_ACTIONS, type AuditAction } from './audit.ts';
import type { CredentialRecord } from './credentials.ts';
import { OPEN_IDENTITY, ForbiddenError, UnauthenticatedError, type Identity } from './roles.ts';
import { RateLimitedError } from './rate-gate.ts';
import { SignInUnavailableError } from './oidc.ts';
import { MAX_LIST, TOKEN_DAYS, type Auth } from './index.ts';
import { DATE_FORMAT_HINT, parseIsoDate } from '../licenses/dates.ts';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

/** Reachable without an identity in required mode: probes, metrics (METRICS_TOKEN guards it
 *  on its own), the dashboard, deck and docs shells and their assets, sign-in, error reports. */
const PUBLIC_ROUTES = new Set([
  '/healthz',
  '/readyz',
  '/version',
  '/metrics',
  '/',
  '/config',
  '/shares',
  '/costs',
  '/tokens',
  '/assets/*',
  '/favicon.svg',
  '/favicon.ico',
  '/presentation',
  '/presentation/',
  '/presentation/*',
  '/overview',
  '/overview/',
  '/overview/*',
  '/openapi.json',
  '/auth/login',
  '/auth/callback',
  '/auth/logout',
  '/frontend-error',
  `${GRAPHIQL_ASSET_PREFIX}/:version/:file`,
]);

export function isPublicRoute(route: string, req: { method: string; url?: string; headers: FastifyRequest['headers'] }): boolean {
  if (PUBLIC_ROUTES.has(route) || route === '/docs' || route.startsWith('/docs/')) return true;
  // GraphiQL's bare page (a shell; its operations need an identity like any other). Anything
  // with a query string is judged like an operation.
  return route === '/graphql' && req.method === 'GET' && !req.url?.includes('?') && String(req.headers.accept ?? '').includes('text/html');
}

const REALM = 'Bearer realm="floatline"';

/** 401: no identity. The header says how to bring one (RFC 6750). */
export function sendUnauthenticated(reply: FastifyReply, detail: string, invalidToken: boolean) {
  return reply
    .code(401)
    .header('www-authenticate', invalidToken ? `${REALM}, error="invalid_token", error_description="${detail.replace(/"/g, "'")}"` : REALM)
    .send({ detail });
}

const DETAIL: Record<string, string> = {
  no_credentials: 'Authentication required: sign in, or send Authorization: Bearer <API token or access token>',
  bad_scheme: 'Authorization must be "Bearer <token>"',
  unknown_token: 'The bearer token is unknown, revoked or expired',
  invalid_jwt: 'The bearer JWT was refused (signature, issuer, audience, algorithm or expiry)',
  unknown_session: 'Your session has ended; sign in again',
};

/**
 * Registers the decorations, the required-mode hook and the error mapping; returns `who`,
 * the identity of a request as routes see it: OPEN_IDENTITY in open mode, else the one the
 * hook resolved (a route that needs it and has none answers 401).
 */
export function registerAuthHook(app: FastifyInstance, auth: Auth): (req: FastifyRequest) => Identity {
  app.decorateRequest('identity', null);
  if (!auth.required) return () => OPEN_IDENTITY;
  // Callback style with a synchronous path: a cached token or session (nearly every request
  // of a busy client) costs one SHA-256 and a map lookup, and no promise.
  app.addHook('onRequest', (req, reply, done) => {
    const route = req.routeOptions.url;
    if (route === undefined || isPublicRoute(route, req)) return done();
    const cached = auth.authenticator.resolveCached(req.headers);
    if (cached?.identity) {
      req.identity = cached.identity;
      return done();
    }
    auth.authenticator.resolve(req.headers).then(
      (r) => {
        if (r.identity) {
          req.identity = r.identity;
          return done();
        }
        auth.refused(r.reason, { transport: 'http', method: req.method, route });
        void sendUnauthenticated(reply, DETAIL[r.reason] ?? DETAIL.no_credentials!, r.reason !== 'no_credentials');
      },
      (err: unknown) => done(err as Error),
    );
  });
  return (req) => {
    if (req.identity) return req.identity;
    throw new UnauthenticatedError(DETAIL.no_credentials);
  };
}

/** For the error handler (rest/errors.ts): answers auth refusals, or returns false. */
export function replyAuthError(err: unknown, req: FastifyRequest, reply: FastifyReply, auth: Auth | undefined): boolean {
  if (err instanceof UnauthenticatedError) {
    auth?.refused('no_credentials', { transport: 'http', method: req.method, route: req.routeOptions.url });
    sendUnauthenticated(reply, err.message, false);
    return true;
  }
  if (err instanceof ForbiddenError) {
    auth?.refused('forbidden', { transport: 'http', method: req.method, route: req.routeOptions.url, user: req.identity?.user ?? null });
    void reply.code(403).send({ detail: err.message });
    return true;
  }
  if (err instanceof SignInUnavailableError) {
    void reply.code(503).header('retry-after', '5').send({ detail: err.message });
    return true;
  }
  if (err instanceof RateLimitedError) {
    void reply.code(429).header('retry-after', String(err.retryAfter)).send({ detail: err.message });
    return true;
  }
  return false;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const tokenJson = (t: CredentialRecord) => ({
  id: t.id,
  name: t.name,
  user: t.user,
  role: t.role,
  created_at: t.createdAt.toISOString(),
  created_by: t.createdBy,
  expires_at: iso(t.expiresAt),
  last_used_at: iso(t.lastUsedAt),
  revoked_at: iso(t.revokedAt),
});

export const auditJson = (e: AuditEventRecord) => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  tool: e.tool,
  target: e.target,
  detail: e.detail,
});

const text = { type: 'string', minLength: TEXT_LIMITS.minLength, maxLength: TEXT_LIMITS.maxLength, pattern: '\\S' } as const;
const detail = { type: 'object', properties: { detail: {} }, required: ['detail'] } as const;
/** Query strings are text (the app's validator does not coerce): a whole number 1..MAX_LIST. */
const limitQuery = { type: 'string', pattern: `^([1-9][0-9]?|${MAX_LIST})$`, description: `1 to ${MAX_LIST} (default 50)` } as const;

/** When a request may present a credential even in open mode (to set up tokens before
 *  switching to required mode); else the open identity. */
async function optionalIdentity(auth: Auth, req: FastifyRequest): Promise<Identity> {
  if (req.identity) return req.identity;
  if (req.headers.authorization || req.headers.cookie) {
    const r = await auth.authenticator.resolve(req.headers);
    if (r.identity) return r.identity;
    if (req.headers.authorization) {
      auth.refused(r.reason, { transport: 'http', method: req.method, route: req.routeOptions.url });
      throw new UnauthenticatedError(DETAIL[r.reason]);
    }
  }
  if (auth.required) throw new UnauthenticatedError(DETAIL.no_credentials);
  return OPEN_IDENTITY;
}

export function registerAuthRoutes(app: FastifyInstance, auth: Auth): void {
  const who = (req: FastifyRequest) => optionalIdentity(auth, req);

  app.get(
    '/auth/me',
    {
      schema: {
        summary: 'Who you are: {user, role, via} (via: session, token, jwt, admin_token; open in open mode)',
        response: {
          200: {
            type: 'object',
            properties: { user: { type: ['string', 'null'] }, role: { type: 'string' }, via: { type: 'string' }, mode: { type: 'string' } },
          },
          401: detail,
        },
      },
    },
    async (req) => {
      const id = await who(req);
      return { user: id.user, role: id.role, via: id.via, mode: auth.config.mode };
    },
  );

  const tokenOut = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string' },
      created_at: { type: 'string' },
      created_by: { type: 'string' },
      expires_at: { type: ['string', 'null'] },
      last_used_at: { type: ['string', 'null'] },
      revoked_at: { type: ['string', 'null'] },
    },
  } as const;

  app.post<{ Body: { name: string; expires_in_days?: number; user?: string; role?: string } }>(
    '/auth/tokens',
    {
      schema: {
        summary: 'Create an API token (shown once): for yourself; admins may name a user and role (service accounts)',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: text,
            expires_in_days: { type: ['integer', 'null'], minimum: TOKEN_DAYS.min, maximum: TOKEN_DAYS.max },
            user: text,
            role: { type: 'string', enum: ['viewer', 'user', 'admin'] },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              token: { type: 'string' },
              expires_at: { type: ['string', 'null'] },
              user: { type: 'string' },
              role: { type: 'string' },
            },
          },
          401: detail,
          403: detail,
          422: detail,
          429: detail,
        },
      },
    },
    async (req, reply) => {
      auth.throttle(req.socket.remoteAddress);
      const id = await who(req);
      const b = req.body;
      const { record, secret } = await auth.createToken(id, { name: b.name, expiresInDays: b.expires_in_days, user: b.user, role: b.role });
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send({ id: record.id, name: record.name, token: secret, expires_at: iso(record.expiresAt), user: record.user, role: record.role });
    },
  );

  app.get<{ Querystring: { user?: string; limit?: string; before?: string } }>(
    '/auth/tokens',
    {
      schema: {
        summary: "API tokens newest first (never their secrets): yours; everybody's for admins (?user= for one)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { user: text, limit: limitQuery, before: { type: 'string', maxLength: 100 } },
        },
        response: {
          200: { type: 'object', properties: { tokens: { type: 'array', items: tokenOut }, next_before: { type: ['string', 'null'] } } },
          401: detail,
          403: detail,
        },
      },
    },
    async (req) => {
      const id = await who(req);
      const page = await auth.listTokens(id, { user: req.query.user, limit: Number(req.query.limit ?? 50), before: req.query.before });
      return { tokens: page.items.map(tokenJson), next_before: page.nextBefore };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/auth/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token: refused at once in this process, within AUTH_CACHE_SECONDS in others',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } },
        response: { 200: tokenOut, 401: detail, 404: detail },
      },
    },
    async (req, reply) => {
      auth.throttle(req.socket.remoteAddress);
      const id = await who(req);
      const revoked = await auth.revokeToken(id, req.params.id);
      if (!revoked) return reply.code(404).send({ detail: 'No API token with this id among those you may manage' });
      return tokenJson(revoked);
    },
  );

  app.get<{
    Querystring: { actor?: string; tool?: string; action?: string; since?: string; until?: string; limit?: string; before?: string };
  }>(
    '/audit',
    {
      schema: {
        summary: 'The audit trail (admins): admin actions with their actor, newest first; filter by actor, tool, action and time',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actor: text,
            tool: text,
            action: { type: 'string', enum: [...AUDIT_ACTIONS] },
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            limit: limitQuery,
            before: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string' },
                    actor: { type: 'string' },
                    action: { type: 'string' },
                    tool: { type: ['string', 'null'] },
                    target: { type: ['string', 'null'] },
                    detail: { type: ['object', 'null'], additionalProperties: true },
                  },
                },
              },
              next_before: { type: ['integer', 'null'] },
            },
          },
          401: detail,
          403: detail,
        },
      },
    },
    async (req) => {
      const id = await who(req);
      const q = req.query;
      const date = (field: string, v?: string) => {
        if (v === undefined) return undefined;
        const d = parseIsoDate(v);
        if (!d) throw new InvalidInputError(field, 'value_error', `${field} must be ${DATE_FORMAT_HINT}`);
        return d;
      };
      const page = await auth.auditEvents(id, {
        actor: q.actor,
        tool: q.tool,
        action: q.action as AuditAction | undefined,
        since: date('since', q.since),
        until: date('until', q.until),
        before: q.before === undefined ? undefined : Number(q.before),
        limit: Number(q.limit ?? 50),
      });
      return { events: page.items.map(auditJson), next_before: page.nextBefore };
    },
  );
}
