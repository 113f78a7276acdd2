// REST paging for the seed's list routes (GET /borrows, GET /overage-charges). The body
// keeps the seed's exact shape; the page is chosen with `limit` and `before` query
// parameters and the way to the next page travels in headers only, so seed clients that
// parse the body see no change (they get at most MAX_PAGE_SIZE rows, newest first).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_CURSOR_LENGTH, MAX_PAGE_SIZE, type Page, type PageQuery } from '../licenses/index.ts';

/**
 * `limit` and `before`. The app's validator does not coerce types (bodies stay strict), so a
 * query-string `limit` arrives as text: restPage parses it and reports a bad one exactly as
 * the schema validator reports any other field (422, FastAPI's detail shape, naming it).
 */
export const pageQuerystring = {
  limit: {
    type: 'string',
    maxLength: 20,
    description: `Rows in the page, an integer from 1 to ${MAX_PAGE_SIZE} (default ${MAX_PAGE_SIZE})`,
  },
  before: { type: 'string', minLength: 1, maxLength: MAX_CURSOR_LENGTH, description: 'The X-Next-Before header of the previous page' },
} as const;

export interface PageParams {
  limit?: string;
  before?: string;
}

/** A request-validation failure in Fastify's own shape, so rest/errors.ts answers it like any other. */
function invalidQuery(field: string, keyword: string, params: Record<string, unknown>, message: string): Error {
  return Object.assign(new Error(message), {
    statusCode: 422,
    validationContext: 'querystring',
    validation: [{ keyword, instancePath: `/${field}`, schemaPath: `#/properties/${field}/${keyword}`, params, message }],
  });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return MAX_PAGE_SIZE; // the seed answered everything at once
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw invalidQuery('limit', 'type', { type: 'integer' }, 'must be integer');
  const n = Number(raw);
  if (n < 1) throw invalidQuery('limit', 'minimum', { comparison: '>=', limit: 1 }, 'must be >= 1');
  if (n > MAX_PAGE_SIZE) throw invalidQuery('limit', 'maximum', { comparison: '<=', limit: MAX_PAGE_SIZE }, `must be <= ${MAX_PAGE_SIZE}`);
  return n;
}

/** Without `limit` a page holds MAX_PAGE_SIZE rows. */
export const restPage = (q: PageParams): PageQuery => ({
  first: parseLimit(q.limit),
  after: q.before,
  fields: { first: 'limit', after: 'before' },
});

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
