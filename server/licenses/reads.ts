// Read-only views: pools, borrows, charges, history and usage over time.
import type { Prisma } from '../db/database.ts';
import { toPoolStatus } from './pool-status.ts';
import type { Store } from './store.ts';
import { ToolNotFoundError } from './errors.ts';
import { toEventRecord, toTicketRecord } from './records.ts';
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
export async function listBorrows(prisma: Prisma, user: string | undefined, q: PageQuery = {}): Promise<Page<BorrowRecord>> {
  checkFilterText('user', user);
  const size = pageSize(q);
  const after = decodeTimeCursor(q);
  const rows = await prisma.borrow.findMany({
    where: {
      ...(user !== undefined && { user }),
      ...(after && { OR: [{ borrowedAt: { lt: after.at } }, { borrowedAt: after.at, id: { lt: after.id } }] }),
    },
    orderBy: [{ borrowedAt: 'desc' }, { id: 'desc' }],
    take: size + 1,
  });
  return toPage(
    rows,
    size,
    (r) => [r.borrowedAt.getTime(), r.id],
    (r) => ({
      ...{ id: r.id, tool: r.toolName, user: r.user, borrowedAt: r.borrowedAt, expiresAt: r.expiresAt, host: r.host },
      ...{ project: r.project, team: r.team },
    }),
  );
}

export function countBorrows(prisma: Prisma, user?: string): Promise<number> {
  return prisma.borrow.count({ where: user === undefined ? {} : { user } });
}

/** Overage charges, newest first, one page (see paging.ts); one tool's when tool is given. */
export async function listCharges(prisma: Prisma, tool: string | undefined, q: PageQuery = {}): Promise<Page<OverageChargeRecord>> {
  checkFilterText('tool', tool);
  const size = pageSize(q);
  const after = decodeTimeCursor(q);
  const rows = await prisma.overageCharge.findMany({
    where: {
      ...(tool !== undefined && { toolName: tool }),
      ...(after && { OR: [{ chargedAt: { lt: after.at } }, { chargedAt: after.at, id: { lt: after.id } }] }),
    },
    orderBy: [{ chargedAt: 'desc' }, { id: 'desc' }],
    take: size + 1,
  });
  return toPage(
    rows,
    size,
    (r) => [r.chargedAt.getTime(), r.id],
    (r) => ({
      ...{ id: r.id, tool: r.toolName, borrowId: r.borrowId, user: r.user, chargedAt: r.chargedAt, amount: r.amount },
      kind: r.kind === 'seat_hour' ? ('seat_hour' as const) : ('borrow' as const),
    }),
  );
}

export function countCharges(prisma: Prisma, tool?: string): Promise<number> {
  return prisma.overageCharge.count({ where: tool === undefined ? {} : { toolName: tool } });
}

export interface EventQuery extends PageQuery {
  tool?: string;
}

/** A pool's line: the waiting tickets, head first, one page (cursor: the last ticket's place). */
export async function listQueue(prisma: Prisma, store: Store, tool: string, q: PageQuery, now: Date): Promise<Page<QueueTicketRecord>> {
  await getPool(store, tool, now); // 404 for a pool that does not exist
  const size = pageSize(q);
  const after = decodeIdCursor(q);
  const where = { toolName: tool, state: 'waiting' };
  const [rows, ahead] = await Promise.all([
    prisma.queueTicket.findMany({
      where: { ...where, ...(after !== null && { seq: { gt: after } }) },
      orderBy: { seq: 'asc' },
      take: size + 1,
    }),
    after === null ? 0 : prisma.queueTicket.count({ where: { ...where, seq: { lte: after } } }),
  ]);
  return toPage(
    rows.map((r, i) => ({ r, position: ahead + i + 1 })),
    size,
    ({ r }) => [r.seq],
    ({ r, position }) =>
      toTicketRecord({
        id: r.id,
        tool: r.toolName,
        user: r.user,
        host: r.host,
        seq: r.seq,
        queuedAt: r.queuedAt,
        leaseSeconds: r.leaseSeconds,
        expiresAt: r.expiresAt,
        state: 'waiting',
        borrowId: r.borrowId,
        position,
      }),
  );
}

/** License history, newest first (by id: the order events were written), one page. */
export async function listEvents(prisma: Prisma, q: EventQuery = {}): Promise<Page<LicenseEventRecord>> {
  checkFilterText('tool', q.tool);
  const size = pageSize(q);
  const after = decodeIdCursor(q);
  const rows = await prisma.licenseEvent.findMany({
    where: { ...(q.tool !== undefined && { tool: q.tool }), ...(after !== null && { id: { lt: after } }) },
    orderBy: { id: 'desc' },
    take: size + 1,
  });
  return toPage(rows, size, (r) => [r.id], toEventRecord);
}

export function countEvents(prisma: Prisma, tool?: string): Promise<number> {
  return prisma.licenseEvent.count({ where: tool === undefined ? {} : { tool } });
}

export const MAX_USAGE_POINTS = 5000;

/** How an event changed its pool's borrowed seats (to find the count before it). */
const seatDelta = (type: string): number =>
  type === 'borrowed' || type === 'granted' ? 1 : type === 'returned' || type === 'expired' || type === 'revoked' ? -1 : 0;

/**
 * Borrowed seats per tool from `since` until now, one point per change, starting with
 * the value in force at `since` so a chart begins at the left edge.
 */
export async function usageSince(prisma: Prisma, store: Store, since: Date, now: Date): Promise<UsageSeries[]> {
  const pools = await listPools(store, now);
  const events = await prisma.licenseEvent.findMany({
    where: { at: { gte: since } },
    orderBy: { id: 'asc' },
    take: MAX_USAGE_POINTS,
  });
  return Promise.all(
    pools.map(async (pool) => {
      const mine = events.filter((e) => e.tool === pool.tool);
      const before = await prisma.licenseEvent.findFirst({
        where: { tool: pool.tool, at: { lt: since } },
        orderBy: { id: 'desc' },
      });
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
