// The borrow transaction alone, without HTTP: the same three statements (conditional
// UPDATE ... RETURNING, INSERT borrow, INSERT event) in one transaction, once through
// Prisma's interactive $transaction and raw queries, once on better-sqlite3 directly
// with prepared statements. Runs on its own temporary SQLite file.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';

export interface TxResult {
  prismaUs: number;
  directUs: number;
  ratio: number;
  ops: number;
}

const { ops } = JSON.parse(process.argv[2] ?? '{"ops":2000}') as { ops: number };
const dir = mkdtempSync(join(tmpdir(), 'floatline-tx-'));
const opened = await openDatabase({ dbPath: join(dir, 'tx.db'), seed: true });
const prisma = opened.prisma;
const db = new Database(opened.location, { timeout: 10_000 });
db.pragma('synchronous = NORMAL');
// Room for every borrow of the run, all inside commit.
db.prepare('UPDATE tools SET total = 1000000, commit_quantity = 1000000 WHERE name = ?').run('cad_tool');

const iso = (d: Date) => d.toISOString().replace('Z', '+00:00'); // what Prisma's adapter stores

async function viaPrisma(): Promise<void> {
  const now = new Date();
  const id = randomUUID();
  await prisma.$transaction(async (tx) => {
    const row = (
      await tx.$queryRaw<{ borrowed: number; total: number }[]>`
      UPDATE tools SET borrowed = borrowed + 1,
        overage_cost = overage_cost + CASE WHEN borrowed >= commit_quantity THEN overage_price_per_license ELSE 0 END
      WHERE name = ${'cad_tool'} AND borrowed < total AND borrowed < commit_quantity + max_overage
      RETURNING borrowed, total`
    )[0]!;
    await tx.$executeRaw`INSERT INTO borrows (id, tool, user, borrowed_at) VALUES (${id}, ${'cad_tool'}, ${'bench'}, ${now})`;
    await tx.$queryRaw`INSERT INTO license_events (at, type, tool, user, borrow_id, reason, borrowed, total)
      VALUES (${now}, ${'borrowed'}, ${'cad_tool'}, ${'bench'}, ${id}, ${null}, ${row.borrowed}, ${row.total}) RETURNING id`;
  });
}

const take = db.prepare(`UPDATE tools SET borrowed = borrowed + 1,
    overage_cost = overage_cost + CASE WHEN borrowed >= commit_quantity THEN overage_price_per_license ELSE 0 END
  WHERE name = ? AND borrowed < total AND borrowed < commit_quantity + max_overage
  RETURNING borrowed, total`);
const insertBorrow = db.prepare('INSERT INTO borrows (id, tool, user, borrowed_at) VALUES (?, ?, ?, ?)');
const insertEvent = db.prepare(`INSERT INTO license_events (at, type, tool, user, borrow_id, reason, borrowed, total)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`);
const borrowTx = db.transaction((id: string, at: string) => {
  const row = take.get('cad_tool') as { borrowed: number; total: number };
  insertBorrow.run(id, 'cad_tool', 'bench', at);
  insertEvent.get(at, 'borrowed', 'cad_tool', 'bench', id, null, row.borrowed, row.total);
});
async function direct(): Promise<void> {
  borrowTx.immediate(randomUUID(), iso(new Date()));
}

async function time(f: () => Promise<void>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  return ((performance.now() - t0) * 1000) / n;
}

// Warm both up, then alternate so background noise hits both alike; keep the best of three.
await time(viaPrisma, Math.min(200, ops));
await time(direct, Math.min(200, ops));
let prismaUs = Infinity;
let directUs = Infinity;
for (let i = 0; i < 3; i++) {
  prismaUs = Math.min(prismaUs, await time(viaPrisma, ops));
  directUs = Math.min(directUs, await time(direct, ops));
}
db.close();
await opened.close();
rmSync(dir, { recursive: true, force: true });
const result: TxResult = { prismaUs, directUs, ratio: prismaUs / directUs, ops };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
