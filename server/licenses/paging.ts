// Pages of the lists that grow without bound (borrows, overage charges, events). One
// answer never holds more than MAX_PAGE_SIZE rows, whatever the transport: an unbounded
// list let one small GraphQL query build an 84 MB answer.
//
// Pages are newest first in a total order — (time, id) for borrows and charges, id for
// events — and a cursor names the last row of a page, so the next page starts strictly
// after it (keyset paging). Rows added meanwhile are newer than every cursor already
// handed out: walking the pages never repeats nor skips a row that existed when the walk
// began, which OFFSET paging cannot promise.
import { InvalidPageError } from './errors.ts';
import { DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE } from './limits.ts';

export interface PageQuery {
  /** Rows wanted, 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when omitted. */
  first?: number;
  /** A cursor from an earlier page: the page starts right after that row. */
  after?: string;
  /** The name the transport gave the two fields above, for error messages. */
  fields?: { first: string; after: string };
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  /** Cursor of the last row, null for an empty page. */
  endCursor: string | null;
}

export function pageSize(q: PageQuery): number {
  const n = q.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new InvalidPageError(q.fields?.first ?? 'first', `${q.fields?.first ?? 'first'} must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}

// Cursors are opaque to clients (base64url of a small JSON array), so the key they carry
// may change without breaking anyone who only passes them back.
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key of a cursor, checked against the kinds of its parts; InvalidPageError otherwise. */
/** The key an `after` cursor carries, checked against the kinds its list orders by. */
export function decodeCursor(q: PageQuery, kinds: ('string' | 'number')[]): unknown[] | null {
  if (q.after === undefined) return null;
  const field = q.fields?.after ?? 'after';
  let key: unknown;
  try {
    key = q.after.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(q.after, 'base64url').toString('utf8')) : undefined;
  } catch {
    key = undefined;
  }
  if (
    !Array.isArray(key) ||
    key.length !== kinds.length ||
    key.some((v, i) => typeof v !== kinds[i]) ||
    key.some((v) => typeof v === 'number' && !Number.isSafeInteger(v))
  ) {
    throw new InvalidPageError(field, `${field} is not a cursor this server issued`);
  }
  return key;
}

/** A (time, id) cursor: rows ordered by a timestamp, ties broken by their string id. */
export function decodeTimeCursor(q: PageQuery): { at: Date; id: string } | null {
  const key = decodeCursor(q, ['number', 'string']);
  return key && { at: new Date(key[0] as number), id: key[1] as string };
}

/** An id cursor: rows ordered by an increasing integer id. */
export function decodeIdCursor(q: PageQuery): number | null {
  const key = decodeCursor(q, ['number']);
  return key && (key[0] as number);
}

/** Turns `size + 1` rows read in page order into a page of at most `size`. */
export function toPage<R, T>(rows: R[], size: number, key: (r: R) => (string | number)[], node: (r: R) => T): Page<T> {
  const edges = rows.slice(0, size).map((r) => ({ cursor: encodeCursor(key(r)), node: node(r) }));
  return { edges, hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null };
}
