// Round trips per borrow and per return on PostgreSQL through the license store: alone (one
// operation per transaction) and in a burst of concurrent ones on one pool (group commit).
// A round trip is a wait for the database's answer while the pool's row is locked; writes
// are queued behind the reads without waiting (dialects/postgres.ts counts them).
// `node --import tsx bench/round-trips.ts [postgres-url]`; prints one JSON line.
import { randomUUID } from 'node:crypto';
import { LicenseStore } from '../server/licenses/store.ts';
import { onThrowawayPostgres } from './throwaway-postgres.ts';

const url = process.argv[2] ?? process.env.BENCH_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
const run = await onThrowawayPostgres(url, async (opened) => {
  await opened.prisma.$executeRawUnsafe(`UPDATE tools SET total = 100000, commit_quantity = 100000 WHERE name = 'cad_tool'`);
  const store = new LicenseStore(opened.dialect);
  const stats = opened.dialect.stats!;
  const measure = async (what: () => Promise<unknown>, n: number) => {
    const before = { ...stats };
    await what();
    return {
      transactions: (stats.transactions - before.transactions) / n,
      statements: (stats.statements - before.statements) / n,
      roundTrips: (stats.roundTrips - before.roundTrips) / n,
    };
  };
  const N = 200;
  const ids: string[] = [];
  const borrowAlone = await measure(async () => {
    for (let i = 0; i < N; i++)
      ids.push(((await store.borrow({ tool: 'cad_tool', user: 'rt' }, randomUUID(), new Date())) as { borrow: { id: string } }).borrow.id);
  }, N);
  const returnAlone = await measure(async () => {
    for (const id of ids.splice(0)) await store.return(id, new Date());
  }, N);
  const borrowBurst = await measure(async () => {
    const got = await Promise.all(
      Array.from({ length: N }, () => store.borrow({ tool: 'cad_tool', user: 'rt' }, randomUUID(), new Date())),
    );
    ids.push(...got.map((g) => (g as { borrow: { id: string } }).borrow.id));
  }, N);
  const returnBurst = await measure(() => Promise.all(ids.splice(0).map((id) => store.return(id, new Date()))), N);
  return { borrowAlone, returnAlone, borrowBurst, returnBurst };
});
process.stdout.write(`${JSON.stringify(run.result ?? { skipped: run.skipped })}\n`);
process.exit(0);
