// `node --import tsx bench/observed-reports.ts [events]`: CPU per observed usage report and
// statement on SQLite over a month of observed history (default 100,000 events: 50 features,
// 200 users, check-outs and check-ins), measured with process.cpuUsage (not wall time: the
// build machine is shared).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { parseReportQuery } from '../server/licenses/reports.ts';
import { ObservedReports } from '../server/observed/reports.ts';

const events = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'floatline-observed-bench-'));
const db = await openDatabase({ dbPath: join(dir, 'bench.db'), seed: false });
const FROM = Date.parse('2026-03-01T00:00:00Z');
const MONTH = 31 * 86_400_000;
const rows = [];
for (let i = 0; i < events / 2; i++) {
  const start = FROM + Math.floor((i / (events / 2)) * (MONTH - 7_200_000));
  const base = {
    source: `lic${i % 5}`,
    feature: `F${i % 50}`,
    vendor: 'V',
    origin: 'snapshot',
    user: `u${i % 200}`,
    host: 'h',
    licenses: 1 + (i % 3),
    reason: null,
  };
  rows.push({ ...base, kind: 'out', at: new Date(start) }, { ...base, kind: 'in', at: new Date(start + 3_600_000) });
}
for (let i = 0; i < rows.length; i += 5000) await db.prisma.observedEvent.createMany({ data: rows.slice(i, i + 5000) });
const reports = new ObservedReports(db.dialect);
const now = new Date(FROM + MONTH);
const q = (groupBy: string) => parseReportQuery({ from: new Date(FROM), to: new Date(FROM + MONTH), groupBy });
const cpu = async (label: string, work: () => Promise<unknown>) => {
  await work(); // warm
  const runs = 5;
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await work();
  const used = process.cpuUsage(before);
  console.log(`${label.padEnd(40)} ${((used.user + used.system) / runs / 1000).toFixed(1)} ms CPU`);
};
console.log(`${events} observed events over March 2026 (SQLite)`);
await cpu('usage report, month, group_by pool', () => reports.usage(q('pool'), 3 * 3600, now));
await cpu('usage report, month, group_by team', () => reports.usage(q('team'), 3 * 3600, now));
await reports.queries.setPrice({ source: 'lic0', feature: 'F0', price: 1000, billingDay: 1, at: new Date(FROM) });
await cpu('statement of one pool, the month', () => reports.statements('lic0/F0', '2026-03-15', new Date(FROM + MONTH - 1000)));
await db.close();
rmSync(dir, { recursive: true, force: true });
