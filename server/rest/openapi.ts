// The OpenAPI 3.1 document of the REST routes (/openapi.json, /docs). @fastify/swagger builds
// it from the routes' JSON schemas; completeDocument() then adds what those schemas do not
// say and every route shares: who may call (security schemes), a stable operationId, the
// error answers with their body and headers (401/403 from auth, 413 from body limits, 422
// from validation, 429 from rate gates, 503 with Retry-After when the database is away),
// the paging headers, and `required` on every object a route answers with (every field
// is always sent, null when empty), so a generated client types no field as optional.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { isPublicRoute } from '../auth/rest.ts';
import { SESSION_COOKIE } from '../auth/identity.ts';

/** One name per operation, for generated clients (openapi-typescript's `operations`, SDKs). */
const OPERATION_IDS: Record<string, string> = {
  'POST /licenses/borrow': 'borrowLicense',
  'POST /licenses/heartbeat': 'renewLease',
  'POST /licenses/return': 'returnLicense',
  'POST /licenses/revoke': 'revokeBorrow',
  'GET /licenses/status': 'listPoolStatus',
  'GET /licenses/{tool}/status': 'getPoolStatus',
  'GET /borrows': 'listBorrows',
  'GET /overage-charges': 'listOverageCharges',
  'GET /queue': 'listQueue',
  'GET /queue/{ticket_id}': 'getTicket',
  'DELETE /queue/{ticket_id}': 'cancelTicket',
  'GET /teams': 'listTeams',
  'POST /teams': 'createTeam',
  'DELETE /teams/{team}': 'deleteTeam',
  'PUT /teams/{team}/members': 'setTeamMembers',
  'GET /config/tools/{tool}/shares': 'getPoolShares',
  'PUT /config/tools/{tool}/shares': 'setPoolShares',
  'GET /config/budget': 'listBudgets',
  'PUT /config/budget': 'updateBudget',
  'POST /config/tools': 'createPool',
  'DELETE /config/tools/{tool}': 'retirePool',
  'POST /frontend-error': 'reportFrontendError',
  'GET /version': 'getVersion',
  'GET /reports/usage': 'getUsageReport',
  'GET /reports/usage.csv': 'getUsageReportCsv',
  'GET /statements': 'listStatements',
  'GET /statements.csv': 'listStatementsCsv',
  'GET /auth/me': 'whoAmI',
  'POST /auth/tokens': 'createApiToken',
  'GET /auth/tokens': 'listApiTokens',
  'DELETE /auth/tokens/{id}': 'revokeApiToken',
  'GET /audit': 'listAuditEvents',
  'POST /auth/logout': 'signOut',
  'POST /observed/sources': 'createObservedSource',
  'GET /observed/sources': 'listObservedSources',
  'DELETE /observed/sources/{name}': 'deleteObservedSource',
  'POST /observed/sources/{name}/snapshot': 'pushObservedSnapshot',
  'POST /observed/sources/{name}/log': 'pushObservedLog',
  'GET /observed/pools': 'listObservedPools',
  'GET /observed/events': 'listObservedEvents',
};

/** Paged by name, not time: the next page is asked for with after=<X-Next-After>. */
const PAGED_AFTER = new Set(['GET /observed/sources', 'GET /observed/pools']);

/** The tag (group in /docs) of a path. */
function tagOf(path: string): string {
  if (path.startsWith('/licenses') || path.startsWith('/borrows') || path.startsWith('/overage-charges')) return 'licenses';
  if (path.startsWith('/queue')) return 'queue';
  if (path.startsWith('/teams') || path.endsWith('/shares')) return 'teams';
  if (path.startsWith('/config')) return 'pools';
  if (path.startsWith('/reports') || path.startsWith('/statements')) return 'reports';
  if (path.startsWith('/auth') || path.startsWith('/audit')) return 'auth';
  if (path.startsWith('/observed')) return 'observed';
  return 'server';
}

