// The SQL behind reports and statements: denials, queue waits, overage per team, a pool's
// row; it only loads aggregated rows, and what they mean (utilisation, cents, labels, paging)
// is decided in reports.ts and statements.ts. Seat use (seat-hours, peaks, series) comes
// from seat_hours and the history through seat-usage.ts. Written once with Kysely against the
// generated table types (sql.ts compiles them per database); what differs — seconds from a
// stored time, a time plus seconds — is the dialect's (dialects/). Window functions
// (ROW_NUMBER for percentiles) and EXISTS probes work alike on SQLite and PostgreSQL.
import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './dialects/dialect.ts';
import { dynamic, statement } from './sql.ts';

export type ReportGroupBy = 'pool' | 'team' | 'user' | 'project';

/** What reports read through: the store's own dialect (one connection program per database). */
export type ReportDb = Dialect;

/**
 * The group's key for rows of table alias `a` (null: no team / no project; labelled later).
 * The team is the one recorded with the row when it happened, and only that: a charge, denial
 * or wait belongs where its seat was, never to a team its user joined later (seat-hours count
 * by the recorded team too, so a statement's lines agree with each other).
 */
function groupKey(by: ReportGroupBy, a: 'e' | 'q' | 'c'): RawBuilder<string | null> {
  return by === 'pool' ? sql<string>`''` : sql.ref<string | null>(`${a}.${by}`);
}

export interface Window {
  from: Date;
  to: Date;
  now: Date;
  tool: string | null;
  groupBy: ReportGroupBy;
}

/** A number from a row (SQLite and PostgreSQL drivers answer numbers, bigints or numeric strings); null as 0. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const key = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface DenialCounts {
  tool: string;
  group: string | null;
  denials: number;
  /** Denials after which the same caller got a seat in the same pool within the grace. */
  retried: number;
}

/**
 * Seat-taking events: a literal in the statement (as every constant a partial index is
 * defined with), so the planner may use the partial index (a parameter it cannot prove equal).
 */
export const SEAT_TAKEN = [sql.lit('borrowed'), sql.lit('granted')];

// GROUP BY by position: the pool's key is a constant, which PostgreSQL refuses by name.
const FIRST_TWO = [sql`1`, sql`2`];

const denials = dynamic((db, a: { w: Window; grace: number }, t) => {
  const { w, grace } = a;
  // Settled denials (retry_seconds, written by the seat-hour roll-up a day after) are counted
  // from the index alone; the last day's are probed.
  const probe = db
    .selectFrom('license_events as s')
    .select(sql`1`.as('one'))
    .where('s.tool', '=', sql.ref<string>('e.tool'))
    .where('s.user', '=', sql.ref<string>('e.user'))
    .where('s.type', 'in', SEAT_TAKEN)
    .where('s.at', '>=', sql.ref<Date>('e.at'))
    .where('s.at', '<=', t.plusSeconds(sql.ref('e.at'), grace));
  let q = db
    .selectFrom('license_events as e')
    .select([
      'e.tool',
      groupKey(w.groupBy, 'e').as('grp'),
      sql<number>`COUNT(*)`.as('n'),
      sql<number>`SUM(CASE
        WHEN e.retry_seconds IS NULL THEN CASE WHEN EXISTS ${probe} THEN 1 ELSE 0 END
        WHEN e.retry_seconds >= 0 AND e.retry_seconds <= ${grace} THEN 1 ELSE 0 END)`.as('retried'),
    ])
    .where('e.at', '>=', w.from)
    .where('e.at', '<', w.to)
    .where('e.type', '=', sql.lit('denied'));
  if (w.tool !== null) q = q.where('e.tool', '=', w.tool);
  return q.groupBy(FIRST_TWO);
});

/**
 * Denials in [from, to), split by whether the same user got a seat (borrowed, or granted
 * from the line) in the same pool within `graceSeconds` after: read from retry_seconds once
 * the roll-up settled it (migration 20261201030000), else one probe per denial into the
 * partial index of seat-taking events by (tool, user, at) (migration 20261201000000).
 */
