// The Yoga instance: schema, GraphiQL, limits on what one query may cost, logging
// through the process logger, and operation metrics.
import { createYoga } from 'graphql-yoga';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';
import { introspectionDepthRule, listCostRule } from './cost.ts';
import { createDocumentCaches } from './document-caches.ts';
import { schema } from './schema.ts';
import { useOperationMetrics } from './metrics-plugin.ts';
import { useTracing } from './tracing-plugin.ts';
import { maskError } from './unavailable.ts';
import type { GraphQLContext, Transport } from './context.ts';
import type { Licenses } from '../licenses/index.ts';
import type { Observed } from '../observed/index.ts';
import type { LiveUpdates } from './live-updates.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { currentClientAddress } from '../observability/request-context.ts';
import type { FrontendErrorGate } from '../observability/frontend-error-limits.ts';
import { renderGraphiQLShell } from './graphiql-assets.ts';
import { GRAPHQL_SSE_ENDPOINT } from './sse-endpoint.ts';
import { OPEN_IDENTITY, UnauthenticatedError, type Auth, type Identity } from '../auth/index.ts';
import { authMaskError, isAuthRefusal } from './auth.ts';

export interface YogaDeps {
  licenses: Licenses;
  observed: Observed;
  live: LiveUpdates;
  log: Logger;
  metrics: Metrics;
  version: string;
  frontendErrors: FrontendErrorGate;
  auth: Auth;
}

/**
 * Limits that stop absurd queries before they run; generous for every real client.
 * `cost` counts every field once per row its lists may return (cost.ts), so it bounds the
 * values in one answer; the dashboard's load costs 3,449, its usage chart 10,004.
 * `introspectionDepth` applies below __schema/__type (GraphiQL's own query needs 13).
 */
export const QUERY_LIMITS = { depth: 8, aliases: 15, tokens: 2000, cost: 12_000, introspectionDepth: 16 } as const;

/** Adds validation rules to every validation, the fast HTTP path's included. */
const useValidationRules = (...rules: Parameters<Parameters<NonNullable<Plugin['onValidate']>>[0]['addValidationRule']>[0][]): Plugin => ({
  onValidate({ addValidationRule }) {
    for (const rule of rules) addValidationRule(rule);
  },
});

export function createGraphQL(deps: YogaDeps) {
  const { licenses, observed, live, log, metrics, version, frontendErrors, auth } = deps;
  const caches = createDocumentCaches(undefined, (errors) =>
    log.warn({ event: 'graphql_compile_failed', errors }, 'GraphQL document could not be compiled'),
  );
  return createYoga<
    {
      transport?: Transport;
      clientAddress?: string;
      req?: { headers: Record<string, string | string[] | undefined> };
      /** Resolved by the HTTP hook or the WebSocket's connection_init (auth/). */
      identity?: Identity;
    },
    GraphQLContext
  >({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Floatline GraphQL', subscriptionsProtocol: 'WS' },
    landingPage: false,
    // A lost database connection says so (SERVICE_UNAVAILABLE); refusals say why (FORBIDDEN, UNAUTHENTICATED).
    maskedErrors: { maskError: authMaskError(auth, maskError) },
    // Yoga's default reflects any Origin with credentials; CORS is decided once, for every
    // route, by the allow-list in server/http/cross-site.ts.
    cors: false,
    // GraphiQL's scripts and styles come from the package, not from a CDN (it must work
    // with no internet), as cached static files behind a small shell: graphiql-assets.ts.
    renderGraphiQL: renderGraphiQLShell,
    // Parse results bounded by entries and bytes (document-caches.ts).
    parserAndValidationCache: caches.parserAndValidationCache,
    logging: {
      debug: (...a) => log.debug({ event: 'graphql' }, a.map(String).join(' ')),
      info: (...a) => log.info({ event: 'graphql' }, a.map(String).join(' ')),
      warn: (...a) => log.warn({ event: 'graphql' }, a.map(String).join(' ')),
      // Refusals (FORBIDDEN, UNAUTHENTICATED, RATE_LIMITED) are logged once as auth_refused, not as faults.
      error: (...a) => {
        if (isAuthRefusal(a[0])) return;
        log.error({ event: 'graphql_error', err: a[0] }, a.map(String).join(' '));
      },
    },
    context: ({ request, transport, clientAddress, identity }) => ({
      licenses,
      observed,
      live,
      log,
      version,
      frontendErrors,
      auth,
      // Required mode: the HTTP hook refused requests without one, so none is missing here.
      identity: identity ?? (auth.required ? missingIdentity() : OPEN_IDENTITY),
      // WebSocket operations bring theirs (websocket.ts); HTTP ones run in the request context.
      clientAddress: clientAddress ?? currentClientAddress(),
      transport: transport ?? (isSse(request) ? 'sse' : 'http'),
    }),
    plugins: [
      maxDepthPlugin({ n: QUERY_LIMITS.depth, exposeLimits: true }),
      maxAliasesPlugin({ n: QUERY_LIMITS.aliases, exposeLimits: true }),
      maxTokensPlugin({ n: QUERY_LIMITS.tokens, exposeLimits: true }),
      useValidationRules(
        listCostRule({ maxCost: QUERY_LIMITS.cost }),
        introspectionDepthRule({ maxDepth: QUERY_LIMITS.introspectionDepth }),
      ),
      useOperationMetrics(metrics),
      useTracing(),
      // Queries and mutations run as compiled JavaScript (graphql-jit) once their document
      // repeats: a pool-status query took ~12% less server CPU (bench/, interleaved A/B),
      // while a document sent once costs no compilation (document-caches.ts).
      caches.jitPlugin,
      // graphql-sse's protocol at /graphql/stream, both modes: distinct connections (one
      // stream per operation, as /graphql also serves) and single connection (PUT reserves
      // a stream, GET opens it, POSTs add operations to it). The stream's state lives in
      // this process: behind several processes, route a client's requests to one of them.
      useGraphQLSSE({ endpoint: GRAPHQL_SSE_ENDPOINT }),
    ],
  });
}

/** An operation over Server-Sent Events: Yoga's (Accept: text/event-stream) or graphql-sse's endpoint. */
function isSse(request: { url?: string; headers: { get(name: string): string | null } } | undefined): boolean {
  if (!request) return false;
  return Boolean(
    request.headers.get('accept')?.includes('text/event-stream') || request.url?.split('?')[0]?.endsWith(GRAPHQL_SSE_ENDPOINT),
  );
}

/** Never reached in required mode (the HTTP hook and the WebSocket's connection_init refuse
 *  first); should a new door forget to authenticate, it fails closed rather than open. */
function missingIdentity(): never {
  throw new UnauthenticatedError();
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