const TAGS = [
  { name: 'licenses', description: 'Borrow, renew and return seats; pool status; borrows and overage charges' },
  { name: 'queue', description: "Waiting in a pool's line for a seat" },
  { name: 'teams', description: 'Teams and their shares of pools' },
  { name: 'pools', description: 'Creating, budgeting and retiring pools (admin)' },
  { name: 'reports', description: 'Usage reports and billing statements (JSON or CSV)' },
  { name: 'auth', description: 'Identity, API tokens, sign-in and the audit trail' },
  {
    name: 'observed',
    description: 'License servers observed, not served: FlexNet and RLM status snapshots, debug logs, pools and history',
  },
  { name: 'server', description: 'Version and browser error reports' },
];

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Refused: the request cannot be carried out as asked (detail says why)',
  '401': 'No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token>',
  '403': 'The credential is valid but its role may not do this, or a browser sent it from another site',
  '404': 'Not found (detail names what)',
  '409': 'Conflicts with the current state (detail says which)',
  '410': 'Gone: the borrow expired or was revoked (detail gives the reason)',
  '413': 'The body is larger than the server accepts (BODY_LIMIT_BYTES)',
  '422': 'A field is missing or invalid: detail lists each with its place (loc), message and type',
  '431': "The request line or headers are larger than the server reads (Node's limit); no body",
  '429': 'Too many requests from this address: retry after Retry-After seconds',
  '500': 'An unexpected fault (logged on the server; no internals in the answer)',
  '503': 'The database (or the identity provider) does not answer: retry after Retry-After seconds',
};

/** The error body every route answers with: FastAPI's shape, as the seed did. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['detail'],
  properties: {
    detail: {
      description: 'A message, or (422) one item per invalid field',
      oneOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            type: 'object',
            required: ['loc', 'msg', 'type'],
            properties: {
              loc: {
                type: 'array',
                items: { type: ['string', 'integer'] },
                description: 'Where: body, query or path, then the field',
              },
              msg: { type: 'string', description: 'What is wrong' },
              type: { type: 'string', description: 'The kind of error (missing, int_parsing, json_invalid, …)' },
            },
          },
        },
      ],
    },
  },
} as const;

const HEADERS = {
  RetryAfter: { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
  XNextBefore: {
    description: 'Present when more rows follow: pass it as `before` to get the next page',
    schema: { type: 'string' },
  },
  XNextAfter: {
    description: 'Present when more rows follow: pass it as `after` to get the next page',
    schema: { type: 'string' },
  },
  Link: {
    description: 'Present when more rows follow: RFC 8288 `<url>; rel="next"` to the next page (the same parameters, `before` set)',
    schema: { type: 'string' },
  },
  WWWAuthenticate: { description: 'How to authenticate (RFC 6750): Bearer realm="floatline"', schema: { type: 'string' } },
  XRequestID: {
    description: "The request's id, as in the server's log lines (a sane X-Request-ID sent is kept)",
    schema: { type: 'string' },
  },
} as const;
const header = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

export function swaggerOptions(version: string, authRequired: boolean): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Floatline REST API',
        version,
        description:
          'The seed-compatible REST shim of Floatline, a floating-license server. GraphQL lives at /graphql (GraphiQL in a browser), ' +
          'live updates over WebSocket (graphql-ws) and Server-Sent Events (/graphql, /graphql/stream). ' +
          'With AUTH_MODE=open (the default) no credential is needed; with AUTH_MODE=required every operation ' +
          'not marked otherwise needs a bearer token or a signed-in session.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (POST /auth/tokens), an access token (JWT) from the identity provider, or FLOATLINE_ADMIN_TOKEN',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The session cookie set by signing in (GET /auth/login); the dashboard uses it',
          },
        },
      },
    },
    // Shared schemas (addSchema with an $id) are named by it: PoolStatus, not def-0.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (built) =>
      completeDocument(structuredClone((built as { openapiObject: unknown }).openapiObject) as OpenApiDocument, authRequired),
  } as FastifyDynamicSwaggerOptions;
}

// biome-ignore lint/suspicious/noExplicitAny: a JSON document, walked and completed generically
type Json = Record<string, any>;
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: Json;
  [key: string]: unknown;
}

/** `{tool}` → `:tool`, as routes are registered (for isPublicRoute). */
const routeUrl = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

