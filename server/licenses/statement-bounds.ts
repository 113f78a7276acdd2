// What a statement read may freeze, so that reads never write unbounded rows:
// - only periods the pool is known to have existed in: the pool's first recorded event, or
//   its first frozen statement (events are pruned only after their period is frozen), must
//   lie before the period's end. A read of the year 1000, or of a month before the server
//   ran, answers no statement for that pool and stores nothing;
// - never a period overlapping one already frozen: after a billing-day change the running
//   period starts where the last frozen one ended (a one-off longer or shorter period,
//   billed the whole commit), and a date inside a frozen period answers that statement.
import type { Prisma } from '../db/database.ts';
import type { BillingPeriod } from './billing-periods.ts';

/** The first instant the pool is known to have existed, or null when nothing shows it yet. */
export async function firstEvidence(prisma: Prisma, tool: string): Promise<Date | null> {
  const [event, frozen] = await Promise.all([
    prisma.licenseEvent.findFirst({ where: { tool }, orderBy: { at: 'asc' }, select: { at: true } }),
    prisma.statement.findFirst({ where: { tool }, orderBy: { periodStart: 'asc' }, select: { periodStart: true } }),
  ]);
  const times = [event?.at, frozen?.periodStart].filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

export type StoredStatement = { tool: string; periodStart: Date; periodEnd: Date; frozenAt: Date; body: string };

/** The frozen statement whose period holds `at`, if any: it answers for that instant
 *  whatever billing day the pool has now. */
export function frozenHolding(prisma: Prisma, tool: string, at: Date): Promise<StoredStatement | null> {
  return prisma.statement.findFirst({ where: { tool, periodStart: { lte: at }, periodEnd: { gt: at } } });
}

/** `p` cut so that it overlaps no frozen statement of the pool, or the frozen statement
 *  that already covers p's start. */
export async function clipToFrozen(
  prisma: Prisma,
  tool: string,
  p: BillingPeriod,
): Promise<{ period: BillingPeriod; frozen: null } | { period: null; frozen: StoredStatement }> {
  const overlapping = await prisma.statement.findMany({
    where: { tool, periodStart: { lt: p.end }, periodEnd: { gt: p.start } },
    orderBy: { periodStart: 'asc' },
    take: 3,
  });
  if (overlapping.length === 0) return { period: p, frozen: null };
  const covering = overlapping.find((s) => s.periodStart.getTime() <= p.start.getTime());
  if (covering && covering.periodStart.getTime() === p.start.getTime()) return { period: null, frozen: covering };
  let start = p.start;
  let end = p.end;
  for (const s of overlapping) {
    if (s.periodStart.getTime() <= start.getTime()) start = new Date(Math.max(start.getTime(), s.periodEnd.getTime()));
    else end = new Date(Math.min(end.getTime(), s.periodStart.getTime()));
  }
  if (start.getTime() >= end.getTime()) return { period: null, frozen: covering ?? overlapping[0]! };
  return { period: { start, end }, frozen: null };
}
