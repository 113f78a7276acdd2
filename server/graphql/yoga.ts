// The Yoga instance: schema, GraphiQL, limits on what one query may cost, logging
// through the process logger, and operation metrics.
import { createYoga } from 'graphql-yoga';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';
import { introspectionDepthRule, listCostRule } from './cost.ts';
import { createDocumentCaches } from './document-caches.ts';
import { schema } from './schema.ts';
import { useOperationMetrics } from './metrics-plugin.ts';
import { maskError } from './unavailable.ts';
import type { GraphQLContext, Transport } from './context.ts';
import type { Licenses } from '../licenses/index.ts';
import type { LiveUpdates } from './live-updates.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { currentClientAddress } from '../observability/request-context.ts';
import type { FrontendErrorGate } from '../observability/frontend-error-limits.ts';
import { renderGraphiQLShell } from './graphiql-assets.ts';

export interface YogaDeps {
  licenses: Licenses;
  live: LiveUpdates;
  log: Logger;
  metrics: Metrics;
  version: string;
  frontendErrors: FrontendErrorGate;
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
  const { licenses, live, log, metrics, version, frontendErrors } = deps;
  const caches = createDocumentCaches(undefined, (errors) =>
    log.warn({ event: 'graphql_compile_failed', errors }, 'GraphQL document could not be compiled'),
  );
  return createYoga<
    { transport?: Transport; clientAddress?: string; req?: { headers: Record<string, string | string[] | undefined> } },
    GraphQLContext
  >({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Floatline GraphQL', subscriptionsProtocol: 'WS' },
    landingPage: false,
    maskedErrors: { maskError }, // a lost database connection says so (SERVICE_UNAVAILABLE)
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
      error: (...a) => log.error({ event: 'graphql_error', err: a[0] }, a.map(String).join(' ')),
    },
    context: ({ request, transport, clientAddress }) => ({
      licenses,
      live,
      log,
      version,
      frontendErrors,
      // WebSocket operations bring theirs (websocket.ts); HTTP ones run in the request context.
      clientAddress: clientAddress ?? currentClientAddress(),
      transport: transport ?? (request?.headers.get('accept')?.includes('text/event-stream') ? 'sse' : 'http'),
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
      // Queries and mutations run as compiled JavaScript (graphql-jit) once their document
      // repeats: a pool-status query took ~12% less server CPU (bench/, interleaved A/B),
      // while a document sent once costs no compilation (document-caches.ts).
      caches.jitPlugin,
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
