// Two validation rules graphql-armor does not provide.
//
// listCostRule: armor's cost limit prices every field once, whatever list it sits in, so
// 15 aliases of a long list passed it while building an 84 MB answer. Here a
// field costs 1 for every row its enclosing lists may return: a connection's `edges` and
// `nodes` multiply by its `first` (the requested page size; a variable counts as the
// largest page it could ask for; so do the rows of any other field taking `first`), a plain list by the size its schema field declares in
// `extensions.listSize`, or DEFAULT_LIST_SIZE. The cost is thus an upper bound on the
// values in the answer, known before anything runs.
//
// introspectionDepthRule: armor's depth limit skips introspection, so
// `__type { ofType { ofType { … 40 levels } } }` ran. Introspection selections get their
// own, more generous depth: GraphiQL's introspection query nests about a dozen levels.
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../licenses/index.ts';

// Type tests by shape, not instanceof: under vitest the schema (built by Pothos through
// CommonJS) and this file can hold two copies of graphql-js, and instanceof fails across them.
const typeKind = (t: GraphQLOutputType): string => (t as { constructor: { name: string } }).constructor.name;
const nullable = (t: GraphQLOutputType): GraphQLOutputType =>
  typeKind(t) === 'GraphQLNonNull' ? (t as { ofType: GraphQLOutputType }).ofType : t;
const isList = (t: GraphQLOutputType): boolean => typeKind(nullable(t)) === 'GraphQLList';
const namedType = (t: GraphQLOutputType): GraphQLNamedType => {
  let inner = t as GraphQLOutputType & { ofType?: GraphQLOutputType };
  while (inner.ofType) inner = inner.ofType as typeof inner;
  return inner as GraphQLNamedType;
};
const fieldsOf = (t: GraphQLNamedType | undefined) =>
  t && 'getFields' in t ? (t.getFields() as Record<string, GraphQLField<unknown, unknown>>) : undefined;

/** Rows a plain list field without `extensions.listSize` is charged for. */
export const DEFAULT_LIST_SIZE = 100;

interface CostOptions {
  maxCost: number;
}

/** Page size a paged field asks for: its `first` literal, its default, or the largest page for a variable.
 *  Any field with a `first` argument pages the 'page'-sized lists under it: connections, and
 *  reports whose rows come a page at a time (usageReport). */
function requestedPageSize(node: FieldNode, field: GraphQLField<unknown, unknown>): number | null {
  const arg = field.args.find((a) => a.name === 'first');
  if (!arg) return null;
  const given = node.arguments?.find((a) => a.name.value === 'first')?.value;
  const value = (v: ValueNode | undefined): number => {
    if (v === undefined) return typeof arg.defaultValue === 'number' ? arg.defaultValue : MAX_PAGE_SIZE;
    if (v.kind === Kind.INT) return Number(v.value);
    return MAX_PAGE_SIZE; // a variable may carry any size at run time
  };
  // A page is never larger than the domain allows, whatever was asked (that is refused later).
  return Math.min(Math.max(value(given), 1), MAX_PAGE_SIZE);
}

/** Rows a list field may return; `'page'` (a connection's edges and nodes) is its connection's page. */
function listSize(field: GraphQLField<unknown, unknown>, page: number): number {
  if (!isList(field.type)) return 1;
  const declared = field.extensions?.listSize;
  return declared === 'page' ? page : typeof declared === 'number' ? declared : DEFAULT_LIST_SIZE;
}

export function listCostRule({ maxCost }: CostOptions) {
  return function ListCost(context: ValidationContext): ASTVisitor {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const schema = context.getSchema();

    // Cost per row of the enclosing lists: a field's cost is linear in its rows, so each
    // fragment is priced once (memo) and a fragment fan-out cannot blow the work up.
    const memo = new Map<string, number>();
    // `page` is the page size of the nearest enclosing connection.
    const costOf = (set: SelectionSetNode, type: GraphQLNamedType | undefined, page: number, seen: Set<string>): number => {
      let cost = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue; // introspection: bounded by the schema, depth-limited below
          const field = fieldsOf(type)?.[sel.name.value];
          if (!field) continue; // unknown fields are reported by graphql's own rules
          cost += 1;
          if (!sel.selectionSet) continue;
          const connectionPage = requestedPageSize(sel, field);
          cost +=
            connectionPage !== null
              ? costOf(sel.selectionSet, namedType(field.type), connectionPage, seen)
              : listSize(field, page) * costOf(sel.selectionSet, namedType(field.type), page, seen);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          // Union and interface members: price every possible shape, an upper bound.
          const on = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) ?? undefined) : type;
          cost += costOf(sel.selectionSet, on, page, seen);
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue; // unknown or cyclic: graphql's own rules report it
          const key = `${name}\n${page}`; // a fragment inside a connection depends on its page
          if (!memo.has(key)) {
            memo.set(
              key,
              costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, page, new Set([...seen, name])),
            );
          }
          cost += memo.get(key)!;
        }
      }
      return cost;
    };

    return {
      OperationDefinition(op) {
        const root =
          op.operation === 'query'
            ? schema.getQueryType()
            : op.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const cost = costOf(op.selectionSet, root ?? undefined, 1, new Set());
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(
              `Query cost ${cost} exceeds the limit of ${maxCost}: every field counts once per row a list may return (first × fields); ask for smaller pages or fewer fields.`,
              { nodes: [op], extensions: { code: 'QUERY_COST_EXCEEDED', maxCost } },
            ),
          );
        }
        return false;
      },
    };
  };
}

export function introspectionDepthRule({ maxDepth }: { maxDepth: number }) {
  return function IntrospectionDepth(context: ValidationContext): ASTVisitor {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    // Depth below a selection set; each fragment measured once (memo), so fan-out is cheap.
    const memo = new Map<string, number>();
    const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
      let deepest = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          deepest = Math.max(deepest, sel.selectionSet ? 1 + depthOf(sel.selectionSet, seen) : 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(sel.selectionSet, seen));
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          if (!memo.has(name)) memo.set(name, depthOf(fragment.selectionSet, new Set([...seen, name])));
          deepest = Math.max(deepest, memo.get(name)!);
        }
      }
      return deepest;
    };

    return {
      Field(node) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
        if (node.selectionSet && depthOf(node.selectionSet, new Set()) > maxDepth) {
          context.reportError(
            new GraphQLError(`Introspection query exceeds the maximum depth of ${maxDepth} below ${node.name.value}.`, {
              nodes: [node],
              extensions: { code: 'INTROSPECTION_DEPTH_EXCEEDED', maxDepth },
            }),
          );
        }
        return false;
      },
    };
  };
}
