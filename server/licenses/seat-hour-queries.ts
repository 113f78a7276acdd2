// The SQL of seat-hours (migration 20261201030000): it loads seat changes from the history and
// rows of seat_hours, and saves rolled-up hours; what they mean is decided in seat-hours.ts
// (integration), seat-rollup.ts (which hours, when) and seat-usage.ts (reports' windows).
import { sqlTime as sqlTimeOf } from '../db/sqlite.ts';
import type { ReportDb } from './report-queries.ts';
import { num, Sql } from './report-queries.ts';
import type { GroupCells, SeatChange, SeatDim, SeatLevel } from './seat-hours.ts';
import { byTimeEndsFirst } from './seat-hours.ts';

export const HOUR = 3600;
/** PostgreSQL advisory lock key of the roll-up's writes (saving hours, forgetting them). */
const ROLLUP_LOCK = 7723011;
const END_TYPES = "('returned', 'expired', 'revoked')";
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Hours rolled up: [first, through); null before the first roll-up. */
export async function rolledHours(db: ReportDb): Promise<{ first: number; through: number } | null> {
  const r = (await db.all('SELECT MIN(hour) AS lo, MAX(hour) AS hi FROM seat_hour_marks', []))[0];
  return r && r.hi !== null && r.hi !== undefined ? { first: num(r.lo), through: num(r.hi) + 1 } : null;
}

