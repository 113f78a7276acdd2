import { measureTracingCost } from './tracing-cost.ts';
const r = await measureTracingCost({ dir: '/tmp/tc', concurrency: [1, 16], rounds: 3, rowSeconds: 5, warmupSeconds: 1, maxRequests: 1_000_000, tool: 'cad_tool',
  pool: { tool: 'cad_tool', total: 100000, commit: 100000, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 }, log: (s) => console.error(s) });
const f = (x: { cyclesPerSecond: number; serverCpuUsPerRequest: number }) => `${x.cyclesPerSecond.toFixed(0)} c/s ${x.serverCpuUsPerRequest.toFixed(0)} us/req`;
for (const x of r.rows) {
  console.log(x.connections, 'median off', f(x.off), 'on', f(x.on), 'throughput', (x.on.cyclesPerSecond / x.off.cyclesPerSecond).toFixed(3), 'cpu', (x.on.serverCpuUsPerRequest / x.off.serverCpuUsPerRequest - 1).toFixed(3));
  for (const rr of x.rounds) console.log('   round off', f(rr.off), 'on', f(rr.on));
}
console.log('exports', r.exports, r.exportedBytes);
process.exit(0);
