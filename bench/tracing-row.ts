// Row 10 of `npm run bench` alone — what OpenTelemetry tracing costs a REST borrow+return
// (bench/tracing-cost.ts: two fresh Floatlines, tracing off and on at 100 % sampling,
// interleaved rounds) — for re-measuring it without the whole benchmark:
// `node --import tsx bench/tracing-row.ts [rounds] [seconds] [connections,…]` (default 3 rounds
// of 5 s at 16 and 1 connections). Prints every round's cycles/s and the server's CPU µs per
// request, then the median rows. On a shared machine read the CPU column: throughput moves
// with whatever else runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureTracingCost } from './tracing-cost.ts';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const concurrency = (process.argv[4] ?? '16,1').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'floatline-tracing-row-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
console.log(`load average at start: ${load()}`);
const cost = await measureTracingCost({
  dir,
  concurrency,
  rowSeconds: seconds,
  warmupSeconds: 1,
  maxRequests: 10_000_000,
  rounds,
  spanRequests: 50_000,
  tool: 'cad_tool',
  pool: { tool: 'cad_tool', total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 },
  log: (s) => console.log(s),
});
const f = (n: number) => n.toFixed(0);
for (const row of cost.rows) {
  for (const [i, r] of row.rounds.entries())
    console.log(
      `${row.connections} conn. round ${i + 1}: off ${f(r.off.cyclesPerSecond)} cycles/s ${f(r.off.serverCpuUsPerRequest)} µs/req, ` +
        `on ${f(r.on.cyclesPerSecond)} cycles/s ${f(r.on.serverCpuUsPerRequest)} µs/req`,
    );
  const loss = 1 - row.on.cyclesPerSecond / row.off.cyclesPerSecond;
  console.log(
    `${row.connections} conn. median: off ${f(row.off.cyclesPerSecond)}, on ${f(row.on.cyclesPerSecond)} cycles/s (${(100 * loss).toFixed(0)} % lost); ` +
      `server CPU off ${f(row.off.serverCpuUsPerRequest)}, on ${f(row.on.serverCpuUsPerRequest)} µs/req`,
  );
}
for (const s of cost.spans)
  console.log(
    `spans alone (${s.protocol}): ${s.cpuUsPerRequest.toFixed(1)} µs/request, ` +
      `of which ${s.servingThreadCpuUsPerRequest.toFixed(1)} µs on the serving thread (the rest in the export worker)`,
  );
console.log(`exports received: ${cost.exports} (${(cost.exportedBytes / 1e6).toFixed(1)} MB); load average at end: ${load()}`);
