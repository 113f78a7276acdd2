// What a statement read may freeze, so that reads never write unbounded rows:
// - only periods the pool is known to have existed in: the pool's first recorded event, or
//   its first frozen statement (events are pruned only after their period is frozen), must
//   lie before the period's end. A read of the year 1000, or of a month before the server
//   ran, answers no statement for that pool and stores nothing;
// - never a period overlapping one already frozen: after a billing-day change the running
//   period starts where the last frozen one ended (a one-off longer or shorter period,
//   billed the whole commit), and a date inside a frozen period answers that statement.
import { sql } from 'kysely';
import type { BillingPeriod } from './billing-periods.ts';
import type { Dialect } from './dialects/dialect.ts';
import { statement } from './sql.ts';
import { asDate } from './store-queries.ts';

const COLUMNS = ['tool', 'period_start', 'period_end', 'frozen_at', 'body'] as const;
const firstEvent = statement((db, $: { tool: string }) =>
  db.selectFrom('license_events').select(sql<unknown>`MIN(at)`.as('t')).where('tool', '=', $.tool),
);
const firstFrozen = statement((db, $: { tool: string }) =>
  db.selectFrom('statements').select(sql<unknown>`MIN(period_start)`.as('t')).where('tool', '=', $.tool),
);
const holdingAt = statement((db, $: { tool: string; at: Date }) =>
  db
    .selectFrom('statements')
    .select(COLUMNS)
    .where('tool', '=', $.tool)
    .where('period_start', '<=', $.at)
    .where('period_end', '>', $.at)
    .limit(1),
);
const overlapping = statement((db, $: { start: Date; end: Date; tool: string }) =>
  db
    .selectFrom('statements')
    .select(COLUMNS)
    .where('tool', '=', $.tool)
    .where('period_start', '<', $.end)
    .where('period_end', '>', $.start)
    .orderBy('period_start', 'asc')
    .limit(3),
);
/** A pool's frozen statement of the period starting at `start`. */
export const frozenAt = statement((db, $: { tool: string; start: Date }) =>
  db.selectFrom('statements').select(COLUMNS).where('tool', '=', $.tool).where('period_start', '=', $.start),
);
/** Freezes a statement; one frozen first (another reader, another process) stays. */
export const freeze = statement((db, $: { tool: string; start: Date; end: Date; at: Date; body: string }) =>
  db
    .insertInto('statements')
    .values({ tool: $.tool, period_start: $.start, period_end: $.end, frozen_at: $.at, body: $.body })
    .onConflict((oc) => oc.columns(['tool', 'period_start']).doNothing()),
);

export const storedStatement = (r: Record<string, unknown>): StoredStatement => ({
  tool: String(r.tool),
  periodStart: asDate(r.period_start),
  periodEnd: asDate(r.period_end),
  frozenAt: asDate(r.frozen_at),
  body: String(r.body),
});

/** The first instant the pool is known to have existed, or null when nothing shows it yet. */
export async function firstEvidence(db: Dialect, tool: string): Promise<Date | null> {
  const rows = await Promise.all([db.all(firstEvent.compile(db, { tool })), db.all(firstFrozen.compile(db, { tool }))]);
  const times = rows
    .map((r) => r[0]?.t)
    .filter((t) => t !== null && t !== undefined)
    .map((t) => asDate(t).getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

export type StoredStatement = { tool: string; periodStart: Date; periodEnd: Date; frozenAt: Date; body: string };

/** The frozen statement whose period holds `at`, if any: it answers for that instant
 *  whatever billing day the pool has now. */
export async function frozenHolding(db: Dialect, tool: string, at: Date): Promise<StoredStatement | null> {
  const r = (await db.all(holdingAt.compile(db, { tool, at })))[0];
  return r ? storedStatement(r) : null;
}

/** `p` cut so that it overlaps no frozen statement of the pool, or the frozen statement
 *  that already covers p's start. */
export async function clipToFrozen(
  db: Dialect,
  tool: string,
  p: BillingPeriod,
): Promise<{ period: BillingPeriod; frozen: null } | { period: null; frozen: StoredStatement }> {
  const frozen = (await db.all(overlapping.compile(db, { tool, start: p.start, end: p.end }))).map(storedStatement);
  if (frozen.length === 0) return { period: p, frozen: null };
  const covering = frozen.find((s) => s.periodStart.getTime() <= p.start.getTime());
  if (covering && covering.periodStart.getTime() === p.start.getTime()) return { period: null, frozen: covering };
  let start = p.start;
  let end = p.end;
  for (const s of frozen) {
    if (s.periodStart.getTime() <= start.getTime()) start = new Date(Math.max(start.getTime(), s.periodEnd.getTime()));
    else end = new Date(Math.min(end.getTime(), s.periodStart.getTime()));
  }
  if (start.getTime() >= end.getTime()) return { period: null, frozen: covering ?? frozen[0]! };
  return { period: { start, end }, frozen: null };
}
