// Reports and statements over a busy month: `events` license events in one
// 30-day month of one pool — borrows and returns of 500 users in 20 teams (the team recorded
// with each seat, as the stores do) and 30 projects, one denial in ten, and granted
// queue tickets — inserted in one INSERT … SELECT each (SQLite: a recursive CTE; PostgreSQL:
// generate_series) and the tables analyzed. Then, through the domain as the server calls
// it: the roll-up of the month into seat_hours (once), the usage report of the month grouped by
// pool, team and user (and off the hour), and the live statement of the month; median and
// slowest of `rounds` runs after one warm-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../server/db/database.ts';
import { Licenses } from '../server/licenses/index.ts';
import { computeStatement } from '../server/licenses/statements.ts';
import { forgetHoursFrom } from '../server/licenses/seat-hour-queries.ts';
import { SeatRollup } from '../server/licenses/seat-rollup.ts';
import { onThrowawayPostgres } from './throwaway-postgres.ts';
import { percentile, sortedCopy } from './lib.ts';

export interface ReportsArgs {
  events: number;
  rounds: number;
  postgresUrl: string | null;
}
export interface ReportTimes {
  name: string;
  medianMs: number;
  maxMs: number;
  /** CPU time of this process per run, median (SQLite runs in it; for PostgreSQL it is the client's share only). */
  cpuMs: number;
  rows: number;
}
export interface ReportsStoreResult {
  setupSeconds: number;
  events: number;
  times: ReportTimes[];
}
export interface ReportsResult {
  events: number;
  rounds: number;
  sqlite: ReportsStoreResult;
  postgres: ReportsStoreResult | null;
  postgresSkipped?: string;
  postgresVersion?: string;
}

const args = JSON.parse(process.argv[2]!) as ReportsArgs;
const TOOL = 'busy';
const FROM = new Date('2026-09-01T00:00:00Z');
const TO = new Date('2026-10-01T00:00:00Z');
const MONTH_S = (TO.getTime() - FROM.getTime()) / 1000;
// Per borrow: a borrowed and an end event; one denial per ten borrows; 2 % of borrows waited in line.
const borrows = Math.floor(args.events / 2.1);
const denials = args.events - 2 * borrows;
const tickets = Math.floor(borrows / 50);

