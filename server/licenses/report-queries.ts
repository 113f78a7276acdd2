// The SQL behind reports and statements: denials, queue waits, overage per team, a pool's
// row; it only loads aggregated rows, and what they mean (utilisation, cents, labels, paging)
// is decided in reports.ts and statements.ts. Seat use (seat-hours, peaks, series) comes
// from seat_hours and the history through seat-usage.ts. Window functions (ROW_NUMBER for
// percentiles) and EXISTS probes work alike on SQLite and PostgreSQL.
import type Database from 'better-sqlite3';
import type { Prisma } from '../db/database.ts';
import { sqlTime } from '../db/sqlite.ts';

export type ReportGroupBy = 'pool' | 'team' | 'user' | 'project';
export type Dialect = 'sqlite' | 'postgresql';

/** Runs one read-only query; SQLite through the direct connection, PostgreSQL through Prisma. */
export interface ReportDb {
  dialect: Dialect;
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Rows as arrays (SQLite: far cheaper than objects for the seat intervals of a busy month). */
  rows?(sql: string, params: unknown[]): Promise<unknown[][]>;
  /** The connection writes go through (the seat-hour roll-up): one of the two. */
  sqlite?: Database.Database;
  prisma?: Prisma;
}

export function sqliteReportDb(db: Database.Database): ReportDb {
  const prepared = new Map<string, Database.Statement>();
  // Prepared once per text; raw (array) statements are kept apart, as raw() changes a statement.
  const statement = (sql: string, raw: boolean) => {
    const key = `${raw ? 'raw' : 'obj'}:${sql}`;
    let st = prepared.get(key);
    if (!st) {
      st = db.prepare(sql).raw(raw);
      prepared.set(key, st);
    }
    return st;
  };
  return {
    dialect: 'sqlite',
    sqlite: db,
    all: async (sql, params) => statement(sql, false).all(...params) as Record<string, unknown>[],
    rows: async (sql, params) => statement(sql, true).all(...params) as unknown[][],
  };
}

export function postgresReportDb(prisma: Prisma): ReportDb {
  return { dialect: 'postgresql', prisma, all: (sql, params) => prisma.$queryRawUnsafe(sql, ...params) };
}