/** The earliest start (seconds) of any seat, ended or held: where the first roll-up begins. */
export async function firstSeatAt(db: ReportDb): Promise<number | null> {
  const q = new Sql(db.dialect, 0);
  const r = (
    await db.all(
      `SELECT (SELECT ${q.sec('MIN(started_at)')} FROM license_events WHERE type IN ${END_TYPES}) AS e,
        (SELECT ${q.sec('MIN(borrowed_at)')} FROM borrows) AS b`,
      q.params,
    )
  )[0]!;
  const times = [numOrNull(r.e), numOrNull(r.b)].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

const END_KIND: Record<string, SeatChange['end']> = { returned: 'returned', expired: 'expired', revoked: 'revoked' };

/**
 * Seat changes in [from, to) (seconds), of one pool or all, in the order integrate() needs.
 * A seat is its end event (which carries the start) or, while held, its row of borrows: one
 * statement reads both, so a seat that ends meanwhile is seen once, as one or the other.
 */
export async function seatChanges(db: ReportDb, from: number, to: number, tool: string | null): Promise<SeatChange[]> {
  const q = new Sql(db.dialect, 0);
  const a = new Date(from * 1000);
  const b = new Date(to * 1000);
  const ofTool = (alias: string) => (tool === null ? '' : `AND ${alias}.tool = ${q.p(tool)}`);
  // Built left to right: SQLite binds its ? placeholders in the order they appear. A seat of
  // no length (or less: clocks) is no seat at all, its start and end both left out.
  let sql = `SELECT ${q.sec('e.at')} AS t, e.type AS kind, e.tool, e."user", e.team, e.project FROM license_events e
    WHERE e.at >= ${q.time(a)} AND e.at < ${q.time(b)} ${ofTool('e')} AND e.type IN ${END_TYPES}
      AND (e.started_at IS NULL OR e.started_at < e.at)`;
  sql += ` UNION ALL SELECT ${q.sec('e.started_at')}, 'start', e.tool, e."user", e.team, e.project FROM license_events e
    WHERE e.started_at >= ${q.time(a)} AND e.started_at < ${q.time(b)} ${ofTool('e')} AND e.type IN ${END_TYPES}
      AND e.started_at < e.at`;
  sql += ` UNION ALL SELECT ${q.sec('b.borrowed_at')}, 'start', b.tool, b."user", b.team, b.project FROM borrows b
    WHERE b.borrowed_at >= ${q.time(a)} AND b.borrowed_at < ${q.time(b)} ${ofTool('b')}`;
  const rows = db.rows
    ? await db.rows(sql, q.params)
    : (await db.all(sql, q.params)).map((r) => [r.t, r.kind, r.tool, r.user, r.team, r.project]);
  const changes = rows.map(
    ([t, kind, tl, user, team, project]): SeatChange => ({
      t: Number(t),
      tool: String(tl),
      user: String(user ?? ''),
      team: (team as string | null) ?? null,
      project: (project as string | null) ?? null,
      d: kind === 'start' ? 1 : -1,
      end: END_KIND[String(kind)] ?? null,
    }),
  );
  return changes.sort(byTimeEndsFirst);
}

/** Seats held as `hour` starts: the end levels of the hour before (rolled up). */
export async function levelsAt(db: ReportDb, hour: number, tool: string | null, dim: SeatDim | null): Promise<SeatLevel[]> {
  const q = new Sql(db.dialect, 0);
  const rows = await db.all(
    `SELECT tool, dim, grp, end_level FROM seat_hours WHERE hour = ${q.p(hour - 1)} AND end_level <> 0
      ${tool === null ? '' : `AND tool = ${q.p(tool)}`} ${dim === null ? '' : `AND dim = ${q.p(dim)}`}`,
    q.params,
  );
  return rows.map((r) => ({ tool: String(r.tool), dim: r.dim as SeatDim, grp: String(r.grp), level: num(r.end_level) }));
}

type Row = [string, number, string, string, number, number, number, number, number, number, number | null, number | null];
const toRows = (groups: GroupCells[]): Row[] =>
  groups.flatMap((g) =>
    [...g.cells].map(
      ([hour, c]): Row => [
        ...([g.tool, hour, g.dim, g.grp, c.seatSeconds, c.peak, c.startLevel, c.endLevel] as const),
        ...([c.expiries, c.revocations, c.firstAt, c.lastAt] as const),
      ],
    ),
  );

/**
 * Saves hours [from, to) and their marks in one transaction, if the hours before are exactly
 * those rolled up (`first`: none are): another process that rolled them first wins, and
 * this one answers false.
 */
export async function saveHours(db: ReportDb, from: number, to: number, groups: GroupCells[], first: boolean, now: Date): Promise<boolean> {
  const rows = toRows(groups);
  const expected = (hi: unknown) => (first ? hi === null || hi === undefined : hi !== null && hi !== undefined && Number(hi) === from - 1);
  if (db.sqlite) {
    const d = db.sqlite;
    const insert = d.prepare(`INSERT INTO seat_hours (tool, hour, dim, grp, seat_seconds, peak, start_level, end_level, expiries,
      revocations, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const mark = d.prepare('INSERT INTO seat_hour_marks (hour, rolled_at) VALUES (?, ?)');
    return d
      .transaction(() => {
        const hi = d.prepare('SELECT MAX(hour) FROM seat_hour_marks').pluck().get();
        if (!expected(hi)) return false;
        for (const r of rows) insert.run(...r);
        for (let h = from; h < to; h++) mark.run(h, now.toISOString().replace('Z', '+00:00'));
        return true;
      })
      .immediate();
  }
  const prisma = db.prisma!;
  return prisma.$transaction(
    async (tx) => {
      // One roll-up at a time across processes; the others find the hours done.
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
      const hi = (await tx.$queryRawUnsafe<{ hi: number | null }[]>('SELECT MAX(hour) AS hi FROM seat_hour_marks'))[0]?.hi;
      if (!expected(hi)) return false;
      const cols = Array.from({ length: 12 }, (_, i) => rows.map((r) => r[i]));
      for (let i = 0; i < rows.length; i += 5000) {
        const part = cols.map((c) => c.slice(i, i + 5000));
        await tx.$executeRawUnsafe(
          `INSERT INTO seat_hours (tool, hour, dim, grp, seat_seconds, peak, start_level, end_level, expiries, revocations, first_at, last_at)
          SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::int[], $7::int[], $8::int[],
            $9::int[], $10::int[], $11::float8[], $12::float8[])`,
          ...part,
        );
      }
      await tx.$executeRawUnsafe(
        'INSERT INTO seat_hour_marks (hour, rolled_at) SELECT h, $3 FROM generate_series($1::int, $2::int - 1) h',
        from,
        to,
        now,
      );
      return true;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/** How far after a denial a seat may come and still make it retried: the longest grace a
 *  report may ask (reports.ts's REPORT_LIMITS.trueDenialMinutes.max is this, in minutes). */
export const RETRY_HORIZON_SECONDS = 86_400;

/**
 * Settles the denials before `before` (seconds) not settled yet: how long until the same user
 * got a seat (borrowed, or granted from the line) in the same pool, -1 if not within
 * RETRY_HORIZON_SECONDS. Called for denials at least that old, so the answer is final. One
 * probe each into the partial index of seat-taking events by (tool, user, at).
 */
export async function settleDenials(db: ReportDb, before: number): Promise<number> {
  const cutoff = new Date(before * 1000);
  if (db.sqlite) {
    return db.sqlite
      .prepare(
        `UPDATE license_events SET retry_seconds = coalesce((
          SELECT round(unixepoch(min(s.at), 'subsec') - unixepoch(license_events.at, 'subsec'), 3) FROM license_events s
          WHERE s.tool = license_events.tool AND s."user" = license_events."user" AND s.type IN ('borrowed', 'granted')
            AND s.at >= license_events.at AND s.at <= strftime('%Y-%m-%dT%H:%M:%f+00:00', license_events.at, '+${RETRY_HORIZON_SECONDS} seconds')
        ), -1)
        WHERE type = 'denied' AND retry_seconds IS NULL AND at < ?`,
      )
      .run(sqlTimeOf(cutoff)).changes;
  }
  return db.prisma!.$executeRawUnsafe(
    `UPDATE license_events e SET retry_seconds = coalesce((
      SELECT round(CAST(EXTRACT(EPOCH FROM min(s.at) - e.at) AS numeric), 3) FROM license_events s
      WHERE s.tool = e.tool AND s."user" = e."user" AND s.type IN ('borrowed', 'granted')
        AND s.at >= e.at AND s.at <= e.at + interval '${RETRY_HORIZON_SECONDS} seconds'
    ), -1)
    WHERE e.type = 'denied' AND e.retry_seconds IS NULL AND e.at < CAST($1 AS timestamp(3))`,
    cutoff.toISOString(),
  );
}

/** Forgets hours from `hour` on (an event was written into an hour already rolled up): they are
 *  rolled up again, and the denials of the day before settled again. */
export async function forgetHoursFrom(db: ReportDb, hour: number): Promise<void> {
  // A seat taken late may follow a denial of the day before: those are settled again too.
  const reopenFrom = new Date(Math.max(0, hour * HOUR - RETRY_HORIZON_SECONDS) * 1000);
  if (db.sqlite) {
    const d = db.sqlite;
    d.transaction(() => {
      d.prepare('DELETE FROM seat_hours WHERE hour >= ?').run(hour);
      d.prepare('DELETE FROM seat_hour_marks WHERE hour >= ?').run(hour);
      d.prepare("UPDATE license_events SET retry_seconds = NULL WHERE type = 'denied' AND retry_seconds IS NOT NULL AND at >= ?").run(
        sqlTimeOf(reopenFrom),
      );
    }).immediate();
    return;
  }
  await db.prisma!.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`); // not while another process saves hours
    await tx.$executeRawUnsafe('DELETE FROM seat_hours WHERE hour >= $1', hour);
    await tx.$executeRawUnsafe('DELETE FROM seat_hour_marks WHERE hour >= $1', hour);
    await tx.$executeRawUnsafe(
      "UPDATE license_events SET retry_seconds = NULL WHERE type = 'denied' AND retry_seconds IS NOT NULL AND at >= CAST($1 AS timestamp(3))",
      reopenFrom.toISOString(),
    );
  });
}

