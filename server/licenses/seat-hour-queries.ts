// The SQL of seat-hours (migration 20261201030000): it loads seat changes from the history and
// rows of seat_hours, and saves rolled-up hours; what they mean is decided in seat-hours.ts
// (integration), seat-rollup.ts (which hours, when) and seat-usage.ts (reports' windows).
// Written once with Kysely against the generated table types (sql.ts compiles them per
// database); what differs — seconds from a stored time, the roll-up's cross-process lock — is
// the dialect's (dialects/).
import { type Expression, type Insertable, type Kysely, sql } from 'kysely';
import type { DB, SeatHour } from '../db/tables.ts';
import type { ReportDb } from './report-queries.ts';
import { num, SEAT_TAKEN } from './report-queries.ts';
import type { GroupCells, SeatChange, SeatDim, SeatLevel } from './seat-hours.ts';
import { byTimeEndsFirst } from './seat-hours.ts';
import { dynamic, statement } from './sql.ts';

export const HOUR = 3600;
/** The key the roll-up's writes (saving hours, forgetting them) take turns on across processes. */
const ROLLUP_LOCK = 7723011;
/** Literals, not parameters: the partial indexes of seat ends are defined with them. */
const END_TYPES = [sql.lit('returned'), sql.lit('expired'), sql.lit('revoked')];
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const marks = statement((db) =>
  db.selectFrom('seat_hour_marks').select([sql<number>`MIN(hour)`.as('lo'), sql<number>`MAX(hour)`.as('hi')]),
);

/** Hours rolled up: [first, through); null before the first roll-up. */
export async function rolledHours(db: ReportDb): Promise<{ first: number; through: number } | null> {
  const r = (await db.all(marks.compile(db, {})))[0];
  return r && r.hi !== null && r.hi !== undefined ? { first: num(r.lo), through: num(r.hi) + 1 } : null;
}

const firstSeat = statement((db, _: object, t) =>
  db.selectNoFrom([
    db.selectFrom('license_events').select(t.seconds(sql`MIN(started_at)`).as('s')).where('type', 'in', END_TYPES).as('e'),
    db.selectFrom('borrows').select(t.seconds(sql`MIN(borrowed_at)`).as('s')).as('b'),
  ]),
);

