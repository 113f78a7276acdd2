// Read-only views: pools, borrows, charges, history and usage over time. The statements are
// in read-queries.ts (the store's typed query layer); this file pages and shapes their rows.
import type { Dialect } from './dialects/dialect.ts';
import * as rq from './read-queries.ts';
import { eventRow } from './read-queries.ts';
import { asDate, borrowRow, placeInLine, ticketRow } from './store-queries.ts';
import { toPoolStatus } from './pool-status.ts';
import type { Store } from './store.ts';
import { ToolNotFoundError } from './errors.ts';
import { toBorrowRecord, toEventRecord, toTicketRecord } from './records.ts';
import { checkFilterText, textProblem } from './text.ts';
import { decodeIdCursor, decodeTimeCursor, pageSize, toPage, type Page, type PageQuery } from './paging.ts';
import type { BorrowRecord, LicenseEventRecord, OverageChargeRecord, PoolStatus, QueueTicketRecord, UsageSeries } from './types.ts';

// Pool status is the most read thing there is (dashboards, status polls): a prepared
// statement on the direct connection, not a Prisma round trip (~10x cheaper, bench/).
export async function listPools(store: Store, now: Date): Promise<PoolStatus[]> {
  return (await store.tools()).map((r) => toPoolStatus(r, now));
}

/** What all pools cost together: the commit fees plus every overage charge recorded. */
export async function costSummary(store: Store, now: Date): Promise<{ commit: number; overage: number; total: number }> {
  const pools = await listPools(store, now);
  const commit = pools.reduce((sum, p) => sum + p.commitPrice, 0);
  const overage = pools.reduce((sum, p) => sum + p.currentOverageCost, 0);
  return { commit, overage, total: commit + overage };
}

export async function getPool(store: Store, tool: string, now: Date): Promise<PoolStatus> {
  // Text no stored name can hold names no tool: a 404, and never a query PostgreSQL refuses.
  if (textProblem(tool)) throw new ToolNotFoundError(tool);
  const row = await store.tool(tool);
  if (!row) throw new ToolNotFoundError(tool);
  return toPoolStatus(row, now);
}

/** Seats held now, newest first, one page (see paging.ts); one user's when user is given. */
export async function listBorrows(db: Dialect, user: string | undefined, q: PageQuery = {}): Promise<Page<BorrowRecord>> {
  checkFilterText('user', user);
  const size = pageSize(q);
  const after = decodeTimeCursor(q);
  const rows = (await db.all(rq.borrowsPage.compile(db, { user, after, take: size + 1 }))).map(borrowRow);
  return toPage(rows, size, (r) => [r.borrowedAt.getTime(), r.id], toBorrowRecord);
}

const countOf = (rows: Record<string, unknown>[]) => Number(rows[0]?.n ?? 0);

export async function countBorrows(db: Dialect, user?: string): Promise<number> {
  return countOf(await db.all(rq.borrowCount.compile(db, { user })));
}

/** Seats held under a lease, per pool (the rest are held without one). */
export async function leasedSeats(db: Dialect): Promise<Map<string, number>> {
  const rows = await db.all(rq.leasedPerPool.compile(db, {}));
  return new Map(rows.map((r) => [String(r.tool), Number(r.n)]));
}

/** Overage charges, newest first, one page (see paging.ts); one tool's when tool is given. */
export async function listCharges(db: Dialect, tool: string | undefined, q: PageQuery = {}): Promise<Page<OverageChargeRecord>> {
  checkFilterText('tool', tool);
  const size = pageSize(q);
  const after = decodeTimeCursor(q);
  const rows = (await db.all(rq.chargesPage.compile(db, { tool, after, take: size + 1 }))).map(
    (r): OverageChargeRecord => ({
      ...{ id: String(r.id), tool: String(r.tool), borrowId: String(r.borrow_id), user: String(r.user) },
      ...{ chargedAt: asDate(r.charged_at), amount: Number(r.amount) },
      kind: r.kind === 'seat_hour' ? ('seat_hour' as const) : ('borrow' as const),
    }),
  );
  return toPage(
    rows,
    size,
    (r) => [r.chargedAt.getTime(), r.id],
    (r) => r,
  );
}

export async function countCharges(db: Dialect, tool?: string): Promise<number> {
  return countOf(await db.all(rq.chargeCount.compile(db, { tool })));
}

export interface EventQuery extends PageQuery {
  tool?: string;
}

/** A pool's line: the waiting tickets, head first, one page (cursor: the last ticket's place). */
export async function listQueue(db: Dialect, store: Store, tool: string, q: PageQuery, now: Date): Promise<Page<QueueTicketRecord>> {
  await getPool(store, tool, now); // 404 for a pool that does not exist
  const size = pageSize(q);
  const after = decodeIdCursor(q);
  const [rows, ahead] = await Promise.all([
    db.all(rq.waitingPage.compile(db, { tool, after: after ?? 0, take: size + 1 })),
    after === null ? 0 : db.all(placeInLine.compile(db, { tool, seq: after })).then(countOf),
  ]);
  return toPage(
    rows.map((r, i) => ticketRow(r, ahead + i + 1)),
    size,
    (t) => [t.seq],
    (t) => toTicketRecord(t),
  );
}

/** License history, newest first (by id: the order events were written), one page. */
export async function listEvents(db: Dialect, q: EventQuery = {}): Promise<Page<LicenseEventRecord>> {
  checkFilterText('tool', q.tool);
  const size = pageSize(q);
  const after = decodeIdCursor(q);
  const rows = (await db.all(rq.eventsPage.compile(db, { tool: q.tool, before: after, take: size + 1 }))).map(eventRow);
  return toPage(rows, size, (r) => [r.id], toEventRecord);
}

export async function countEvents(db: Dialect, tool?: string): Promise<number> {
  return countOf(await db.all(rq.eventCount.compile(db, { tool })));
}

export const MAX_USAGE_POINTS = 5000;

/** How an event changed its pool's borrowed seats (to find the count before it). */
const seatDelta = (type: string): number =>
  type === 'borrowed' || type === 'granted' ? 1 : type === 'returned' || type === 'expired' || type === 'revoked' ? -1 : 0;

/**
 * Borrowed seats per tool from `since` until now, one point per change, starting with
 * the value in force at `since` so a chart begins at the left edge.
 */
export async function usageSince(db: Dialect, store: Store, since: Date, now: Date): Promise<UsageSeries[]> {
  const pools = await listPools(store, now);
  const events = (await db.all(rq.eventsSince.compile(db, { since, take: MAX_USAGE_POINTS }))).map(eventRow);
  return Promise.all(
    pools.map(async (pool) => {
      const mine = events.filter((e) => e.tool === pool.tool);
      const last = (await db.all(rq.lastEventBefore.compile(db, { tool: pool.tool, at: since })))[0];
      const before = last && eventRow(last);
      const first = mine[0];
      const start = before ? before.borrowed : first ? first.borrowed - seatDelta(first.type) : pool.borrowed;
      return {
        tool: pool.tool,
        total: pool.total,
        points: [{ at: since, borrowed: start }, ...mine.map((e) => ({ at: e.at, borrowed: e.borrowed }))],
      };
    }),
  );
}