export async function loadDenials(db: ReportDb, w: Window, graceSeconds: number): Promise<DenialCounts[]> {
  const rows = await db.all(denials.compile(db, { w, grace: graceSeconds }));
  return rows.map((r) => ({ tool: String(r.tool), group: key(r.grp), denials: num(r.n), retried: num(r.retried) }));
}

export interface QueueWaits {
  tool: string;
  group: string | null;
  count: number;
  /** Nearest-rank percentiles, seconds. */
  p50: number;
  p95: number;
}

const queueWaits = dynamic((db, w: Window, t) =>
  db
    .with('wt', (db) => {
      let q = db
        .selectFrom('queue_tickets as q')
        .select([
          'q.tool',
          groupKey(w.groupBy, 'q').as('grp'),
          sql<number>`${t.seconds(sql.ref('q.ended_at'))} - ${t.seconds(sql.ref('q.queued_at'))}`.as('wait'),
        ])
        .where('q.ended_at', '>=', w.from)
        .where('q.ended_at', '<', w.to)
        .where('q.state', '=', sql.lit('granted'));
      if (w.tool !== null) q = q.where('q.tool', '=', w.tool);
      return q;
    })
    .with('r', (db) =>
      db
        .selectFrom('wt')
        .select([
          'tool',
          'grp',
          'wait',
          sql<number>`ROW_NUMBER() OVER (PARTITION BY tool, grp ORDER BY wait)`.as('rn'),
          sql<number>`COUNT(*) OVER (PARTITION BY tool, grp)`.as('n'),
        ]),
    )
    .selectFrom('r')
    .select([
      'tool',
      'grp',
      sql<number>`MAX(n)`.as('n'),
      sql<number>`MAX(CASE WHEN rn = (n + 1) / 2 THEN wait END)`.as('p50'),
      sql<number>`MAX(CASE WHEN rn = (95 * n + 99) / 100 THEN wait END)`.as('p95'),
    ])
    .groupBy(['tool', 'grp']),
);

/** Waits from queued to granted of tickets granted in [from, to), with nearest-rank p50 and p95. */
export async function loadQueueWaits(db: ReportDb, w: Window): Promise<QueueWaits[]> {
  const rows = await db.all(queueWaits.compile(db, w));
  return rows.map((r) => ({ tool: String(r.tool), group: key(r.grp), count: num(r.n), p50: num(r.p50), p95: num(r.p95) }));
}

export interface OverageByGroup {
  group: string | null;
  amount: number;
  charges: number;
}

const overageByTeam = statement((db, $: { tool: string; from: Date; to: Date }) =>
  db
    .selectFrom('overage_charges as c')
    .select(['c.team as grp', sql<number>`SUM(c.amount)`.as('amount'), sql<number>`COUNT(*)`.as('n')])
    .where('c.tool', '=', $.tool)
    .where('c.charged_at', '>=', $.from)
    .where('c.charged_at', '<', $.to)
    .groupBy('c.team'),
);

/** A pool's overage charges in [from, to), per team (the borrower's team recorded with the charge; null: none). */
export async function loadOverageByTeam(db: ReportDb, tool: string, from: Date, to: Date): Promise<OverageByGroup[]> {
  const rows = await db.all(overageByTeam.compile(db, { tool, from, to }));
  return rows.map((r) => ({ group: key(r.grp), amount: num(r.amount), charges: num(r.n) }));
}

const poolRow = statement((db, $: { tool: string }) =>
  db.selectFrom('tools').selectAll().where('name', '=', $.tool).where('retired_at', 'is', null),
);

/** A pool's row, every column (billing_day among them). */
export async function loadPoolRow(db: ReportDb, tool: string): Promise<Record<string, unknown> | null> {
  return (await db.all(poolRow.compile(db, { tool })))[0] ?? null;
}
