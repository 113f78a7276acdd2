// Seat-hours (seat_hours, rolled up per hour) against the seats themselves, on a real SQLite
// file and a real PostgreSQL database: a few days of seats at random times (seeded, so a
// failure repeats) by users in teams and projects, some expired or revoked, some still held,
// one that ends as another starts and one of no length. Every report — each grouping, windows
// on and off the hour, short and long (so chart buckets of 1 minute to 1 day), reaching
// before the history and past now — must equal what the seats' intervals give when summed by
// hand below: seat-hours, peak, expiries, revocations, first and last instant, every chart
// point. Then hours are rolled up again from scratch and give the same answers.
import { openOn } from './helpers/each-database.ts';
import { seededRandom } from './helpers/seeded-random.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../server/db/database.ts';
import { sqlTime } from '../server/db/sqlite.ts';
import { Licenses } from '../server/licenses/index.ts';
import { NO_PROJECT, NO_TEAM, bucketSecondsFor } from '../server/licenses/reports.ts';
import { seriesOrigin } from '../server/licenses/series-buckets.ts';
import { forgetHoursFrom, rolledHours } from '../server/licenses/seat-hour-queries.ts';
import { SeatRollup } from '../server/licenses/seat-rollup.ts';
import { TestClock } from './helpers/clock.ts';

const TOOL = 'sim';
const H = 3_600_000;
// Four days of seats, ending an hour and a half before now: the last hours are not rolled up yet.
// The reports read a clock that stands still at the test's start (the server's clock, not the
// machine's), so the seats still held do not grow while the test runs.
const clock = new TestClock(new Date());
const END = Math.floor(clock.now().getTime() / 60_000) * 60_000 - 90 * 60_000;
const START = END - 4 * 24 * H;

interface Seat {
  id: string;
  user: string;
  team: string | null;
  project: string | null;
  s: number;
  /** null: still held. */
  f: number | null;
  end: 'returned' | 'expired' | 'revoked';
}

function makeSeats(): Seat[] {
  const r = seededRandom(20261201);
  const teamOf = (u: number) => (u < 4 ? 'red' : u < 7 ? 'blue' : null);
  const seats: Seat[] = [];
  for (let i = 0; i < 400; i++) {
    const u = Math.floor(r() * 9);
    const s = START + Math.floor((r() * (END - START - 2 * H)) / 1000) * 1000 + Math.floor(r() * 1000);
    const long = r() < 0.1;
    const f = s + Math.floor((long ? r() * 30 * H : r() * 2 * H) + 1000);
    const roll = r();
    seats.push({
      ...{ id: `s${i}`, user: `u${u}`, team: teamOf(u), project: roll < 0.3 ? null : `p${Math.floor(r() * 3)}`, s },
      ...{ f: Math.min(f, END), end: roll < 0.1 ? 'expired' : roll < 0.15 ? 'revoked' : 'returned' },
    });
  }
  // One ends exactly as another starts; one has no length; three are still held (one since before START).
  const t = START + 30 * H;
  seats.push({ id: 'edge1', user: 'u1', team: 'red', project: 'p0', s: t - H, f: t, end: 'returned' });
  seats.push({ id: 'edge2', user: 'u1', team: 'red', project: 'p0', s: t, f: t + H, end: 'returned' });
  seats.push({ id: 'zero', user: 'u8', team: null, project: null, s: t + 5 * H, f: t + 5 * H, end: 'returned' });
  seats.push({ id: 'held1', user: 'u2', team: 'red', project: 'p1', s: END - 3 * H - 1234, f: null, end: 'returned' });
  seats.push({ id: 'held2', user: 'u7', team: null, project: null, s: END - 20 * 60_000, f: null, end: 'returned' });
  seats.push({ id: 'held3', user: 'u5', team: 'blue', project: 'p2', s: START - 2 * H, f: null, end: 'returned' });
  return seats;
}

interface Denial {
  user: string;
  team: string | null;
  project: string | null;
  at: number;
}

/** Denials: some followed by a seat of the same user within minutes, some not; the last day's are not settled yet. */
function makeDenials(seats: Seat[]): Denial[] {
  const r = seededRandom(7);
  const out: Denial[] = [];
  for (const x of seats.filter((x) => x.s >= START).slice(0, 120)) {
    // Before a seat of the same user by 0-120 minutes (a few exactly 10 minutes before).
    const before = r() < 0.1 ? 10 * 60_000 : Math.floor(r() * 120 * 60_000);
    out.push({ user: x.user, team: x.team, project: x.project, at: x.s - before });
  }
  return out;
}