/** Deletes rolled-up hours before `hour` (event retention deletes their history too). */
export async function pruneHoursBefore(db: ReportDb, hour: number): Promise<void> {
  if (db.sqlite) {
    db.sqlite.prepare('DELETE FROM seat_hours WHERE hour < ?').run(hour);
    db.sqlite.prepare('DELETE FROM seat_hour_marks WHERE hour < ?').run(hour);
    return;
  }
  await db.prisma!.$executeRawUnsafe('DELETE FROM seat_hours WHERE hour < $1', hour);
  await db.prisma!.$executeRawUnsafe('DELETE FROM seat_hour_marks WHERE hour < $1', hour);
}

/** Which rolled hours a report reads: [from, to) of one pool or all, for one dimension, only
 *  hours wholly inside one chart bucket (bucket of ms since `originMs`) when there is a chart. */
export interface HourRange {
  tool: string | null;
  dim: SeatDim;
  from: number;
  to: number;
  bucket: { originMs: number; sizeMs: number } | null;
}

// Built left to right: SQLite binds its ? placeholders in the order they appear.
function whereHours(q: Sql, r: HourRange): string {
  let sql = `dim = ${q.p(r.dim)} AND hour >= ${q.p(r.from)} AND hour < ${q.p(r.to)}`;
  if (r.tool !== null) sql += ` AND tool = ${q.p(r.tool)}`;
  if (r.bucket) sql += ` AND ${bucketOf(q, r.bucket, 'hour')} = ${bucketOf(q, r.bucket, 'hour + 1', -1)}`;
  return sql;
}

