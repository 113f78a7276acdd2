// Bounded caches for GraphQL documents: parsed documents, parse errors, and graphql-jit
// compiled queries. Before, Yoga's default caches were bounded by entries only (1,024) and
// every distinct document was compiled: ~1.4 ms of CPU and ~80 KB of heap for a 300-byte
// query here, ~8 ms and ~600 KB for a 2.4 KB one (before, ~14 ms and a 0.9 GB
// heap after 8,000 distinct documents; under a 256 MB heap cap the old server died of OOM
// after 438 such 2.4 KB documents, bench/distinct-documents.ts). Now:
//   - every cache is an LRU bounded by entries AND by estimated bytes;
//   - a document is compiled only when it is seen a second time (its first run goes
//     through graphql-js' executor), so one-off documents cost no compilation at all.
// Yoga's validation cache is a WeakMap keyed by the parsed document, so it is bounded by
// the document cache: an evicted document takes its validation result with it.
import { LRUCache } from 'lru-cache';
import { getOperationAST, print, type DocumentNode, type ExecutionArgs } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

const MiB = 1024 * 1024;

// Heap per character of document text, measured with node --expose-gc (heap after GC, N
// documents held): a parsed document (with locations) 52-72 bytes, a compiled query that
// has run ~250. The estimates err high.
const PARSED_BYTES_PER_CHAR = 80;
const COMPILED_BYTES_PER_CHAR = 300;

export const DOCUMENT_CACHE_LIMITS = {
  /** Parsed documents (Yoga's parse cache; its validation cache follows it). */
  documents: { max: 1000, maxSize: 32 * MiB },
  /** Documents that failed to parse, with their error. */
  errors: { max: 1000, maxSize: 2 * MiB },
  /** Documents seen once: the second sighting compiles. Text only. */
  seen: { max: 2000, maxSize: 4 * MiB },
  /** graphql-jit compiled queries. */
  compiled: { max: 300, maxSize: 48 * MiB },
} as const;

type Bound = { max: number; maxSize: number };
type Limits = { documents: Bound; errors: Bound; seen: Bound; compiled: Bound };

export interface CacheStats {
  entries: number;
  bytes: number;
  max: number;
  maxSize: number;
}

interface Compiled {
  query: CompiledQuery['query'] | null;
}

export function createDocumentCaches(limits: Limits = DOCUMENT_CACHE_LIMITS, onCompileError?: (errors: string[]) => void) {
  const documentCache = new LRUCache<string, DocumentNode>({
    ...limits.documents,
    sizeCalculation: (_doc, source) => Math.max(1, source.length * PARSED_BYTES_PER_CHAR),
  });
  const errorCache = new LRUCache<string, object>({
    ...limits.errors,
    sizeCalculation: (err, source) => Math.max(1, source.length + String((err as Error).message ?? '').length),
  });
  const seen = new LRUCache<string, true>({ ...limits.seen, sizeCalculation: (_v, key) => Math.max(1, key.length * 2) });
  const compiled = new LRUCache<string, Compiled>({
    ...limits.compiled,
    sizeCalculation: (_v, key) => Math.max(1, key.length * COMPILED_BYTES_PER_CHAR),
  });
  /** Document text by parsed document, so compiled queries are keyed by text and survive re-parsing. */
  const sources = new WeakMap<DocumentNode, string>();
  let compilations = 0;

  const sourceOf = (document: DocumentNode): string => {
    let source = sources.get(document);
    if (source === undefined) {
      source = print(document);
      sources.set(document, source);
    }
    return source;
  };

  /** Runs queries and mutations as compiled JavaScript once their document repeats. */
  const jitPlugin: Plugin = {
    onParse({ params }) {
      return ({ result }) => {
        if (result && typeof result === 'object' && 'kind' in result) sources.set(result as DocumentNode, params.source.toString());
      };
    },
    onExecute({ args, setExecuteFn }) {
      // Not subscriptions: graphql-jit 0.8 hands a subscribe resolver the operation's
      // variables instead of the field's arguments (test/graphql.test.ts guards this).
      if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') return;
      const key = `${args.operationName ?? ''}\n${sourceOf(args.document)}`;
      let entry = compiled.get(key);
      if (!entry) {
        if (!seen.has(key)) {
          seen.set(key, true);
          return;
        } // first sighting: graphql-js runs it
        seen.delete(key);
        const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
        compilations += 1;
        if (isCompiledQuery(result)) {
          entry = { query: result.query };
        } else {
          onCompileError?.((result.errors ?? []).map((e) => e.message));
          entry = { query: null }; // remembered, so it is not compiled again: graphql-js runs it
        }
        compiled.set(key, entry);
      }
      const query = entry.query;
      if (query) setExecuteFn(((a: ExecutionArgs) => query(a.rootValue, a.contextValue, a.variableValues)) as never);
    },
  };

  const stats = <V extends {}>(c: LRUCache<string, V>, l: { max: number; maxSize: number }): CacheStats => ({
    entries: c.size,
    bytes: c.calculatedSize ?? 0,
    max: l.max,
    maxSize: l.maxSize,
  });

  return {
    parserAndValidationCache: { documentCache, errorCache, validationCache: true },
    jitPlugin,
    stats: () => ({
      documents: stats(documentCache, limits.documents),
      errors: stats(errorCache, limits.errors),
      seen: stats(seen, limits.seen),
      compiled: stats(compiled, limits.compiled),
      compilations,
    }),
  };
}
