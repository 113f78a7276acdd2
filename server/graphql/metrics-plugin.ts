// Counts GraphQL operations by type and root field (bounded: only schema fields pass
// validation), and those that end with errors.
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../observability/metrics.ts';

function describe(document: DocumentNode, operationName?: string | null) {
  const op = getOperationAST(document, operationName ?? undefined);
  const first = op?.selectionSet.selections[0];
  return { operation_type: op?.operation ?? 'unknown', field: first?.kind === 'Field' ? first.name.value : 'fragment' };
}

export function useOperationMetrics(metrics: Metrics): Plugin {
  const count = (document: DocumentNode, name?: string | null) => {
    const labels = describe(document, name);
    metrics.graphqlOperations.inc(labels);
    return labels.operation_type;
  };
  return {
    onExecute({ args }) {
      const type = count(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if ('errors' in result && result.errors?.length) metrics.graphqlErrors.inc({ operation_type: type });
        },
      };
    },
    onSubscribe({ args }) {
      count(args.document, args.operationName);
    },
  };
}
