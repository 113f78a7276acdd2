// The borrow and return transactions alone, without HTTP, through the real stores the
// server writes with: LicenseStore on SQLite (better-sqlite3, the default) and on PostgreSQL
// (node-postgres, when DATABASE_URL names one). A cycle is
// store.borrow() then store.return(): the pool locked, its rows loaded, seat-rules.ts
// deciding, the borrow and its history written; then the seat given back the same way —
// what a REST borrow+return costs the database, without HTTP, validation and the change
// feed. Each store runs on its own fresh database (a temporary SQLite file; a database
// created for the run on the PostgreSQL server, dropped afterwards).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { onThrowawayPostgres } from './throwaway-postgres.ts';
import { LicenseStore, type Store } from '../server/licenses/store.ts';

export interface TxTimes {
  /** Mean µs per borrow transaction, best of three runs of `ops` cycles. */
  borrowUs: number;
  /** Mean µs per return transaction, from the same run as borrowUs. */
  returnUs: number;
  cyclesPerSecond: number;
}
export interface TxArgs {
  ops: number;
  /** Cycles per run on PostgreSQL, whose commits wait for the disk. */
  postgresOps: number;
  /** A PostgreSQL URL to CREATE DATABASE on; null skips the PostgreSQL row. */
  postgresUrl: string | null;
}
export interface TxResult {
  ops: number;
  postgresOps: number;
  sqlite: TxTimes;
  postgres: TxTimes | null;
  /** Why there is no PostgreSQL row, when there is none. */
  postgresSkipped?: string;
  postgresVersion?: string;
}

const TOOL = 'cad_tool';
const args = JSON.parse(process.argv[2] ?? '{"ops":2000,"postgresOps":300,"postgresUrl":null}') as TxArgs;

async function timeStore(store: Store, ops: number): Promise<TxTimes> {
  async function cycles(n: number): Promise<{ borrow: number; ret: number; total: number }> {
    let borrow = 0;
    let ret = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const a = performance.now();
      const out = await store.borrow({ tool: TOOL, user: 'bench' }, id, new Date());
      const b = performance.now();
      if (out.denied || !('borrow' in out)) throw new Error(`borrow refused: ${JSON.stringify(out.denied ?? out)}`);
      const back = await store.return(id, new Date());
      ret += performance.now() - b;
      borrow += b - a;
      if (!back) throw new Error(`return of ${id} found no borrow`);
    }
    return { borrow, ret, total: performance.now() - t0 };
  }
  await cycles(Math.min(200, ops)); // warm-up: JIT, statement caches, the connection pool
  // Best of three: background noise only ever adds time.
  let best = { borrow: Infinity, ret: Infinity, total: Infinity };
  for (let i = 0; i < 3; i++) {
    const r = await cycles(ops);
    if (r.total < best.total) best = r;
  }
  return { borrowUs: (best.borrow * 1000) / ops, returnUs: (best.ret * 1000) / ops, cyclesPerSecond: (ops * 1000) / best.total };
}

// SQLite: the store Floatline builds over the direct connection openSqlite opens beside Prisma.
const dir = mkdtempSync(join(tmpdir(), 'floatline-tx-'));
let sqlite: TxTimes;
{
  const opened = await openDatabase({ dbPath: join(dir, 'tx.db'), seed: true });
  try {
    // Room for every borrow of the run, all inside commit (only one is ever held at a time).
    opened.direct!.prepare('UPDATE tools SET total = 1000000, commit_quantity = 1000000 WHERE name = ?').run(TOOL);
    sqlite = await timeStore(new LicenseStore(opened.dialect), args.ops);
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// PostgreSQL: the store Floatline builds when DATABASE_URL names a database.
const pgRun = await onThrowawayPostgres(args.postgresUrl, async (opened) => {
  await opened.prisma.$executeRawUnsafe(`UPDATE tools SET total = 1000000, commit_quantity = 1000000 WHERE name = '${TOOL}'`);
  return timeStore(new LicenseStore(opened.dialect), args.postgresOps);
});
const postgres: TxTimes | null = pgRun.result;
const postgresSkipped = pgRun.skipped;
const postgresVersion = pgRun.version;

const result: TxResult = { ops: args.ops, postgresOps: args.postgresOps, sqlite, postgres, postgresSkipped, postgresVersion };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