/** The earliest start (seconds) of any seat, ended or held: where the first roll-up begins. */
export async function firstSeatAt(db: ReportDb): Promise<number | null> {
  const r = (await db.all(firstSeat.compile(db, {})))[0]!;
  const times = [numOrNull(r.e), numOrNull(r.b)].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

const END_KIND: Record<string, SeatChange['end']> = { returned: 'returned', expired: 'expired', revoked: 'revoked' };

// A seat of no length (or less: clocks) is no seat at all, its start and end both left out.
const changes = dynamic((db, a: { from: Date; to: Date; tool: string | null }, t) => {
  const ends = db
    .selectFrom('license_events as e')
    .select([t.seconds(sql.ref('e.at')).as('t'), 'e.type as kind', 'e.tool', 'e.user', 'e.team', 'e.project'])
    .where('e.at', '>=', a.from)
    .where('e.at', '<', a.to)
    .$if(a.tool !== null, (q) => q.where('e.tool', '=', a.tool!))
    .where('e.type', 'in', END_TYPES)
    .where((eb) => eb.or([eb('e.started_at', 'is', null), eb('e.started_at', '<', eb.ref('e.at'))]));
  const starts = db
    .selectFrom('license_events as e')
    .select([t.seconds(sql.ref('e.started_at')).as('t'), sql<string>`'start'`.as('kind'), 'e.tool', 'e.user', 'e.team', 'e.project'])
    .where('e.started_at', '>=', a.from)
    .where('e.started_at', '<', a.to)
    .$if(a.tool !== null, (q) => q.where('e.tool', '=', a.tool!))
    .where('e.type', 'in', END_TYPES)
    .whereRef('e.started_at', '<', 'e.at');
  const held = db
    .selectFrom('borrows as b')
    .select([t.seconds(sql.ref('b.borrowed_at')).as('t'), sql<string>`'start'`.as('kind'), 'b.tool', 'b.user', 'b.team', 'b.project'])
    .where('b.borrowed_at', '>=', a.from)
    .where('b.borrowed_at', '<', a.to)
    .$if(a.tool !== null, (q) => q.where('b.tool', '=', a.tool!));
  return ends.unionAll(starts).unionAll(held);
});

/**
 * Seat changes in [from, to) (seconds), of one pool or all, in the order integrate() needs.
 * A seat is its end event (which carries the start) or, while held, its row of borrows: one
 * statement reads both, so a seat that ends meanwhile is seen once, as one or the other.
 */
export async function seatChanges(db: ReportDb, from: number, to: number, tool: string | null): Promise<SeatChange[]> {
  const rows = await db.rows(changes.compile(db, { from: new Date(from * 1000), to: new Date(to * 1000), tool }));
  const changes_ = rows.map(
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
  return changes_.sort(byTimeEndsFirst);
}

const levels = dynamic((db, a: { hour: number; tool: string | null; dim: SeatDim | null }) =>
  db
    .selectFrom('seat_hours')
    .select(['tool', 'dim', 'grp', 'end_level'])
    .where('hour', '=', a.hour - 1)
    .where('end_level', '<>', sql.lit(0))
    .$if(a.tool !== null, (q) => q.where('tool', '=', a.tool!))
    .$if(a.dim !== null, (q) => q.where('dim', '=', a.dim!)),
);

/** Seats held as `hour` starts: the end levels of the hour before (rolled up). */
export async function levelsAt(db: ReportDb, hour: number, tool: string | null, dim: SeatDim | null): Promise<SeatLevel[]> {
  const rows = await db.all(levels.compile(db, { hour, tool, dim }));
  return rows.map((r) => ({ tool: String(r.tool), dim: r.dim as SeatDim, grp: String(r.grp), level: num(r.end_level) }));
}

type HourRow = Insertable<SeatHour>;
const HOUR_COLUMNS = [
  ...['tool', 'hour', 'dim', 'grp', 'seat_seconds', 'peak', 'start_level', 'end_level'],
  ...['expiries', 'revocations', 'first_at', 'last_at'],
] as const;
/** Every row's values in HOUR_COLUMNS order, one flat list: the INSERTs' arguments by position. */
const toValues = (groups: GroupCells[]): unknown[] => {
  const values: unknown[] = [];
  for (const g of groups) {
    for (const [hour, c] of g.cells) {
      values.push(g.tool, hour, g.dim, g.grp, c.seatSeconds, c.peak, c.startLevel, c.endLevel);
      values.push(c.expiries, c.revocations, c.firstAt, c.lastAt);
    }
  }
  return values;
};

/** Rows saved per INSERT: one statement text, prepared once, for all but the last few rows. */
const ROWS_PER_INSERT = 200;
/** An INSERT of n rows whose arguments are a flat list (placeholder k is argument k). */
const insertHours = (n: number) =>
  statement((db, $: unknown[]) =>
    db
      .insertInto('seat_hours')
      .values(
        Array.from({ length: n }, (_, i) => Object.fromEntries(HOUR_COLUMNS.map((c, j) => [c, $[i * HOUR_COLUMNS.length + j]])) as HourRow),
      ),
  );
const insertHourBatch = insertHours(ROWS_PER_INSERT);
const insertHour = insertHours(1);
const lastMark = statement((db) => db.selectFrom('seat_hour_marks').select(sql<number>`MAX(hour)`.as('hi')));
const insertMark = statement((db, $: { hour: number; at: Date }) =>
  db.insertInto('seat_hour_marks').values({ hour: $.hour, rolled_at: $.at }),
);

/**
 * Saves hours [from, to) and their marks in one transaction, if the hours before are exactly
 * those rolled up (`first`: none are): another process that rolled them first wins, and
 * this one answers false.
 */
export async function saveHours(db: ReportDb, from: number, to: number, groups: GroupCells[], first: boolean, now: Date): Promise<boolean> {
  const values = toValues(groups);
  const rows = values.length / HOUR_COLUMNS.length;
  const width = HOUR_COLUMNS.length;
  const expected = (hi: unknown) => (first ? hi === null || hi === undefined : hi !== null && hi !== undefined && Number(hi) === from - 1);
  return db.transaction(async (c) => {
    // One roll-up at a time across processes; the others find the hours done.
    await db.serialize(c, ROLLUP_LOCK);
    if (!expected((await c.all(lastMark.compile(db, {})))[0]?.hi)) return false;
    let i = 0;
    for (; i + ROWS_PER_INSERT <= rows; i += ROWS_PER_INSERT) {
      c.later(insertHourBatch.compile(db, values.slice(i * width, (i + ROWS_PER_INSERT) * width)));
    }
    for (; i < rows; i++) c.later(insertHour.compile(db, values.slice(i * width, (i + 1) * width)));
    for (let h = from; h < to; h++) c.later(insertMark.compile(db, { hour: h, at: now }));
    return true;
  });
}

/** How far after a denial a seat may come and still make it retried: the longest grace a
 *  report may ask (reports.ts's REPORT_LIMITS.trueDenialMinutes.max is this, in minutes). */
export const RETRY_HORIZON_SECONDS = 86_400;

const settle = statement((db, $: { before: Date }, t) =>
  db
    .updateTable('license_events as e')
    .set({
      retry_seconds: sql<number>`coalesce((${db
        .selectFrom('license_events as s')
        .select(sql<number>`round(CAST(${t.seconds(sql`min(s.at)`)} - ${t.seconds(sql.ref('e.at'))} AS NUMERIC), 3)`.as('r'))
        .where('s.tool', '=', sql.ref<string>('e.tool'))
        .where('s.user', '=', sql.ref<string>('e.user'))
        .where('s.type', 'in', SEAT_TAKEN)
        .where('s.at', '>=', sql.ref<Date>('e.at'))
        .where('s.at', '<=', t.plusSeconds(sql.ref('e.at'), RETRY_HORIZON_SECONDS))}), -1)`,
    })
    .where('e.type', '=', sql.lit('denied'))
    .where('e.retry_seconds', 'is', null)
    .where('e.at', '<', $.before),
);

/**
 * Settles the denials before `before` (seconds) not settled yet: how long until the same user
 * got a seat (borrowed, or granted from the line) in the same pool, -1 if not within
 * RETRY_HORIZON_SECONDS. Called for denials at least that old, so the answer is final. One
 * probe each into the partial index of seat-taking events by (tool, user, at).
 */
export async function settleDenials(db: ReportDb, before: number): Promise<number> {
  return db.run(settle.compile(db, { before: new Date(before * 1000) }));
}

const forgetHours = statement((db, $: { hour: number }) => db.deleteFrom('seat_hours').where('hour', '>=', $.hour));
const forgetMarks = statement((db, $: { hour: number }) => db.deleteFrom('seat_hour_marks').where('hour', '>=', $.hour));
const unsettle = statement((db, $: { from: Date }) =>
  db
    .updateTable('license_events')
    .set({ retry_seconds: null })
    .where('type', '=', sql.lit('denied'))
    .where('retry_seconds', 'is not', null)
    .where('at', '>=', $.from),
);

/** Forgets hours from `hour` on (an event was written into an hour already rolled up): they are
 *  rolled up again, and the denials of the day before settled again. */
export async function forgetHoursFrom(db: ReportDb, hour: number): Promise<void> {
  // A seat taken late may follow a denial of the day before: those are settled again too.
  const reopenFrom = new Date(Math.max(0, hour * HOUR - RETRY_HORIZON_SECONDS) * 1000);
  await db.transaction(async (c) => {
    await db.serialize(c, ROLLUP_LOCK); // not while another process saves hours
    c.later(forgetHours.compile(db, { hour }));
    c.later(forgetMarks.compile(db, { hour }));
    c.later(unsettle.compile(db, { from: reopenFrom }));
  });
}

const pruneHours = statement((db, $: { hour: number }) => db.deleteFrom('seat_hours').where('hour', '<', $.hour));
const pruneMarks = statement((db, $: { hour: number }) => db.deleteFrom('seat_hour_marks').where('hour', '<', $.hour));

/** Deletes rolled-up hours before `hour` (event retention deletes their history too). */
export async function pruneHoursBefore(db: ReportDb, hour: number): Promise<void> {
  await db.run(pruneHours.compile(db, { hour }));
  await db.run(pruneMarks.compile(db, { hour }));
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

/** The chart bucket (whole division) an hour's start, or its end less 1 ms, falls in (BIGINT: integer division on both databases). */
const bucketOf = (b: { originMs: number; sizeMs: number }, hour: Expression<number>, plusMs = 0) =>
  sql<number>`((CAST(${hour} AS BIGINT) * 3600000 + ${sql.lit(plusMs)} - CAST(${b.originMs} AS BIGINT)) / CAST(${b.sizeMs} AS BIGINT))`;

/** The rolled hours of a range (hours wholly inside one chart bucket when there is a chart). */
const hoursOf = (db: Kysely<DB>, r: HourRange) =>
  db
    .selectFrom('seat_hours')
    .where('dim', '=', r.dim)
    .where('hour', '>=', r.from)
    .where('hour', '<', r.to)
    .$if(r.tool !== null, (q) => q.where('tool', '=', r.tool!))
    .$if(r.bucket !== null, (q) => q.where(bucketOf(r.bucket!, sql.ref('hour')), '=', bucketOf(r.bucket!, sql`hour + 1`, -1)));

const hourScan = dynamic((db, r: HourRange) =>
  hoursOf(db, r).select(['tool', 'grp', 'hour', 'seat_seconds', 'peak', 'expiries', 'revocations', 'first_at', 'last_at']),
);
const hourSums = dynamic((db, r: HourRange) =>
  hoursOf(db, r)
    .select([
      'tool',
      'grp',
      (r.bucket ? bucketOf(r.bucket, sql.ref('hour')) : sql<number>`0`).as('k'),
      sql<number>`SUM(seat_seconds)`.as('ss'),
      sql<number>`MAX(peak)`.as('pk'),
      sql<number>`SUM(expiries)`.as('ex'),
      sql<number>`SUM(revocations)`.as('rv'),
      sql<number>`MIN(first_at)`.as('lo'),
      sql<number>`MAX(last_at)`.as('hi'),
    ])
    .groupBy([sql`1`, sql`2`, sql`3`]),
);

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
  if (db.sumsInProcess) {
    const rows = await db.rows(hourScan.compile(db, r));
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
  const rows = await db.all(hourSums.compile(db, r));
  return rows.map((x) => ({
    ...{ tool: String(x.tool), grp: String(x.grp), k: num(x.k), seatSeconds: num(x.ss), peak: num(x.pk), expiries: num(x.ex) },
    ...{ revocations: num(x.rv), firstAt: numOrNull(x.lo), lastAt: numOrNull(x.hi) },
  }));
}
