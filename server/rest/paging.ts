// REST paging for the seed's list routes (GET /borrows, GET /overage-charges). The body
// keeps the seed's exact shape; the page is chosen with `limit` and `before` query
// parameters and the way to the next page travels in headers only, so seed clients that
// parse the body see no change (they get at most MAX_PAGE_SIZE rows, newest first).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_PAGE_SIZE, type Page, type PageQuery } from '../licenses/index.ts';

/** `limit` and `before`, validated by Fastify (422 naming the parameter) before a handler runs. */
export const pageQuerystring = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
  before: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

export interface PageParams { limit?: number; before?: string }

/** Without `limit` a page holds MAX_PAGE_SIZE rows: the seed answered everything at once. */
export const restPage = (q: PageParams): PageQuery =>
  ({ first: q.limit ?? MAX_PAGE_SIZE, after: q.before, fields: { first: 'limit', after: 'before' } });

/**
 * When more rows follow: `X-Next-Before: <cursor>` and an RFC 8288 `Link: <url>; rel="next"`
 * that repeats the request's own parameters with `before` set to the cursor.
 */
export function linkNextPage(req: FastifyRequest, reply: FastifyReply, page: Page<unknown>): void {
  if (!page.hasNextPage || page.endCursor === null) return;
  const url = new URL(req.url, 'http://x');
  url.searchParams.set('before', page.endCursor);
  reply.header('x-next-before', page.endCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}
