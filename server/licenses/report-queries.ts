// The SQL behind reports and statements: it only loads aggregated rows; what they mean
// (utilisation, cents, labels, paging) is decided in reports.ts and statements.ts.
//
// The work stays in the database: a month of a busy pool is a million events, and shipping
// them to JavaScript would cost seconds. Every seat is one interval: an end event (returned,
// expired, revoked) carries its borrow's start (started_at, migration 20261201000000), and a
// seat still held is a row of borrows. So one range scan of license_events by (tool, at)
// yields every interval that overlaps [from, to), clipped to it; window functions (SUM OVER
// for the running seat count, MIN OVER for "did this caller get a seat afterwards",
// ROW_NUMBER for percentiles) work alike on SQLite and PostgreSQL. Times inside a query are
// seconds since `from` (doubles), so sums over a million rows stay exact to the millisecond.
import type Database from 'better-sqlite3';
import type { Prisma } from '../db/database.ts';
import { sqlTime } from '../db/sqlite.ts';
import { summarizeSeats, type SeatInterval } from './seat-stats.ts';

export type ReportGroupBy = 'pool' | 'team' | 'user' | 'project';
export type Dialect = 'sqlite' | 'postgresql';

/** Runs one read-only query; SQLite through the direct connection, PostgreSQL through Prisma. */
export interface ReportDb {
  dialect: Dialect;
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Rows as arrays (SQLite: far cheaper than objects for the seat intervals of a busy month). */
  rows?(sql: string, params: unknown[]): Promise<unknown[][]>;
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
    all: async (sql, params) => statement(sql, false).all(...params) as Record<string, unknown>[],
    rows: async (sql, params) => statement(sql, true).all(...params) as unknown[][],
  };
}

export function postgresReportDb(prisma: Prisma): ReportDb {
  return { dialect: 'postgresql', all: (sql, params) => prisma.$queryRawUnsafe(sql, ...params) };
}

/** Builds one statement's text and its parameters in the dialect's placeholder style. */
class Sql {
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
      // The team recorded with the row (pools with shares record it), else the user's team now.
      return { key: `COALESCE(${a}.team, m${a}.team)`, join: `LEFT JOIN team_members m${a} ON m${a}."user" = ${a}."user"` };
  }
}