/** The chart bucket (whole division) an hour's start, or its end less 1 ms, falls in. */
function bucketOf(q: Sql, b: { originMs: number; sizeMs: number }, hour: string, plusMs = 0): string {
  const big = (v: string) => `CAST(${v} AS ${q.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'})`;
  return `((${big(`(${hour})`)} * 3600000 + ${plusMs} - ${big(q.p(b.originMs))}) / ${big(q.p(b.sizeMs))})`;
}

/** The rolled hours' sums per pool, group and chart bucket (k; 0 without a chart). */
export interface HourCell {
  tool: string;
  grp: string;
  k: number;
  seatSeconds: number;
  peak: number;
  expiries: number;
  revocations: number;
  firstAt: number | null;
  lastAt: number | null;
}

/**
 * One pass over the rolled hours. seat_hours is ordered by pool, dimension, group and hour
 * (SQLite: WITHOUT ROWID, so that is its storage order): SQLite hands the rows over in that
 * order and they are summed here (its GROUP BY on a computed bucket sorts every row, about
 * 1.5x slower for a month of 500 users); PostgreSQL sums them (hash aggregate).
 */
export async function hourCells(db: ReportDb, r: HourRange): Promise<HourCell[]> {
  const q = new Sql(db.dialect, 0);
  if (db.rows) {
    const where = whereHours(q, r);
    const rows = await db.rows(
      `SELECT tool, grp, hour, seat_seconds, peak, expiries, revocations, first_at, last_at FROM seat_hours WHERE ${where}`,
      q.params,
    );
    const cells = new Map<string, HourCell>();
    const b = r.bucket;
    type Row = [string, string, number, number, number, number, number, number | null, number | null];
    // Rows of one cell come one after another (storage order): the map is asked once per cell.
    let last: HourCell | undefined;
    for (const [tool, grp, hour, ss, pk, ex, rv, lo, hi] of rows as Row[]) {
      const k = b ? Math.floor((hour * 3_600_000 - b.originMs) / b.sizeMs) : 0;
      let c = last && last.k === k && last.grp === grp && last.tool === tool ? last : undefined;
      if (!c) {
        const key = `${tool}\u0000${grp}\u0000${k}`;
        c = cells.get(key);
        if (!c) {
          last = { tool, grp, k, seatSeconds: ss, peak: pk, expiries: ex, revocations: rv, firstAt: lo, lastAt: hi };
          cells.set(key, last);
          continue;
        }
      }
      last = c;
      c.seatSeconds += ss;
      if (pk > c.peak) c.peak = pk;
      c.expiries += ex;
      c.revocations += rv;
      if (lo !== null && (c.firstAt === null || lo < c.firstAt)) c.firstAt = lo;
      if (hi !== null && (c.lastAt === null || hi > c.lastAt)) c.lastAt = hi;
    }
    return [...cells.values()];
  }
  const k = r.bucket ? bucketOf(q, r.bucket, 'hour') : '0';
  const where = whereHours(q, r);
  const rows = await db.all(
    `SELECT tool, grp, ${k} AS k, SUM(seat_seconds) AS ss, MAX(peak) AS pk, SUM(expiries) AS ex, SUM(revocations) AS rv,
      MIN(first_at) AS lo, MAX(last_at) AS hi
    FROM seat_hours WHERE ${where} GROUP BY 1, 2, 3`,
    q.params,
  );
  return rows.map((x) => ({
    ...{ tool: String(x.tool), grp: String(x.grp), k: num(x.k), seatSeconds: num(x.ss), peak: num(x.pk), expiries: num(x.ex) },
    ...{ revocations: num(x.rv), firstAt: numOrNull(x.lo), lastAt: numOrNull(x.hi) },
  }));
}