async function fill(opened: OpenedDatabase, seats: Seat[], denials: Denial[]) {
  const pg = !opened.direct;
  const time = (ms: number) => (pg ? new Date(ms) : sqlTime(new Date(ms)));
  const run = async (sql: string, params: unknown[]) => {
    if (opened.direct) opened.direct.prepare(sql).run(...params);
    else
      await opened.prisma.$executeRawUnsafe(
        sql.replace(
          /\?/g,
          (() => {
            let n = 0;
            return () => `$${++n}`;
          })(),
        ),
        ...params,
      );
  };
  for (const d of denials) {
    await run(
      `INSERT INTO license_events (at, type, tool, "user", reason, team, project, borrowed, total) VALUES (?, 'denied', ?, ?, 'exhausted', ?, ?, 9, 9)`,
      [...[time(d.at), TOOL, d.user, d.team, d.project]],
    );
  }
  for (const x of seats) {
    // A seat held since before the history began has no borrowed event (pruned history).
    if (x.s >= START) {
      await run(
        `INSERT INTO license_events (at, type, tool, "user", borrow_id, team, project, borrowed, total) VALUES (?, 'borrowed', ?, ?, ?, ?, ?, 0, 9)`,
        [...[time(x.s), TOOL, x.user, x.id, x.team, x.project]],
      );
    }
    if (x.f === null) {
      await run(`INSERT INTO borrows (id, tool, "user", borrowed_at, team, project) VALUES (?, ?, ?, ?, ?, ?)`, [
        x.id,
        TOOL,
        x.user,
        time(x.s),
        x.team,
        x.project,
      ]);
    } else {
      await run(
        `INSERT INTO license_events (at, type, tool, "user", borrow_id, team, project, started_at, borrowed, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 9)`,
        [time(x.f), x.end, TOOL, x.user, x.id, x.team, x.project, time(x.s)],
      );
    }
  }
}

type Dim = 'pool' | 'team' | 'user' | 'project';
const label = (dim: Dim, x: Seat) =>
  dim === 'pool' ? TOOL : dim === 'team' ? (x.team ?? NO_TEAM) : dim === 'user' ? x.user : (x.project ?? NO_PROJECT);

/** Denials in the window per group, and how many the same user followed with a seat (borrowed event) within `grace` ms. */
function expectedDenials(seats: Seat[], denials: Denial[], dim: Dim, from: number, to: number, grace: number) {
  const out = new Map<string, { denials: number; retried: number }>();
  for (const d of denials.filter((d) => d.at >= from && d.at < to)) {
    const g = label(dim, { ...d, id: '', s: 0, f: 0, end: 'returned' });
    const e = out.get(g) ?? { denials: 0, retried: 0 };
    e.denials++;
    if (seats.some((x) => x.s >= START && x.user === d.user && x.s >= d.at && x.s <= d.at + grace)) e.retried++;
    out.set(g, e);
  }
  return out;
}

/** What the report must say, from the intervals alone. */
function expected(seats: Seat[], dim: Dim, from: number, to: number, now: number) {
  const end = Math.min(to, now);
  const bucket = bucketSecondsFor(new Date(from), new Date(to)) * 1000;
  const origin = seriesOrigin(new Date(from), bucket / 1000);
  const rows = new Map<
    string,
    { seatHours: number; peak: number; expiries: number; revocations: number; first: number; last: number; series: number[] }
  >();
  const n = Math.max(0, Math.ceil((end - origin) / bucket));
  const groups = new Map<string, Seat[]>();
  for (const x of seats) groups.set(label(dim, x), [...(groups.get(label(dim, x)) ?? []), x]);
  for (const [g, list] of groups) {
    const iv = list.map((x) => ({ x, a: Math.max(x.s, from), b: Math.min(x.f ?? now, end) })).filter((i) => i.b > i.a);
    const ends = list.filter((x) => x.f !== null && x.f >= from && x.f < to);
    if (iv.length === 0 && ends.every((x) => x.end === 'returned')) continue;
    const series = Array.from({ length: n }, (_, k) => {
      const a = Math.max(from, origin + k * bucket);
      const b = Math.min(origin + (k + 1) * bucket, to);
      return iv.reduce((sum, i) => sum + Math.max(0, Math.min(i.b, b) - Math.max(i.a, a)), 0) / (b - a);
    });
    // Peak: ends before starts at the same instant.
    const points = iv
      .flatMap(
        (i) =>
          [
            [i.a, 1],
            [i.b, -1],
          ] as const,
      )
      .sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    let level = 0;
    let peak = 0;
    for (const [, d] of points) {
      level += d;
      peak = Math.max(peak, level);
    }
    rows.set(g, {
      seatHours: iv.reduce((s, i) => s + (i.b - i.a), 0) / H,
      ...{ peak, expiries: ends.filter((x) => x.end === 'expired').length, revocations: ends.filter((x) => x.end === 'revoked').length },
      ...{ first: Math.min(...iv.map((i) => i.a)), last: Math.max(...iv.map((i) => i.b)), series },
    });
  }
  return rows;
}