export interface Window {
  from: Date;
  to: Date;
  now: Date;
  tool: string | null;
  groupBy: ReportGroupBy;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const key = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface SeatTotals {
  tool: string;
  group: string | null;
  seatSeconds: number;
  peak: number;
  expiries: number;
  revocations: number;
  first: number | null;
  last: number | null;
}
export interface SeatBucket {
  tool: string;
  group: string | null;
  bucket: number;
  /** Seats taken minus seats freed in the bucket. */
  delta: number;
  /** Sum of (+1 or -1) × seconds since `from` of those changes. */
  deltaTime: number;
}

/**
 * Seat intervals overlapping [from, to): per group the seat-seconds, peak concurrent seats,
 * expiries and revocations (ended inside the window), and, with `bucketSeconds`, per bucket
 * the seat changes (reports.ts integrates them into a usage series).
 */
export async function loadSeats(
  db: ReportDb,
  w: Window,
  bucketSeconds: number | null,
): Promise<{ totals: SeatTotals[]; buckets: SeatBucket[] }> {
  const q = new Sql(db.dialect, w.from.getTime() / 1000);
  const span = (w.to.getTime() - w.from.getTime()) / 1000;
  const end = Math.min(w.to.getTime(), w.now.getTime());
  const ge = groupKey(w.groupBy, 'e');
  const gb = groupKey(w.groupBy, 'b');
  const tool = (a: string) => (w.tool === null ? '' : `AND ${a}.tool = ${q.p(w.tool)}`);
  const ended = `
    SELECT e.tool AS tool, ${ge.key} AS grp,
      ${q.greatest(q.sec('e.started_at'), '0')} AS s, ${q.least(q.sec('e.at'), q.num(span))} AS f,
      CASE WHEN e.type = 'expired' AND e.at < ${q.time(w.to)} THEN 1 ELSE 0 END AS ex,
      CASE WHEN e.type = 'revoked' AND e.at < ${q.time(w.to)} THEN 1 ELSE 0 END AS rv
    FROM license_events e ${ge.join}
    WHERE e.at >= ${q.time(w.from)} ${tool('e')} AND e.type IN ('returned', 'expired', 'revoked') AND e.started_at < ${q.time(w.to)}`;
  const nil = db.dialect === 'sqlite' ? 'NULL' : 'CAST(NULL AS DOUBLE PRECISION)';
  const held = `
    SELECT b.tool, ${gb.key}, ${q.greatest(q.sec('b.borrowed_at'), '0')}, ${q.num((end - w.from.getTime()) / 1000)}, 0, 0
    FROM borrows b ${gb.join}
    WHERE b.borrowed_at < ${q.time(w.to)} ${tool('b')}`;
  if (db.rows) {
    // SQLite sorts slowly: it hands over the intervals and seat-stats.ts sums them up.
    const rows = await db.rows(`SELECT * FROM (${ended} UNION ALL ${held}) x WHERE f > s`, q.params);
    return summarizeSeats(rows as SeatInterval[], bucketSeconds);
  }
  // A pool's peak is in its events' `borrowed` column (below); a group's needs the running
  // count of its own seats: a window over its starts and ends in time order.
  const peak =
    w.groupBy === 'pool'
      ? ''
      : `UNION ALL
    SELECT 'peak', tool, grp, ${nil}, MAX(lvl), NULL, NULL, NULL, NULL, NULL FROM (
      SELECT tool, grp, SUM(dl) OVER (PARTITION BY tool, grp ORDER BY t, dl ROWS UNBOUNDED PRECEDING) AS lvl FROM d
    ) r GROUP BY tool, grp`;
  const bucket = bucketSeconds
    ? `UNION ALL
    SELECT 'bucket', tool, grp, k, SUM(dl), SUM(dl * t), NULL, NULL, NULL, NULL
    FROM (SELECT tool, grp, dl, t, floor(t / ${q.num(bucketSeconds)}) AS k FROM d) db GROUP BY tool, grp, k`
    : '';
  const sql = `
    WITH iv AS MATERIALIZED (SELECT * FROM (${ended} UNION ALL ${held}) x WHERE f > s),
    d AS MATERIALIZED (SELECT tool, grp, s AS t, 1 AS dl FROM iv UNION ALL SELECT tool, grp, f, -1 FROM iv)
    SELECT 'total' AS kind, tool, grp, ${nil} AS k, SUM(f - s) AS a, SUM(ex) AS b, SUM(rv) AS c, MIN(s) AS lo, MAX(f) AS hi,
      SUM(CASE WHEN s <= 0 THEN 1 ELSE 0 END) AS z
    FROM iv GROUP BY tool, grp
    ${peak}
    ${bucket}`;
  const rows = await db.all(sql, q.params);
  if (w.groupBy === 'pool') {
    // The most seats held after any event in the window, or those held as it began.
    const p = new Sql(db.dialect, 0);
    const peaks = await db.all(
      `SELECT e.tool, MAX(e.borrowed) AS peak FROM license_events e
      WHERE e.at >= ${p.time(w.from)} AND e.at < ${p.time(w.to)} ${w.tool === null ? '' : `AND e.tool = ${p.p(w.tool)}`}
      GROUP BY e.tool`,
      p.params,
    );
    for (const r of peaks) rows.push({ kind: 'peak', tool: r.tool, grp: '', a: r.peak });
  }
  const totals = new Map<string, SeatTotals>();
  const buckets: SeatBucket[] = [];
  const entry = (tool: string, group: string | null) => {
    const k = JSON.stringify([tool, group]);
    let t = totals.get(k);
    if (!t) {
      t = { tool, group, seatSeconds: 0, peak: 0, expiries: 0, revocations: 0, first: null, last: null };
      totals.set(k, t);
    }
    return t;
  };
  for (const r of rows) {
    const tool = String(r.tool);
    const group = key(r.grp);
    if (r.kind === 'total') {
      Object.assign(entry(tool, group), {
        seatSeconds: num(r.a),
        expiries: num(r.b),
        revocations: num(r.c),
        first: r.lo === null ? null : num(r.lo),
        last: r.hi === null ? null : num(r.hi),
      });
      const t = entry(tool, group);
      t.peak = Math.max(t.peak, num(r.z));
    } else if (r.kind === 'peak') {
      const t = entry(tool, group);
      t.peak = Math.max(t.peak, num(r.a));
    } else buckets.push({ tool, group, bucket: num(r.k), delta: num(r.a), deltaTime: num(r.b) });
  }
  return { totals: [...totals.values()], buckets };
}

export interface DenialCounts {
  tool: string;
  group: string | null;
  denials: number;
  /** Denials after which the same caller got a seat in the same pool within the grace. */
  retried: number;
}

/**
 * Denials in [from, to), split by whether the same user got a seat (borrowed, or granted
 * from the line) in the same pool within `graceSeconds` after: one probe per denial into
 * the partial index of seat-taking events by (tool, user, at) (migration 20261201000000).
 */
export async function loadDenials(db: ReportDb, w: Window, graceSeconds: number): Promise<DenialCounts[]> {
  const q = new Sql(db.dialect, 0);
  const ge = groupKey(w.groupBy, 'e');
  const grace =
    db.dialect === 'sqlite'
      ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', e.at, ${q.p(`+${graceSeconds} seconds`)})`
      : `e.at + ${q.num(graceSeconds)} * interval '1 second'`;
  const sql = `
    SELECT e.tool, ${ge.key} AS grp, COUNT(*) AS n, SUM(CASE WHEN EXISTS (
      SELECT 1 FROM license_events s
      WHERE s.tool = e.tool AND s."user" = e."user" AND s.type IN ('borrowed', 'granted') AND s.at >= e.at AND s.at <= ${grace}
    ) THEN 1 ELSE 0 END) AS retried
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

/** A pool's overage charges in [from, to), per team (recorded with the charge, else the user's team now). */
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
