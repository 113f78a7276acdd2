// The GraphQL operation's span (query or mutation), a child of the HTTP request's or, over
// WebSocket, a root of its own. Named `query PoolStatus` / `mutation borrowLicense` after
// the operation's name or else its first field; resolvers run inside it, so the store's
// transaction is its child. Nothing is added to the envelop while tracing is off.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { activeTracer, inSpan, SpanKind } from '../observability/tracing.ts';

export function useTracing(): Plugin {
  if (activeTracer() === null) return {};
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const op = getOperationAST(args.document, args.operationName ?? undefined);
      const first = op?.selectionSet.selections[0];
      const type = op?.operation ?? 'unknown';
      const name = op?.name?.value ?? (first?.kind === 'Field' ? first.name.value : undefined);
      const attributes = { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) };
      setExecuteFn((a) => inSpan(name ? `${type} ${name}` : type, attributes, () => executeFn(a), SpanKind.INTERNAL));
    },
  };
}
