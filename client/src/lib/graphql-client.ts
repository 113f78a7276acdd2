// The one urql client: queries and mutations over HTTP, subscriptions over a graphql-ws
// WebSocket that retries forever with capped exponential backoff.
import { Client, fetchExchange, subscriptionExchange } from '@urql/svelte';
import { createClient as createWsClient } from 'graphql-ws';
import { ConnectionState } from './connection.svelte';
import { backoffDelay } from './backoff';

export interface GraphqlConnection {
  client: Client;
  connection: ConnectionState;
}

export interface ConnectionOptions {
  /** Open the WebSocket only when a subscription starts (signed out: none should). */
  lazy?: boolean;
  /** The server refused the connection's credentials (4403 at connect, AUTH_MODE=required) or
   *  ended it because they were revoked or expired while it was open (4401). */
  onRefused?: () => void;
}

export function createGraphqlConnection(origin: URL = new URL(window.location.href), options: ConnectionOptions = {}): GraphqlConnection {
  const connection = new ConnectionState();
  const wsUrl = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}/graphql`;

  const ws = createWsClient({
    url: wsUrl,
    lazy: options.lazy ?? false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // A restarting server refuses connections for a while; that is never a reason to stop.
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const delay = backoffDelay(retries);
      connection.scheduleRetry(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
    on: {
      connecting: () => connection.markConnecting(),
      connected: () => connection.markLive(),
      closed: (event) => {
        connection.markDown();
        const code = (event as { code?: number }).code;
        if (code === 4403 || code === 4401) options.onRefused?.();
      },
      error: () => connection.markDown(),
    },
  });

  const client = new Client({
    url: '/graphql',
    // No document cache: live data comes from subscriptions, reads always go to the server.
    requestPolicy: 'network-only',
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return { client, connection };
}