async function measure(opened: OpenedDatabase, fill: () => Promise<void>): Promise<ReportsStoreResult> {
  const licenses = new Licenses(opened.dialect);
  await licenses.createPool({ tool: TOOL, total: 400, commit: 300, maxOverage: 100, commitPrice: 10_000, overagePricePerLicense: 25 });
  const t0 = performance.now();
  await fill();
  const setupSeconds = (performance.now() - t0) / 1000;
  const db = opened.dialect;
  const events = Number((await db.all({ sql: 'SELECT count(*) AS n FROM license_events', params: [] }))[0]!.n);
  const time = async (name: string, run: () => Promise<number>): Promise<ReportTimes> => {
    await run(); // warm-up: statements prepared, pages cached
    const ms: number[] = [];
    const cpu: number[] = [];
    let rows = 0;
    for (let r = 0; r < args.rounds; r++) {
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      rows = await run();
      const used = process.cpuUsage(cpu0);
      ms.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const sorted = sortedCopy(ms);
    return { name, medianMs: percentile(sorted, 50), maxMs: sorted.at(-1)!, cpuMs: percentile(sortedCopy(cpu), 50), rows };
  };
  const report =
    (groupBy: string, from = FROM, to = TO) =>
    async () =>
      (await licenses.usageReport({ from, to, groupBy, tool: TOOL, first: 500 })).rows.length;
  const rollup = new SeatRollup(db);
  const times = [
    // Once, after an upgrade or a long stop: every hour of the month summed into seat_hours.
    await time('roll-up of the month (seat_hours, from scratch)', async () => {
      await forgetHoursFrom(db, 0);
      await rollup.catchUp(new Date(), true);
      return Number((await db.all({ sql: 'SELECT count(*) AS n FROM seat_hours', params: [] }))[0]!.n);
    }),
    await time('usage report, group_by=pool', report('pool')),
    await time('usage report, group_by=team', report('team')),
    await time('usage report, group_by=user', report('user')),
    // Edges and chart buckets off the hour: those hours are read from the history.
    await time(
      'usage report, group_by=team, from/to at :30',
      report('team', new Date(FROM.getTime() + 1_800_000), new Date(TO.getTime() - 1_800_000)),
    ),
    await time('statement of the month (computed live)', async () => {
      const s = await computeStatement(db, rollup, TOOL, 10_000, 1, { start: FROM, end: TO }, new Date());
      return s.teams.length;
    }),
  ];
  return { setupSeconds, events, times };
}

// SQLite: the direct connection Floatline reads reports through.
const dir = mkdtempSync(join(tmpdir(), 'floatline-reports-'));
let sqlite: ReportsStoreResult;
{
  const opened = await openDatabase({ dbPath: join(dir, 'reports.db'), seed: true });
  const db = opened.direct!;
  try {
    sqlite = await measure(opened, async () => {
      const t = (expr: string) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', ${expr}, 'unixepoch')`;
      db.exec(`INSERT INTO teams (name, created_at) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19)
        SELECT 'team' || i, '2026-01-01T00:00:00.000+00:00' FROM n`);
      db.exec(`INSERT INTO team_members (team, user, added_at) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 479)
        SELECT 'team' || (i % 20), 'u' || i, '2026-01-01T00:00:00.000+00:00' FROM n`); // u480..u499: in no team
      const from = FROM.getTime() / 1000;
      // Borrow i starts at from + i × step and lasts 1-120 minutes; its end event carries the start.
      db.exec(`INSERT INTO license_events (at, type, tool, user, borrow_id, team, project, started_at, borrowed, total)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${borrows - 1}),
        b AS (SELECT i, ${from} + i * ${MONTH_S / borrows} AS s, 60 + (i * 7919) % 7140 AS d FROM n)
        SELECT ${t('s + k * d')}, CASE k WHEN 0 THEN 'borrowed' ELSE 'returned' END, '${TOOL}', 'u' || (i % 500), 'b' || i,
          CASE WHEN i % 500 < 480 THEN 'team' || (i % 500 % 20) END, 'p' || (i % 30), CASE k WHEN 1 THEN ${t('s')} END, 0, 400
        FROM b, (SELECT 0 AS k UNION ALL SELECT 1) ORDER BY i, k`);
      db.exec(`INSERT INTO license_events (at, type, tool, user, reason, borrowed, total)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${denials - 1})
        SELECT ${t(`${from} + i * ${MONTH_S / denials}`)}, 'denied', '${TOOL}', 'u' || ((i * 37) % 500), 'exhausted', 400, 400 FROM n`);
      db.exec(`INSERT INTO queue_tickets (id, tool, user, seq, queued_at, lease_seconds, state, ended_at, borrow_id)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${tickets - 1})
        SELECT 't' || i, '${TOOL}', 'u' || (i % 500), i + 1, ${t(`${from} + i * ${MONTH_S / tickets}`)}, 60, 'granted',
          ${t(`${from} + i * ${MONTH_S / tickets} + (i * 13) % 600`)}, 'b' || i FROM n`);
      db.exec('ANALYZE');
    });
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// PostgreSQL: the same month through Prisma's connection.
const pgRun = await onThrowawayPostgres(args.postgresUrl, (opened) => {
  const prisma = opened.prisma;
  return measure(opened, async () => {
    const ts = (expr: string) => `(to_timestamp(${expr}) AT TIME ZONE 'UTC')`;
    const from = FROM.getTime() / 1000;
    await prisma.$executeRawUnsafe(`INSERT INTO teams (name, created_at) SELECT 'team' || i, now() FROM generate_series(0, 19) i`);
    await prisma.$executeRawUnsafe(
      `INSERT INTO team_members (team, "user", added_at) SELECT 'team' || (i % 20), 'u' || i, now() FROM generate_series(0, 479) i`,
    );
    await prisma.$executeRawUnsafe(`INSERT INTO license_events (at, type, tool, "user", borrow_id, team, project, started_at, borrowed, total)
      SELECT ${ts('s + k * d')}, CASE k WHEN 0 THEN 'borrowed' ELSE 'returned' END, '${TOOL}', 'u' || (i % 500), 'b' || i,
        CASE WHEN i % 500 < 480 THEN 'team' || (i % 500 % 20) END, 'p' || (i % 30), CASE k WHEN 1 THEN ${ts('s')} END, 0, 400
      FROM (SELECT i, ${from} + i * ${MONTH_S / borrows} AS s, 60 + (i::bigint * 7919) % 7140 AS d FROM generate_series(0, ${borrows - 1}) i) b,
        (VALUES (0), (1)) AS kk(k) ORDER BY i, k`);
    await prisma.$executeRawUnsafe(`INSERT INTO license_events (at, type, tool, "user", reason, borrowed, total)
      SELECT ${ts(`${from} + i * ${MONTH_S / denials}`)}, 'denied', '${TOOL}', 'u' || ((i * 37) % 500), 'exhausted', 400, 400
      FROM generate_series(0, ${denials - 1}) i`);
    await prisma.$executeRawUnsafe(`INSERT INTO queue_tickets (id, tool, "user", seq, queued_at, lease_seconds, state, ended_at, borrow_id)
      SELECT 't' || i, '${TOOL}', 'u' || (i % 500), i + 1, ${ts(`${from} + i * ${MONTH_S / tickets}`)}, 60, 'granted',
        ${ts(`${from} + i * ${MONTH_S / tickets} + (i * 13) % 600`)}, 'b' || i FROM generate_series(0, ${tickets - 1}) i`);
    await prisma.$executeRawUnsafe('ANALYZE');
  });
});

const result: ReportsResult = {
  events: args.events,
  rounds: args.rounds,
  sqlite,
  postgres: pgRun.result,
  postgresSkipped: pgRun.skipped,
  postgresVersion: pgRun.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
