// Cursor connections for the lists that grow (borrows, overageCharges, events): forward
// paging in the Relay shape (`first`/`after` → edges { cursor node }, nodes, pageInfo
// { hasNextPage endCursor }), which GraphQL clients and GraphiQL users already know.
// Backward paging (`last`/`before`) is left out: nobody reads these lists oldest first.
// The page itself — size limits, order, cursors — is the domain's (licenses/paging.ts).
import type { ObjectRef } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import { DEFAULT_PAGE_SIZE, InvalidInputError, InvalidPageError, MAX_PAGE_SIZE, type Page } from '../licenses/index.ts';

const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Pass as `after` for the next page' }),
  }),
});

/** A page as resolvers return it; `count` runs only when a client selects totalCount. */
export type PageWithCount<T> = Page<T> & { count: () => Promise<number> };

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer S> ? S : never;

export function connectionType<T>(name: string, node: ObjectRef<Types, T>) {
  const edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: node, resolve: (e) => e.node as never }) }),
  });
  return builder.objectRef<PageWithCount<T>>(`${name}Connection`).implement({
    description: `A page of ${name} rows, newest first`,
    fields: (t) => ({
      // As many rows as the connection field's `first` asks for (cost.ts).
      edges: t.field({ type: [edge], extensions: { listSize: 'page' }, resolve: (p) => p.edges }),
      nodes: t.field({ type: [node], extensions: { listSize: 'page' }, resolve: (p) => p.edges.map((e) => e.node) as never }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
      totalCount: t.int({ description: 'Rows in the whole list, not only this page', resolve: (p) => p.count() }),
    }),
  });
}

/** Turns a connection field's `first`/`after` into the domain's page query. */
export const pageQuery = (args: { first?: number | null; after?: string | null }) => ({
  first: args.first ?? DEFAULT_PAGE_SIZE,
  after: args.after ?? undefined,
  fields: { first: 'first', after: 'after' },
});

const FIRST_DESCRIPTION = `Rows in the page, 1 to ${MAX_PAGE_SIZE}`;

/** The forward-paging arguments every connection field takes. */
export const pageArgs = builder.args((t) => ({
  first: t.int({ defaultValue: DEFAULT_PAGE_SIZE, description: FIRST_DESCRIPTION }),
  after: t.string(),
}));

/**
 * A page, or a client error naming the argument (not a masked "Unexpected error"): a list
 * has no union to carry the domain's refusal of a page request or of filter text.
 */
export async function resolvePage<T>(page: () => Promise<Page<T>>, count: () => Promise<number>): Promise<PageWithCount<T>> {
  try {
    return { ...(await page()), count };
  } catch (err) {
    if (err instanceof InvalidPageError) {
      throw new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: err.field } });
    }
    if (err instanceof InvalidInputError) {
      throw new GraphQLError(`${err.field}: ${err.message}`, { extensions: { code: 'BAD_USER_INPUT', field: err.field, type: err.type } });
    }
    throw err;
  }
}
