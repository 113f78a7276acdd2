// GraphQL over WebSocket (graphql-ws protocol) on the same path as HTTP, executed by
// the same Yoga instance so limits, metrics and context are identical.
// Bounded: one connection may hold at most maxSubscriptionsPerConnection operations (one
// socket opened 20,000 before), and one client address at most maxConnectionsPerAddress
// sockets; refusals are counted in websocket_refusals_total{reason}.
import { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { DocumentNode, ExecutionArgs } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLServer } from './yoga.ts';
import type { Auth, Identity } from '../auth/index.ts';

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;

export interface WebSocketLimits {
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerAddress: number;
}

/** refuseUpgrade: the cross-site rule (server/http/cross-site.ts); graphql-ws runs mutations. */
export function attachWebSocket(
  server: Server,
  yoga: GraphQLServer,
  limits: WebSocketLimits,
  registry: Registry,
  refuseUpgrade?: (req: IncomingMessage, socket: Duplex) => boolean,
  auth?: Auth,
) {
  /** Required mode: the connection's credentials — connection_init's {authorization:
   *  "Bearer …"}, else the upgrade request's Authorization header or session cookie. Checked
   *  again at every subscribe, so a revoked token or ended session stops starting operations. */
  const credentialsOf = (params: Record<string, unknown> | undefined, req: IncomingMessage) => {
    const fromInit = typeof params?.authorization === 'string' ? params.authorization : undefined;
    return fromInit !== undefined ? { authorization: fromInit } : { authorization: req.headers.authorization, cookie: req.headers.cookie };
  };
  const authenticate = async (params: Record<string, unknown> | undefined, req: IncomingMessage): Promise<Identity | null> => {
    if (!auth?.required) return null;
    const r = await auth.authenticator.resolve(credentialsOf(params, req));
    if (!r.identity) auth.refused(r.reason, { transport: 'ws', route: '/graphql' });
    return r.identity;
  };
  const refusals = new Counter({
    name: 'websocket_refusals_total',
    help: 'WebSocket connections and subscriptions refused by a per-client limit',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  refusals.inc({ reason: 'connections_per_address' }, 0);
  refusals.inc({ reason: 'subscriptions_per_connection' }, 0);

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // Open sockets per peer address (behind a proxy this is the proxy's address: raise the
  // limit there). Counted from the upgrade until the socket closes.
  const perAddress = new Map<string, number>();
  server.on('upgrade', (req, socket, head) => {
    // First: the Host allow-list and the cross-site rule, whatever the path.
    if (refuseUpgrade?.(req, socket)) return;
    const path = (req.url ?? '').split('?')[0];
    if (path !== yoga.graphqlEndpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      refusals.inc({ reason: 'connections_per_address' });
      const body = JSON.stringify({
        detail: `Too many WebSocket connections from this address (at most ${limits.maxConnectionsPerAddress})`,
      });
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 10\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    perAddress.set(address, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n <= 0) perAddress.delete(address);
      else perAddress.set(address, n);
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const handle = useServer<Record<string, unknown> | undefined, { identity?: Identity | null }>(
    {
      // false closes the socket with 4403 Forbidden (graphql-ws) before any operation runs.
      onConnect: async (ctx) => {
        if (!auth?.required) return true;
        const identity = await authenticate(ctx.connectionParams, ctx.extra.request);
        if (!identity) return false;
        (ctx.extra as { identity?: Identity | null }).identity = identity;
        // Revoked or expired later (auth/live-credentials.ts): the socket closes with 4401,
        // which graphql-ws clients treat as final (no reconnect with the same credential);
        // its subscriptions end with it.
        const socket = ctx.extra.socket;
        const unwatch = auth.live.watch(credentialsOf(ctx.connectionParams, ctx.extra.request), identity, () => {
          auth.refused('revoked_while_open', { transport: 'ws', route: '/graphql', user: identity.user });
          socket.close(4401, 'Unauthorized: the credential was revoked or expired');
        });
        socket.once('close', unwatch);
        return true;
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onSubscribe: async (ctx, _id, params) => {
        // graphql-ws has already entered this operation in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          refusals.inc({ reason: 'subscriptions_per_connection' });
          return [
            new GraphQLError(
              `Too many operations on this connection (at most ${limits.maxSubscriptionsPerConnection}); complete one or open another connection`,
              { extensions: { code: 'SUBSCRIPTION_LIMIT' } },
            ),
          ];
        }
        let identity: Identity | undefined;
        if (auth?.required) {
          const again = await authenticate(ctx.connectionParams, ctx.extra.request);
          if (!again) {
            return [
              new GraphQLError('Your credentials were revoked or expired; sign in again', { extensions: { code: 'UNAUTHENTICATED' } }),
            ];
          }
          identity = again;
        }
        const enveloped = yoga.getEnveloped({
          identity,
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          transport: 'ws',
          clientAddress: ctx.extra.request.socket.remoteAddress,
        });
        let document: DocumentNode;
        try {
          document = enveloped.parse(params.query);
        } catch (err) {
          return [err as never];
        }
        const args = {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
        const errors = enveloped.validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );

  return {
    /** Closes every socket with 1001 (going away) so clients reconnect elsewhere. */
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await handle.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