/** Builds one statement's text and its parameters in the dialect's placeholder style. */
export class Sql {
  readonly params: unknown[] = [];
  constructor(
    readonly dialect: Dialect,
    private readonly fromSeconds: number,
  ) {}
  p(value: unknown): string {
    this.params.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.params.length}`;
  }
  /** An instant compared with a stored column (so the (tool, at) index is used). */
  time(d: Date): string {
    return this.dialect === 'sqlite' ? this.p(sqlTime(d)) : `CAST(${this.p(d.toISOString())} AS timestamp(3))`;
  }
  /** A stored instant as seconds since the report's `from`. */
  sec(col: string): string {
    return this.dialect === 'sqlite'
      ? `(unixepoch(${col}, 'subsec') - ${this.p(this.fromSeconds)})`
      : `(CAST(EXTRACT(EPOCH FROM ${col}) AS DOUBLE PRECISION) - ${this.p(this.fromSeconds)})`;
  }
  num(n: number): string {
    return this.dialect === 'sqlite' ? this.p(n) : `CAST(${this.p(n)} AS DOUBLE PRECISION)`;
  }
  greatest(a: string, b: string): string {
    return this.dialect === 'sqlite' ? `max(${a}, ${b})` : `GREATEST(${a}, ${b})`;
  }
  least(a: string, b: string): string {
    return this.dialect === 'sqlite' ? `min(${a}, ${b})` : `LEAST(${a}, ${b})`;
  }
}

/** The group's key for rows of table alias `a` (null: no team / no project; labelled later). */
function groupKey(by: ReportGroupBy, a: string): { key: string; join: string } {
  switch (by) {
    case 'pool':
      return { key: "''", join: '' };
    case 'user':
      return { key: `${a}."user"`, join: '' };
    case 'project':
      return { key: `${a}.project`, join: '' };
    case 'team':
      // The team recorded with the row when it happened, and only that: a charge, denial or
      // wait belongs where its seat was, never to a team its user joined later (seat-hours
      // count by the recorded team too, so a statement's lines agree with each other).
      return { key: `${a}.team`, join: '' };
  }
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
 * Denials in [from, to), split by whether the same user got a seat (borrowed, or granted
 * from the line) in the same pool within `graceSeconds` after: read from retry_seconds once
 * the roll-up settled it (migration 20261201030000), else one probe per denial into the
 * partial index of seat-taking events by (tool, user, at) (migration 20261201000000).
 */
export async function loadDenials(db: ReportDb, w: Window, graceSeconds: number): Promise<DenialCounts[]> {
  const q = new Sql(db.dialect, 0);
  const ge = groupKey(w.groupBy, 'e');
  const grace =
    db.dialect === 'sqlite'
      ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', e.at, ${q.p(`+${graceSeconds} seconds`)})`
      : `e.at + ${q.num(graceSeconds)} * interval '1 second'`;
  // Settled denials (retry_seconds, written by the seat-hour roll-up a day after) are counted
  // from the index alone; the last day's are probed.
  const sql = `
    SELECT e.tool, ${ge.key} AS grp, COUNT(*) AS n, SUM(CASE
      WHEN e.retry_seconds IS NULL THEN CASE WHEN EXISTS (
        SELECT 1 FROM license_events s
        WHERE s.tool = e.tool AND s."user" = e."user" AND s.type IN ('borrowed', 'granted') AND s.at >= e.at AND s.at <= ${grace}
      ) THEN 1 ELSE 0 END
      WHEN e.retry_seconds >= 0 AND e.retry_seconds <= ${q.num(graceSeconds)} THEN 1 ELSE 0 END) AS retried
    FROM license_events e ${ge.join}
    WHERE e.at >= ${q.time(w.from)} AND e.at < ${q.time(w.to)} ${w.tool === null ? '' : `AND e.tool = ${q.p(w.tool)}`}
      AND e.type = 'denied'
    GROUP BY 1, 2`; // by position: the pool's key is a constant, which PostgreSQL refuses by name
  const rows = await db.all(sql, q.params);
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

/** Waits from queued to granted of tickets granted in [from, to), with nearest-rank p50 and p95. */
export async function loadQueueWaits(db: ReportDb, w: Window): Promise<QueueWaits[]> {
  const q = new Sql(db.dialect, 0);
  const gq = groupKey(w.groupBy, 'q');
  // Parameters are bound in the order they appear (SQLite's ?): built left to right.
  const sql = `
    WITH wt AS (
      SELECT q.tool, ${gq.key} AS grp, ${q.sec('q.ended_at')} - ${q.sec('q.queued_at')} AS wait
      FROM queue_tickets q ${gq.join}
      WHERE q.ended_at >= ${q.time(w.from)} AND q.ended_at < ${q.time(w.to)} AND q.state = 'granted'
        ${w.tool === null ? '' : `AND q.tool = ${q.p(w.tool)}`}
    ),
    r AS (
      SELECT tool, grp, wait, ROW_NUMBER() OVER (PARTITION BY tool, grp ORDER BY wait) AS rn, COUNT(*) OVER (PARTITION BY tool, grp) AS n
      FROM wt
    )
    SELECT tool, grp, MAX(n) AS n,
      MAX(CASE WHEN rn = (n + 1) / 2 THEN wait END) AS p50,
      MAX(CASE WHEN rn = (95 * n + 99) / 100 THEN wait END) AS p95
    FROM r GROUP BY tool, grp`;
  const rows = await db.all(sql, q.params);
  return rows.map((r) => ({ tool: String(r.tool), group: key(r.grp), count: num(r.n), p50: num(r.p50), p95: num(r.p95) }));
}

export interface OverageByGroup {
  group: string | null;
  amount: number;
  charges: number;
}

/** A pool's overage charges in [from, to), per team (the borrower's team recorded with the charge; null: none). */
export async function loadOverageByTeam(db: ReportDb, tool: string, from: Date, to: Date): Promise<OverageByGroup[]> {
  const q = new Sql(db.dialect, 0);
  const g = groupKey('team', 'c');
  const sql = `
    SELECT ${g.key} AS grp, SUM(c.amount) AS amount, COUNT(*) AS n
    FROM overage_charges c ${g.join}
    WHERE c.tool = ${q.p(tool)} AND c.charged_at >= ${q.time(from)} AND c.charged_at < ${q.time(to)}
    GROUP BY ${g.key}`;
  const rows = await db.all(sql, q.params);
  return rows.map((r) => ({ group: key(r.grp), amount: num(r.amount), charges: num(r.n) }));
}

/**
 * A pool's row with whatever columns it has: billing_day comes with the billing settings
 * (another migration); until it exists every pool is billed from the 1st.
 */
export async function loadPoolRow(db: ReportDb, tool: string): Promise<Record<string, unknown> | null> {
  const q = new Sql(db.dialect, 0);
  const rows = await db.all(`SELECT * FROM tools WHERE name = ${q.p(tool)} AND retired_at IS NULL`, q.params);
  return rows[0] ?? null;
}