const WINDOWS: [string, number, number][] = [
  ['the four days, on the hour', START - 5 * H, END + 5 * H],
  ['a day, off the hour', START + 20 * H + 17 * 60_000 + 250, START + 44 * H + 3 * 60_000],
  ['five hours, on the hour', START + 30 * H, START + 35 * H],
  ['forty minutes inside an hour', START + 50 * H + 10 * 60_000, START + 50 * H + 50 * 60_000],
  ['the last hours, not rolled up yet, into the future', END - 6 * H - 7 * 60_000, END + 2 * H],
  ['ten days, from before the history', START - 6 * 24 * H, END + H],
];

async function check(licenses: Licenses, seats: Seat[], denials: Denial[]) {
  for (const [, from, to] of WINDOWS) {
    for (const dim of ['pool', 'team', 'user', 'project'] as const) {
      for (const minutes of [10, 90]) {
        const got = await licenses.usageReport({
          from: new Date(from),
          to: new Date(to),
          groupBy: dim,
          tool: TOOL,
          first: 500,
          trueDenialMinutes: minutes,
        });
        const want = expectedDenials(seats, denials, dim, from, to, minutes * 60_000);
        const rows = got.rows.filter((r) => r.denials > 0);
        expect(
          rows.map((r) => [r.group, r.denials, r.retriedDenials, r.trueDenials]).sort(),
          `denials ${dim} ${minutes} min ${new Date(from).toISOString()}`,
        ).toEqual([...want].map(([g, w]) => [g, w.denials, w.retried, w.denials - w.retried]).sort());
      }
      const now = clock.now().getTime();
      const got = await licenses.usageReport({ from: new Date(from), to: new Date(to), groupBy: dim, tool: TOOL, first: 500 });
      const want = expected(seats, dim, from, to, now);
      const what = `${dim} ${new Date(from).toISOString()} → ${new Date(to).toISOString()}`;
      const rows = got.rows.filter((r) => r.seatHours > 0 || r.expiries > 0 || r.revocations > 0);
      expect(rows.map((r) => r.group).sort(), what).toEqual([...want.keys()].sort());
      for (const r of rows) {
        const w = want.get(r.group)!;
        expect(Math.abs(r.seatHours - w.seatHours), `${what} ${r.group} seat-hours ${r.seatHours} vs ${w.seatHours}`).toBeLessThanOrEqual(
          1e-6,
        );
        expect([r.peakSeats, r.expiries, r.revocations], `${what} ${r.group}`).toEqual([w.peak, w.expiries, w.revocations]);
        expect(r.series.length, what).toBe(w.series.length);
        for (const [k, p] of r.series.entries()) {
          expect(Math.abs(p.seats - w.series[k]!), `${what} ${r.group} point ${k}`).toBeLessThan(1e-5);
        }
      }
      if (want.size > 0 && dim === 'pool') {
        const firsts = [...want.values()].map((w) => w.first);
        expect(got.dataFrom?.getTime(), what).toBeCloseTo(Math.min(...firsts), -1);
      }
    }
  }
}

describe.each(['SQLite', 'PostgreSQL'] as const)('seat-hours on %s', (kind) => {
  const seats = makeSeats();
  const denials = makeDenials(seats);
  let opened: OpenedDatabase;
  let licenses: Licenses;
  let finish: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ opened, finish } = await openOn(kind, 'floatline-seat-hours'));
    licenses = new Licenses(opened.dialect, clock);
    await licenses.createPool({ tool: TOOL, total: 9, commit: 9, maxOverage: 0, commitPrice: 0, overagePricePerLicense: 0 });
    await fill(opened, seats, denials);
  }, 120_000);
  afterAll(() => finish());

  it('every report equals the seats summed by hand, on and off the hour, rolled up and not', async () => {
    const due = SeatRollup.dueAt(clock.now());
    await check(licenses, seats, denials);
    // The reports read rolled-up hours: every hour from the first seat to the last due one.
    const db = opened.dialect;
    const rolled = await rolledHours(db);
    expect(rolled?.first).toBe(Math.floor((START - 2 * H) / H));
    expect(rolled?.through).toBe(due);
    expect(Number((await db.all({ sql: "SELECT count(*) AS n FROM seat_hours WHERE dim = 'user'", params: [] }))[0]!.n)).toBeGreaterThan(
      4 * 24,
    );
    // Denials more than a day old are settled (read without a probe); the last day's are not.
    const settled = await db.all({
      sql: "SELECT count(retry_seconds) AS settled, count(*) - count(retry_seconds) AS open FROM license_events WHERE type = 'denied'",
      params: [],
    });
    expect(Number(settled[0]!.settled)).toBeGreaterThan(50);
    expect(Number(settled[0]!.open)).toBeGreaterThan(5);
  }, 120_000);

  it('hours rolled up again from scratch give the same reports', async () => {
    const db = opened.dialect;
    await forgetHoursFrom(db, 0);
    await check(licenses, seats, denials);
  }, 120_000);
});
