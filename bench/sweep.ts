// One expiry sweep, as each Floatline process runs it about once a second: the domain's
// licenses.sweepLeases() over the server's real store (which asks the database for the pools
// with an overdue lease or ticket, then releases them in each pool's locked transaction),
// with the metrics listening to the change feed as in the server. The database holds
// `leases` live borrows whose leases end in a day: the common case, nothing due, is one
// indexed query. Then, per round, `due` more borrows whose 5 s leases are over at the
// sweep's clock, released in one sweep among the live ones.
// On SQLite (the default store) the live leases are real borrows; on PostgreSQL, where each
// borrow's commit waits for the disk, they are inserted in one statement (as many rows, the
// pool's count raised to match) and the table analyzed, as autovacuum would have.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../server/db/database.ts';
import { onThrowawayPostgres } from './throwaway-postgres.ts';
import { Licenses } from '../server/licenses/index.ts';
import { createMetrics, recordChange, recordPool } from '../server/observability/metrics.ts';
import { percentile, sortedCopy } from './lib.ts';

export interface SweepArgs {
  /** Live borrows with a lease far in the future. */
  leases: number;
  /** Timed sweeps with nothing due. */
  idleRounds: number;
  /** Leases due in each of the dueRounds sweeps. */
  due: number;
  dueRounds: number;
  /** A PostgreSQL URL to CREATE DATABASE on; null leaves PostgreSQL out. */
  postgresUrl: string | null;
  /** Sweeps with leases due on PostgreSQL (each round's borrows wait for the disk). */
  postgresDueRounds: number;
}
export interface SweepTimes {
  rounds: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Leases the sweeps released in all (0 when nothing is due; due × rounds otherwise). */
  released: number;
}
export interface SweepStoreResult {
  /** Seconds to set up the live leases. */
  setupSeconds: number;
  idle: SweepTimes;
  withDue: SweepTimes;
  /** Live borrows left at the end: `leases` when every sweep released only what was due. */
  liveAfter: number;
}
export interface SweepResult {
  leases: number;
  due: number;
  sqlite: SweepStoreResult;
  postgres: SweepStoreResult | null;
  postgresSkipped?: string;
  postgresVersion?: string;
}

const args = JSON.parse(process.argv[2]!) as SweepArgs;
const TOOL = 'cad_tool';

async function measure(opened: OpenedDatabase, dueRounds: number, fill: (licenses: Licenses) => Promise<void>): Promise<SweepStoreResult> {
  const licenses = new Licenses(opened.dialect);
  const metrics = createMetrics();
  licenses.changes.listen((c) => recordChange(metrics, c));
  const room = args.leases + args.due + 10;
  await licenses.updateBudget({ tool: TOOL, total: room, commit: room, maxOverage: 0, commitPrice: 1000, overagePricePerLicense: 100 });
  const t0 = performance.now();
  await fill(licenses);
  const setupSeconds = (performance.now() - t0) / 1000;
  for (const p of await licenses.pools()) recordPool(metrics, p);

  async function timeSweeps(rounds: number, before: () => Promise<Date>): Promise<SweepTimes> {
    const ms: number[] = [];
    let released = 0;
    for (let r = 0; r < rounds; r++) {
      const at = await before();
      const start = performance.now();
      released += await licenses.sweepLeases(at);
      ms.push(performance.now() - start);
    }
    const sorted = sortedCopy(ms);
    return {
      rounds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: ms.reduce((a, b) => a + b, 0) / Math.max(ms.length, 1),
      released,
    };
  }
  // Warm-up: the statements compiled, the index pages cached, as in a server that has been up.
  await timeSweeps(Math.min(20, args.idleRounds), async () => new Date());
  const idle = await timeSweeps(args.idleRounds, async () => new Date());
  // Each round: `due` borrows with 5 s leases (the shortest allowed), swept with a clock 6 s on.
  const withDue = await timeSweeps(dueRounds, async () => {
    for (let i = 0; i < args.due; i++) await licenses.borrow({ tool: TOOL, user: 'short', leaseSeconds: 5 });
    return new Date(Date.now() + 6000);
  });
  return { setupSeconds, idle, withDue, liveAfter: (await licenses.pool(TOOL)).borrowed };
}

// SQLite: the store Floatline builds over the direct connection; the live leases are real borrows.
const dir = mkdtempSync(join(tmpdir(), 'floatline-sweep-'));
let sqlite: SweepStoreResult;
{
  const opened = await openDatabase({ dbPath: join(dir, 'sweep.db'), seed: true });
  try {
    sqlite = await measure(opened, args.dueRounds, async (licenses) => {
      for (let i = 0; i < args.leases; i++) {
        await licenses.borrow({ tool: TOOL, user: `fleet-${i % 500}`, host: `node-${i}`, leaseSeconds: 86_400 });
      }
    });
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// PostgreSQL: the store Floatline builds when DATABASE_URL names a database.
const pgRun = await onThrowawayPostgres(args.postgresUrl, (opened) => {
  const prisma = opened.prisma;
  return measure(opened, args.postgresDueRounds, async () => {
    // Timestamps as Prisma stores them: UTC in TIMESTAMP(3) columns.
    await prisma.$executeRawUnsafe(
      `INSERT INTO borrows (id, tool, "user", borrowed_at, lease_seconds, expires_at, host)
       SELECT gen_random_uuid()::text, $1, 'fleet-' || (i % 500), now() AT TIME ZONE 'UTC', 86400,
         (now() AT TIME ZONE 'UTC') + interval '1 day', 'node-' || i
       FROM generate_series(1, $2::int) AS i`,
      TOOL,
      args.leases,
    );
    await prisma.$executeRawUnsafe('UPDATE tools SET borrowed = borrowed + $2::int WHERE name = $1', TOOL, args.leases);
    await prisma.$executeRawUnsafe('ANALYZE borrows');
  });
});
const postgres: SweepStoreResult | null = pgRun.result;
const postgresSkipped = pgRun.skipped;
const postgresVersion = pgRun.version;

const result: SweepResult = { leases: args.leases, due: args.due, sqlite, postgres, postgresSkipped, postgresVersion };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
