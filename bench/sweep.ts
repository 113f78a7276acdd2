// One expiry sweep, as each Floatline process runs it about once a second: the domain's
// licenses.sweepLeases() over the real SQLite store (which asks the database for the pools
// with an overdue lease or ticket, then releases them in each pool's locked transaction),
// with the metrics listening to the change feed as in the server. The database holds
// `leases` live borrows whose leases end in a day: the common case, nothing due, is one
// indexed query. Then, per round, `due` more borrows whose 5 s leases are over at the
// sweep's clock, released in one sweep among the live ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
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
}
export interface SweepTimes {
  rounds: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Leases the sweeps released in all (0 when nothing is due; due × rounds otherwise). */
  released: number;
}
export interface SweepResult {
  leases: number;
  due: number;
  /** Seconds to set up the live leases (one real borrow each). */
  setupSeconds: number;
  idle: SweepTimes;
  withDue: SweepTimes;
  /** Live borrows left at the end: `leases` when every sweep released only what was due. */
  liveAfter: number;
}

const args = JSON.parse(process.argv[2]!) as SweepArgs;
const TOOL = 'cad_tool';
const dir = mkdtempSync(join(tmpdir(), 'floatline-sweep-'));
const opened = await openDatabase({ dbPath: join(dir, 'sweep.db'), seed: true });
const licenses = new Licenses(opened.prisma, opened.direct);
const metrics = createMetrics();
licenses.changes.listen((c) => recordChange(metrics, c));
for (const p of await licenses.pools()) recordPool(metrics, p);
await licenses.updateBudget({
  tool: TOOL,
  total: args.leases + args.due + 10,
  commit: args.leases + args.due + 10,
  maxOverage: 0,
  commitPrice: 1000,
  overagePricePerLicense: 100,
});

const t0 = performance.now();
for (let i = 0; i < args.leases; i++) {
  await licenses.borrow({ tool: TOOL, user: `fleet-${i % 500}`, host: `node-${i}`, leaseSeconds: 86_400 });
}
const setupSeconds = (performance.now() - t0) / 1000;

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
const withDue = await timeSweeps(args.dueRounds, async () => {
  for (let i = 0; i < args.due; i++) await licenses.borrow({ tool: TOOL, user: 'short', leaseSeconds: 5 });
  return new Date(Date.now() + 6000);
});
const liveAfter = (await licenses.pool(TOOL)).borrowed;
await opened.close();
rmSync(dir, { recursive: true, force: true });

const result: SweepResult = { leases: args.leases, due: args.due, setupSeconds, idle, withDue, liveAfter };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