export function completeDocument(doc: OpenApiDocument, authRequired: boolean): OpenApiDocument {
  doc.components.schemas = { ...doc.components.schemas, Error: ERROR_SCHEMA };
  doc.components.headers = HEADERS;
  for (const schema of Object.values(doc.components.schemas)) requireEveryProperty(schema);
  const secured = [{ bearer: [] }, { session: [] }];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      op.operationId = OPERATION_IDS[key] ?? camelId(method, path);
      op.tags = [tagOf(path)];
      const isPublic = isPublicRoute(routeUrl(path), { method: method.toUpperCase(), headers: {} });
      // Open mode: the same schemes are accepted (to set up tokens) but none is needed ({}).
      op.security = isPublic ? [] : authRequired ? secured : [...secured, {}];
      const responses: Record<string, Json> = op.responses;
      const params: Json[] = op.parameters ?? [];
      // Validated input: a body, query parameters, headers or path segments with bounds.
      const hasInput =
        op.requestBody !== undefined || params.some((p) => p.in === 'query' || p.in === 'header' || Object.keys(p.schema ?? {}).length > 1);
      const statuses = new Set(Object.keys(responses));
      if (!isPublic) statuses.add('401');
      if (method !== 'get') statuses.add('403'); // roles, and the cross-site guard for any write
      if (hasInput) statuses.add('422');
      if (op.requestBody !== undefined) statuses.add('413');
      if (path !== '/version') statuses.add('503');
      statuses.add('431');
      statuses.add('500');
      for (const status of [...statuses].sort()) {
        const code = Number(status);
        if (code < 400) {
          completeSuccess(
            responses[status]!,
            params.some((p) => p.in === 'query' && p.name === 'before'),
            PAGED_AFTER.has(key),
          );
          continue;
        }
        responses[status] = errorResponse(status, responses[status]);
      }
      op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
      for (const p of params) if (p.in === 'header' && p.name === 'idempotency-key') p.description ??= IDEMPOTENCY;
    }
  }
  return doc;
}

const IDEMPOTENCY =
  'Repeat a request safely: a borrow sent again with the same key answers the first borrow instead of taking a second seat (same as the idempotency_key field)';

function completeSuccess(response: Json, paged: boolean, pagedAfter: boolean): void {
  if (response.description === 'Default Response') response.description = 'Success';
  response.headers = { ...response.headers, 'X-Request-ID': header('XRequestID') };
  if (paged) response.headers = { ...response.headers, 'X-Next-Before': header('XNextBefore'), Link: header('Link') };
  if (pagedAfter) response.headers = { ...response.headers, 'X-Next-After': header('XNextAfter') };
  for (const media of Object.values<Json>(response.content ?? {})) requireEveryProperty(media.schema);
}

function errorResponse(status: string, existing: Json | undefined): Json {
  // Node's HTTP parser answers it before any route runs: no headers of ours, no body.
  if (status === '431') return { description: ERROR_DESCRIPTIONS[status] };
  const headers: Json = { 'X-Request-ID': header('XRequestID') };
  if (status === '401') headers['WWW-Authenticate'] = header('WWWAuthenticate');
  if (status === '429' || status === '503') headers['Retry-After'] = header('RetryAfter');
  const described = existing?.description && existing.description !== 'Default Response' ? existing.description : undefined;
  return {
    description: described ?? ERROR_DESCRIPTIONS[status] ?? `HTTP ${status}`,
    headers,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** Every object schema without its own `required` gets all its properties: answers always
 *  carry every field (null when empty). A schema that names its own `required` keeps it. */
function requireEveryProperty(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const s of schema) requireEveryProperty(s);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Json;
  const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
  if ((isObject || (s.properties && typeof s.properties === 'object')) && s.required === undefined)
    s.required = Object.keys(s.properties ?? {});
  for (const [key, value] of Object.entries(s)) if (key !== 'required' && key !== 'enum') requireEveryProperty(value);
}

function camelId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
