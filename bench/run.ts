// `npm run bench`: starts Floatline on a temporary SQLite file and a bare Node http
// server (the ceiling), loads both with the same generator (autocannon, its own
// process), measures subscription fan-out, the queue hand-off, one expiry sweep, reports over a month of history and the
// borrow and return transactions alone through the real stores, what OpenTelemetry tracing
// costs a borrow (bench/tracing-cost.ts), and prints Markdown tables. `--quick` runs 1 s rows and small subscriber counts;
// `--smoke` (test/e2e/bench-smoke.test.ts) only proves the harness runs: 0.3 s rows, one
// connection count, a handful of subscribers, no warm-up; `--json FILE` also writes the
// raw results.
//
// Floatline runs as its own process (server/main.ts, which builds it with createFloatline):
// the load generator reads that process's CPU time and RSS by pid, and an in-process server
// would share the event loop and heap with the harness it is measured by.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { runChild, startListening, stopChild } from './lib.ts';
import type { LoadArgs, LoadResult, Scenario } from './load.ts';
import type { FanoutArgs, FanoutResult } from './fanout.ts';
import type { TxArgs, TxResult } from './tx.ts';
import type { HandoffArgs, HandoffResult } from './handoff.ts';
import type { SweepArgs, SweepResult, SweepStoreResult } from './sweep.ts';
import type { ReportsArgs, ReportsResult } from './reports.ts';
import type { ScaleOutArgs, ScaleOutResult } from './scale-out.ts';
import { measureTracingCost } from './tracing-cost.ts';
import type { HostileArgs, HostileResult } from './hostile-readers.ts';
import { type ObservedPollArgs, type ObservedPollResult, observedPollTable } from './observed-poll-cost.ts';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const quick = smoke || argv.includes('--quick');
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;

const ROW_SECONDS = smoke ? 0.3 : quick ? 1 : 5;
const WARMUP_SECONDS = smoke ? 0 : quick ? 0.3 : 1;
const MAX_REQUESTS = 1_000_000; // per row: the bound on requests, besides the bound on time
const CONCURRENCY = smoke ? [4] : quick ? [1, 16] : [1, 16, 64];
const SUBSCRIBERS = smoke ? [5] : quick ? [20, 100] : [100, 1000, 5000];
const FANOUT_ROUNDS = smoke ? 2 : quick ? 5 : 40;
const FANOUT_WARMUP_SUBSCRIBERS = smoke ? 0 : 200;
const TX_OPS = smoke ? 20 : quick ? 100 : 2000;
// PostgreSQL commits wait for the disk (milliseconds each): fewer cycles keep the row under a minute.
const TX_OPS_POSTGRES = smoke ? 10 : quick ? 50 : 300;
// A PostgreSQL server to create the databases of rows 6 and 8 on: BENCH_POSTGRES_URL, else
// the local one the tests use; BENCH_POSTGRES_URL= (empty) leaves the PostgreSQL rows out.
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
const HANDOFF_ROUNDS = smoke ? 5 : quick ? 50 : 500;
const HANDOFF_WARMUP = smoke ? 0 : quick ? 10 : 50;
const HANDOFF_TOOL = 'handoff';
const SWEEP: SweepArgs = {
  ...(smoke
    ? { leases: 200, idleRounds: 20, due: 10, dueRounds: 2, postgresDueRounds: 2 }
    : quick
      ? { leases: 2000, idleRounds: 200, due: 100, dueRounds: 5, postgresDueRounds: 2 }
      : { leases: 20_000, idleRounds: 1000, due: 100, dueRounds: 20, postgresDueRounds: 5 }),
  postgresUrl: POSTGRES_URL || null,
};
// Reports and statements over one month of history: a million events, the size the target names.
const REPORTS: ReportsArgs = {
  events: smoke ? 20_000 : quick ? 200_000 : 1_000_000,
  rounds: smoke ? 1 : quick ? 3 : 5,
  postgresUrl: POSTGRES_URL || null,
};
// The worst read of the hostile probe: 104,000 raw events in the current hour, readers
// repeating 15 aliases of statement { total csv }; /healthz and a borrow measured meanwhile,
// on SQLite and on PostgreSQL.
const HOSTILE: HostileArgs = {
  events: smoke ? 5000 : 104_000,
  readers: 4,
  aliases: 15,
  seconds: smoke ? 1 : quick ? 5 : 15,
  postgresUrl: POSTGRES_URL || null,
};
// Observed polling: 50 FlexNet sources polled by the server at the shortest interval the API
// takes; the claim is about 50 sources every 30 s, projected from the CPU per poll.
const OBSERVED_POLL: ObservedPollArgs = smoke
  ? { sources: 5, intervalSeconds: 5, seconds: 3, idleSeconds: 1, lines: 300 }
  : { sources: 50, intervalSeconds: 5, seconds: quick ? 10 : 30, idleSeconds: quick ? 3 : 10, lines: 300 };
// Scale-out (several processes on one PostgreSQL + Redis, beside one SQLite process, with
// pgbench's hot-row ceiling): `npm run bench -- --scale-out` runs these rows alone.
// BENCH_AB_REF=<commit> adds an interleaved A/B of one SQLite process against that build.
const SCALE_OUT: ScaleOutArgs = {
  postgresUrl: POSTGRES_URL || null,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  seconds: smoke ? 1 : quick ? 3 : 10,
  warmupSeconds: smoke ? 0 : 1,
  connections: 16,
  abRef: process.env.BENCH_AB_REF || null,
  abRounds: smoke ? 1 : 3,
};
const n0s = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ms1 = (x: number) => (!Number.isFinite(x) ? 'n/a' : x < 10 ? x.toFixed(2) : x.toFixed(1));
/** The scale-out rows as Markdown (docs/performance.md quotes them). */
function scaleOutTable(r: ScaleOutResult): string[] {
  const out = [
    `| # | Scale-out: REST borrow+return, ${SCALE_OUT.connections} connections split over the processes | Pools | Cycles/s | p50 ms | p99 ms | Errors |`,
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    out.push(
      `| 12 | ${row.setup} | ${row.pools} | ${n0s(row.cyclesPerSecond)} | ${ms1(row.p50Ms)} | ${ms1(row.p99Ms)} | ${row.errors}${row.errorSamples.length ? ` (${row.errorSamples[0]})` : ''} |`,
    );
  }
  if (r.pgbench)
    out.push(
      `| 12 | PostgreSQL's own ceiling: pgbench, 16 clients, BEGIN; SELECT … FOR UPDATE of one hot row; UPDATE; INSERT; COMMIT (a borrow's shape; a cycle is two) | 1 | ${n0s(r.pgbench.tps)} tx/s | — | ${ms1(r.pgbench.latencyMs)} (mean) | ${r.pgbench.failed} |`,
    );
  if (r.ab) {
    const rounds = r.ab.rounds.map((x) => `${n0s(x.a)} / ${n0s(x.b)} (${n0s(x.aCpu)} / ${n0s(x.bCpu)} µs CPU per request)`).join(', ');
    out.push(
      '',
      `Interleaved A/B, 1 SQLite process, cad_tool, cycles/s this build / ${r.ab.ref.slice(0, 12)} per round: ${rounds}; ` +
        `throughput ratio ${r.ab.ratio.toFixed(2)}, server CPU per request ratio (${r.ab.ref.slice(0, 12)} / this build) ${r.ab.cpuRatio.toFixed(2)}.`,
    );
  }
  out.push(
    '',
    `Load average (1/5/15 min) before and after each row: ${r.load.map((l) => l.map((x) => x.toFixed(1)).join('/')).join(' → ')}.`,
  );
  if (r.skipped.length) out.push('', `Left out: ${r.skipped.join('; ')}.`);
  return out;
}
if (argv.includes('--scale-out')) {
  const r = await runChild<ScaleOutResult>('scale-out.ts', SCALE_OUT, 1_800_000);
  const table = scaleOutTable(r).join('\n');
  process.stdout.write(`### Floatline scale-out benchmark (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n${table}\n`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(r, null, 2));
  process.exit(0);
}
const CYCLE_TOOL = 'cad_tool';
const FANOUT_TOOL = 'analysis';

const log = (s: string) => process.stderr.write(`${s}\n`);
const load0 = loadavg();
const startedAt = new Date();

const dir = mkdtempSync(join(tmpdir(), 'floatline-bench-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const startFloatline = (logName: string) =>
  startListening(
    ['server/main.ts'],
    {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LICENSE_DB_PATH: join(dir, 'licenses.db'),
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      REDIS_URL: '',
      DATABASE_URL: '',
      // The fan-out opens thousands of WebSockets from this one address on purpose.
      WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    },
    join(dir, `${logName}.log`),
  );
const floatline = await startFloatline('floatline');
const bare = await startListening([new URL('bare-server.ts', import.meta.url).pathname], process.env, join(dir, 'bare.log'));
const floatlineUrl = `http://127.0.0.1:${floatline.port}`;
const bareUrl = `http://127.0.0.1:${bare.port}`;

async function putJson(path: string, body: unknown, base = floatlineUrl, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
}
// A pool big enough that no borrow of the cycle rows is ever denied.
const BIG_POOL = {
  tool: CYCLE_TOOL,
  total: 100_000,
  commit: 100_000,
  max_overage: 0,
  commit_price: 1000,
  overage_price_per_license: 100,
};
await putJson('/config/budget', BIG_POOL);

interface Row {
  group: string;
  workload: string;
  connections: number;
  result: LoadResult;
  unit: 'cycles' | 'req';
  ceiling?: LoadResult;
  /** Required-mode rows: the same workload in open mode, for the cost of authentication. */
  open?: LoadResult;
}
const rows: Row[] = [];
const ceilings = new Map<number, LoadResult>();

async function measure(url: string, scenario: Scenario, connections: number, extra: Partial<LoadArgs> = {}): Promise<LoadResult> {
  const serverPid = (url === bareUrl ? bare : floatline).child.pid;
  const args: LoadArgs = {
    url,
    scenario,
    connections,
    seconds: ROW_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    maxRequests: MAX_REQUESTS,
    serverPid,
    ...extra,
  };
  return runChild<LoadResult>('load.ts', args, (ROW_SECONDS + WARMUP_SECONDS) * 1000 + 60_000);
}

for (const c of CONCURRENCY) {
  log(`bare http, ${c} connections`);
  ceilings.set(c, await measure(bareUrl, 'get', c, { path: '/' }));
}
const plans: { group: string; workload: string; scenario: Scenario; unit: Row['unit']; extra?: Partial<LoadArgs> }[] = [
  { group: '1', workload: 'REST borrow+return', scenario: 'rest-cycle', unit: 'cycles', extra: { tool: CYCLE_TOOL } },
  { group: '2', workload: 'GraphQL borrow+return mutations', scenario: 'graphql-cycle', unit: 'cycles', extra: { tool: CYCLE_TOOL } },
  {
    group: '3',
    workload: 'REST pool status (GET /licenses/{tool}/status)',
    scenario: 'get',
    unit: 'req',
    extra: { path: `/licenses/${CYCLE_TOOL}/status` },
  },
  { group: '3', workload: 'GraphQL pool status (query pool)', scenario: 'graphql-status', unit: 'req', extra: { tool: CYCLE_TOOL } },
];
// Heartbeats renew one leased borrow (a one-hour lease, returned after the row): each
// renewal is a write transaction, as it would be for a fleet of leases.
const leased = await fetch(`${floatlineUrl}/licenses/borrow`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ tool: CYCLE_TOOL, user: 'bench-lease', lease_seconds: 3600 }),
});
if (leased.status !== 200) throw new Error(`leased borrow: ${leased.status} ${await leased.text()}`);
const leaseId = ((await leased.json()) as { id: string }).id;
plans.push({
  group: '3',
  workload: 'REST heartbeat (POST /licenses/heartbeat)',
  scenario: 'heartbeat',
  unit: 'req',
  extra: { borrowId: leaseId },
});
// AUTH_MODE=required with an API token: the REST borrow+return and status rows
// again, each request carrying `Authorization: Bearer flt_…` (looked up by SHA-256, then
// cached), against a second Floatline on its own file, measured right after the same open-
// mode row (interleaved A/B: both see the same machine). The cycle's user is the token's.
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const required = await startListening(
  ['server/main.ts'],
  {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LICENSE_DB_PATH: join(dir, 'licenses-required.db'),
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    REDIS_URL: '',
    DATABASE_URL: '',
    AUTH_MODE: 'required',
    FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN,
  },
  join(dir, 'required.log'),
);
const requiredUrl = `http://127.0.0.1:${required.port}`;
const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };
await putJson('/config/budget', BIG_POOL, requiredUrl, adminHeaders);
const created = await fetch(`${requiredUrl}/auth/tokens`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...adminHeaders },
  body: JSON.stringify({ name: 'bench', user: 'bench', role: 'user' }),
});
if (created.status !== 201) throw new Error(`token: ${created.status} ${await created.text()}`);
const tokenHeader = `Bearer ${((await created.json()) as { token: string }).token}`;
// A row's clock can stop between a borrow and its return: give those seats back before
// the next row, and count them (at most one per connection per run, warm-up included).
let cutMidCycle = 0;
let leakErrors = 0;
async function returnLeftovers(connections: number, base = floatlineUrl, headers: Record<string, string> = {}): Promise<void> {
  const held = (await (await fetch(`${base}/borrows?user=bench`, { headers })).json()) as { id: string }[];
  if (held.length > 2 * connections) leakErrors += held.length - 2 * connections;
  cutMidCycle += held.length;
  for (const b of held) {
    const res = await fetch(`${base}/licenses/return`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ id: b.id }),
    });
    if (res.status !== 200) leakErrors++;
  }
}
const withAuthRow = (p: (typeof plans)[number]) => p.scenario === 'rest-cycle' || (p.scenario === 'get' && p.group === '3');
const requiredRows: Row[] = [];
for (const p of plans) {
  for (const c of CONCURRENCY) {
    log(`${p.workload}, ${c} connections`);
    const result = await measure(floatlineUrl, p.scenario, c, p.extra);
    if (p.unit === 'cycles') await returnLeftovers(c);
    rows.push({ group: p.group, workload: p.workload, connections: c, unit: p.unit, result, ceiling: ceilings.get(c) });
    if (!withAuthRow(p)) continue;
    log(`required mode + API token: ${p.workload}, ${c} connections`);
    const authed = await runChild<LoadResult>(
      'load.ts',
      {
        url: requiredUrl,
        scenario: p.scenario,
        connections: c,
        seconds: ROW_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        maxRequests: MAX_REQUESTS,
        serverPid: required.child.pid,
        authorization: tokenHeader,
        ...p.extra,
      } satisfies LoadArgs,
      (ROW_SECONDS + WARMUP_SECONDS) * 1000 + 60_000,
    );
    if (p.unit === 'cycles') await returnLeftovers(c, requiredUrl, adminHeaders);
    requiredRows.push({
      group: '8',
      workload: `${p.workload}, AUTH_MODE=required + API token`,
      connections: c,
      unit: p.unit,
      result: authed,
      ceiling: ceilings.get(c),
      open: result,
    });
  }
}
rows.push(...requiredRows);
await fetch(`${floatlineUrl}/licenses/return`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: leaseId }),
});
for (const c of CONCURRENCY)
  rows.push({ group: '4', workload: 'bare Node http, fixed JSON (ceiling)', connections: c, unit: 'req', result: ceilings.get(c)! });

// Every borrow was returned (by its cycle or above): the pool must be back to zero.
const after = (await (await fetch(`${floatlineUrl}/licenses/${CYCLE_TOOL}/status`)).json()) as { borrowed: number };
const leakedOpen = after.borrowed;

await stopChild(floatline.child);
const afterRequired = (await (await fetch(`${requiredUrl}/licenses/${CYCLE_TOOL}/status`, { headers: adminHeaders })).json()) as {
  borrowed: number;
};
await stopChild(required.child);

// OpenTelemetry on (every request sampled, exported over OTLP/HTTP) vs off.
const tracing = await measureTracingCost({
  dir,
  concurrency: CONCURRENCY,
  rowSeconds: ROW_SECONDS,
  warmupSeconds: WARMUP_SECONDS,
  maxRequests: MAX_REQUESTS,
  rounds: smoke ? 1 : 3,
  spanRequests: smoke ? 2000 : 50_000,
  tool: CYCLE_TOOL,
  pool: BIG_POOL,
  log,
});

// Each fan-out run gets a freshly started Floatline on the same file, so its RSS
// baseline is not inflated by garbage the previous run left for the collector.
const fanouts: FanoutResult[] = [];
for (const transport of ['sse', 'ws'] as const) {
  for (const n of SUBSCRIBERS) {
    log(`fan-out: ${n} ${transport} subscribers`);
    const server = await startFloatline(`fanout-${transport}-${n}`);
    const args: FanoutArgs = {
      port: server.port,
      transport,
      subscribers: n,
      rounds: FANOUT_ROUNDS,
      serverPid: server.child.pid!,
      tool: FANOUT_TOOL,
      warmupSubscribers: FANOUT_WARMUP_SUBSCRIBERS,
    };
    try {
      fanouts.push(await runChild<FanoutResult>('fanout.ts', args, 180_000));
    } finally {
      await stopChild(server.child);
    }
  }
}

// Queue hand-off: a fresh server, a 1-seat pool of its own.
const handoffs: HandoffResult[] = [];
{
  const server = await startFloatline('handoff');
  try {
    const created = await fetch(`http://127.0.0.1:${server.port}/config/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: HANDOFF_TOOL, total: 1, commit: 1, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 }),
    });
    if (created.status !== 201) throw new Error(`POST /config/tools: ${created.status} ${await created.text()}`);
    for (const transport of ['sse', 'ws'] as const) {
      log(`queue hand-off over ${transport}, ${HANDOFF_ROUNDS} rounds`);
      const args: HandoffArgs = {
        port: server.port,
        transport,
        rounds: HANDOFF_ROUNDS,
        serverPid: server.child.pid!,
        tool: HANDOFF_TOOL,
        warmupRounds: HANDOFF_WARMUP,
      };
      handoffs.push(await runChild<HandoffResult>('handoff.ts', args, 180_000));
    }
  } finally {
    await stopChild(server.child);
  }
}

const leaked = leakedOpen + afterRequired.borrowed + leakErrors;
await stopChild(bare.child);
log(`expiry sweep: ${SWEEP.leases} live leases, SQLite and PostgreSQL`);
const sweep = await runChild<SweepResult>('sweep.ts', SWEEP, 300_000);
log('borrow and return transactions alone: LicenseStore on SQLite and on PostgreSQL');
const txArgs: TxArgs = { ops: TX_OPS, postgresOps: TX_OPS_POSTGRES, postgresUrl: POSTGRES_URL || null };
const tx = await runChild<TxResult>('tx.ts', txArgs, 300_000);
log(`reports and statements over a month of ${REPORTS.events} events: SQLite and PostgreSQL`);
const reports = await runChild<ReportsResult>('reports.ts', REPORTS, 900_000);
log(`${HOSTILE.readers} hostile readers of a statement over ${HOSTILE.events} raw events, /healthz and borrows meanwhile`);
const hostile = await runChild<HostileResult>('hostile-readers.ts', HOSTILE, 300_000);
log(`observed polling: ${OBSERVED_POLL.sources} FlexNet sources every ${OBSERVED_POLL.intervalSeconds} s for ${OBSERVED_POLL.seconds} s`);
const observedPoll = await runChild<ObservedPollResult>('observed-poll-cost.ts', OBSERVED_POLL, 300_000);
log("scale-out: processes on one PostgreSQL + Redis beside one SQLite process, pgbench's hot-row ceiling");
const scaleOut = await runChild<ScaleOutResult>('scale-out.ts', SCALE_OUT, 1_800_000);
rmSync(dir, { recursive: true, force: true });
const load1 = loadavg();

// ---- report ----
const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ms = (x: number) => (!Number.isFinite(x) ? 'n/a' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
/** Milliseconds with three significant digits down to the microsecond: a sweep can take 0.006 ms. */
const ms3 = (x: number) => (!Number.isFinite(x) ? 'n/a' : x < 0.1 ? x.toFixed(3) : ms(x));
const pct = (x: number) => (!Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`);
const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

const out: string[] = [];
out.push(`### Floatline benchmark${smoke ? ' (smoke mode: proves the harness, not the numbers)' : quick ? ' (quick mode)' : ''}`, '');
out.push(
  `Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average (1/5/15 min) ${la(load0)} at start, ${la(load1)} at end. ` +
    `Server and load generator (autocannon, its own process) on the same machine over 127.0.0.1; ` +
    `${ROW_SECONDS} s per row after ${WARMUP_SECONDS} s warm-up; Floatline as the image runs it (NODE_ENV=production), logging at info (one JSON line per request, to a file).`,
  '',
);
out.push('| # | Workload | Conn. | Throughput | Requests/s | p50 ms | p99 ms | vs bare http | Server CPU µs/req | Errors |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows.filter((row) => !row.open)) {
  const through = r.unit === 'cycles' ? `${n0(r.result.cyclesPerSecond)} cycles/s` : `${n0(r.result.requestsPerSecond)} req/s`;
  const ratio = r.ceiling ? pct(r.result.requestsPerSecond / r.ceiling.requestsPerSecond) : '100%';
  out.push(
    `| ${r.group} | ${r.workload} | ${r.connections} | ${through} | ${n0(r.result.requestsPerSecond)} | ${ms(r.result.p50Ms)} | ${ms(r.result.p99Ms)} | ${ratio} | ${n0(r.result.serverCpuUsPerRequest)} | ${r.result.errors} |`,
  );
}
const authRows = rows.filter((r) => r.open);
if (authRows.length) {
  out.push(
    '',
    '| # | AUTH_MODE=required + API token vs open mode | Conn. | Requests/s (required / open) | Throughput | Server CPU µs/req (required / open) | CPU cost | Errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of authRows) {
    const o = r.open!;
    out.push(
      `| 9 | ${r.workload.replace(', AUTH_MODE=required + API token', '')} | ${r.connections} | ${n0(r.result.requestsPerSecond)} / ${n0(o.requestsPerSecond)} | ` +
        `${pct(r.result.requestsPerSecond / o.requestsPerSecond)} | ${n0(r.result.serverCpuUsPerRequest)} / ${n0(o.serverCpuUsPerRequest)} | ` +
        `${r.result.serverCpuUsPerRequest >= o.serverCpuUsPerRequest ? '+' : ''}${pct(r.result.serverCpuUsPerRequest / o.serverCpuUsPerRequest - 1)} | ${r.result.errors} |`,
    );
  }
}
out.push(
  '',
  '| # | REST borrow+return, tracing on (100 % sampled, OTLP/HTTP) vs off | Conn. | Cycles/s (on / off) | Throughput | Server CPU µs/req (on / off) | CPU cost | Errors |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
  ...tracing.rows.map(
    (r) =>
      `| 10 | OTEL_EXPORTER_OTLP_ENDPOINT set vs unset | ${r.connections} | ${n0(r.on.cyclesPerSecond)} / ${n0(r.off.cyclesPerSecond)} | ` +
      `${pct(r.on.cyclesPerSecond / r.off.cyclesPerSecond)} | ${n0(r.on.serverCpuUsPerRequest)} / ${n0(r.off.serverCpuUsPerRequest)} | ` +
      `${r.on.serverCpuUsPerRequest >= r.off.serverCpuUsPerRequest ? '+' : ''}${pct(r.on.serverCpuUsPerRequest / r.off.serverCpuUsPerRequest - 1)} | ${r.on.errors + r.off.errors} |`,
  ),
  '',
  `Tracing rows: two fresh servers on their own files, measured off, on, off, on … at each connection count, the median of ${smoke ? 1 : 3} rounds each; the receiver took ${n0(tracing.exports)} OTLP exports (${(tracing.exportedBytes / 2 ** 20).toFixed(1)} MiB). ` +
    `Tracing's own CPU per request, measured alone (a borrow's two spans made and exported, bench/tracing-spans.ts; all threads, of which on the serving thread): ` +
    tracing.spans
      .map((s) => `${s.cpuUsPerRequest.toFixed(1)} µs (${s.servingThreadCpuUsPerRequest.toFixed(1)}) over ${s.protocol}`)
      .join(', ') +
    `, against ${n0(tracing.rows[0]?.off.serverCpuUsPerRequest ?? Number.NaN)} µs of server CPU per request with tracing off.`,
);
out.push(
  '',
  `Latencies are per request (a cycle is two); vs bare http compares requests/s at the same connection count; ` +
    `server CPU is the server process's user+system time per request (steadier than throughput on a busy machine). ` +
    `${cutMidCycle} borrows were cut mid-cycle when a row's clock stopped and returned afterwards; seats left borrowed or unexplained at the end: ${leaked}.`,
  '',
);
out.push(
  '| # | Subscription fan-out | Subscribers | Changes | Events delivered | Last event after response p50 ms | p99 ms | Server RSS per idle subscriber | Errors |',
);
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const f of fanouts) {
  out.push(
    `| 5 | ${f.transport === 'sse' ? 'SSE (GraphQL over HTTP)' : 'WebSocket (graphql-ws)'} | ${n0(f.subscribers)} | ${f.rounds} | ` +
      `${n0(f.delivered)} / ${n0(f.expected)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${(f.bytesPerSubscriber / 1024).toFixed(1)} KB | ${f.errors} |`,
  );
}
out.push(
  '',
  "| # | Borrow and return transactions alone (no HTTP), the server's stores | Cycles | µs per borrow | µs per return | Cycles/s |",
  '|---|---|---:|---:|---:|---:|',
);
const txRow = (name: string, ops: number, t: TxResult['sqlite']) =>
  `| 6 | ${name} | ${n0(ops)} | ${n0(t.borrowUs)} | ${n0(t.returnUs)} | ${n0(t.cyclesPerSecond)} |`;
out.push(txRow('LicenseStore: SQLite on better-sqlite3 (the default)', tx.ops, tx.sqlite));
if (tx.postgres)
  out.push(txRow(`LicenseStore: PostgreSQL ${tx.postgresVersion?.split(' ')[0]} on node-postgres`, tx.postgresOps, tx.postgres));
out.push(
  '',
  `A cycle is store.borrow() then store.return() on a pool with room: lock the pool, load its rows, decide (seat-rules.ts), write; best of three runs.` +
    (tx.postgres ? '' : ` No PostgreSQL row: ${tx.postgresSkipped}.`),
);
out.push(
  '',
  "| # | Queue hand-off: return → waiter's queueTicket event GRANTED | Rounds | Granted | p50 ms | p99 ms | Max ms | Server CPU µs/round | Errors |",
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
);
for (const h of handoffs) {
  out.push(
    `| 7 | ${h.transport === 'sse' ? 'SSE (GraphQL over HTTP)' : 'WebSocket (graphql-ws)'}, 1-seat pool | ${n0(h.rounds)} | ${n0(h.granted)} | ` +
      `${ms(h.p50Ms)} | ${ms(h.p99Ms)} | ${ms(h.maxMs)} | ${n0(h.serverCpuUsPerRound)} | ${h.errors} |`,
  );
}
out.push(
  '',
  `Per round: a holder borrows the seat, a waiter queues (202) and subscribes to its ticket; the holder returns; the time is from the return's HTTP response to the waiter's GRANTED event ` +
    `(${handoffs.reduce((a, h) => a + h.beforeResponse, 0)} events beat the response and count as 0). Server CPU covers the whole round: two borrows, the subscription, two returns.`,
);
out.push(
  '',
  '| # | Expiry sweep (licenses.sweepLeases, server time) | Live leases | Due per sweep | Sweeps | p50 ms | p99 ms | Mean ms | Released |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
);
const sweepRow = (name: string, due: number, t: SweepStoreResult['idle']) =>
  `| 8 | ${name} | ${n0(sweep.leases)} | ${n0(due)} | ${n0(t.rounds)} | ${ms3(t.p50Ms)} | ${ms3(t.p99Ms)} | ${ms3(t.meanMs)} | ${n0(t.released)} |`;
const sweepStores: [string, SweepStoreResult | null][] = [
  ['SQLite', sweep.sqlite],
  [`PostgreSQL ${sweep.postgresVersion?.split(' ')[0]}`, sweep.postgres],
];
for (const [db, r] of sweepStores) {
  if (!r) continue;
  out.push(sweepRow(`${db}: ${n0(sweep.leases)} live leases, nothing due`, 0, r.idle));
  out.push(sweepRow(`${db}: ${n0(sweep.leases)} live leases, ${n0(sweep.due)} due`, sweep.due, r.withDue));
}
out.push(
  '',
  `The live leases end in a day (SQLite: one real borrow each, ${sweep.sqlite.setupSeconds.toFixed(1)} s` +
    (sweep.postgres ? `; PostgreSQL: one INSERT of as many rows and ANALYZE, ${sweep.postgres.setupSeconds.toFixed(1)} s` : '') +
    `); the due ones are 5 s leases swept with a clock 6 s ahead. Live borrows after all sweeps: ` +
    sweepStores
      .filter(([, r]) => r)
      .map(([db, r]) => `${db} ${n0(r!.liveAfter)}`)
      .join(', ') +
    ` (each must equal the live leases).` +
    (sweep.postgres ? '' : ` No PostgreSQL rows: ${sweep.postgresSkipped}.`),
);
out.push(
  '',
  '| # | Reports over one month of one pool (the domain, server time) | Events | Rows | Median ms | Max ms | CPU ms |',
  '|---|---|---:|---:|---:|---:|---:|',
);
const reportStores: [string, ReportsResult['sqlite'] | null][] = [
  ['SQLite', reports.sqlite],
  [`PostgreSQL ${reports.postgresVersion?.split(' ')[0]}`, reports.postgres],
];
for (const [db, r] of reportStores) {
  if (!r) continue;
  for (const t of r.times) {
    out.push(`| 9 | ${db}: ${t.name} | ${n0(r.events)} | ${n0(t.rows)} | ${ms(t.medianMs)} | ${ms(t.maxMs)} | ${ms(t.cpuMs)} |`);
  }
}
out.push(
  '',
  `One 30-day month of one 400-seat pool: borrows and returns of 500 users (20 teams, 30 projects), one denial per ten borrows, ` +
    `a granted queue ticket per fifty, inserted by one INSERT … SELECT each (SQLite ${reports.sqlite.setupSeconds.toFixed(1)} s` +
    (reports.postgres ? `, PostgreSQL ${reports.postgres.setupSeconds.toFixed(1)} s` : '') +
    `); each report covers the whole month (series included), median of ${reports.rounds} after a warm-up. ` +
    `CPU ms is the measuring process's own (all of SQLite's work; for PostgreSQL only the client's), less sensitive to a busy machine than the wall time.` +
    (reports.postgres ? '' : ` No PostgreSQL rows: ${reports.postgresSkipped}.`),
);
out.push(
  '',
  `#### 11. Hostile readers: ${hostile.readers} clients repeating ${hostile.aliases} aliases of \`statement(tool: "big") { total csv }\` over ${n0(hostile.events)} raw events of the current hour`,
  '',
  '| Row | Phase | Store | Probe | Samples | p50 ms | p99 ms | Max ms | Reader answers | Server CPU ms | Max RSS MB |',
  '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
);
const hostileRuns = [['SQLite', hostile.sqlite] as const, ...(hostile.postgres ? [['PostgreSQL', hostile.postgres] as const] : [])];
for (const [store, run] of hostileRuns) {
  for (const [phase, r] of [
    ['no readers', run.baseline],
    [`${hostile.readers} hostile readers`, run.hostile],
  ] as const) {
    for (const [probe, l] of [
      ['/healthz', r.healthz],
      ['borrow', r.borrow],
    ] as const) {
      out.push(
        `| 11 | ${phase} | ${store} | ${probe} | ${l.samples} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${r.readerAnswers} | ${n0(r.serverCpuMs)} | ${r.maxRssMb.toFixed(0)} |`,
      );
    }
  }
}
out.push(
  '',
  `Each phase ${hostile.seconds} s; the probe asks /healthz, then borrows and returns a seat of another pool, every 20 ms. ` +
    'The target is p99 < 100 ms under the readers. Reader statuses: ' +
    hostileRuns
      .map(
        ([store, run]) =>
          `${store} ${Object.entries(run.hostile.readerStatuses)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
      )
      .join('; ') +
    '.' +
    (hostile.postgres ? '' : ` No PostgreSQL rows: ${hostile.postgresSkipped}.`),
);
const errorSamples = [
  ...rows.flatMap((r) => r.result.errorSamples),
  ...fanouts.flatMap((f) => f.errorSamples),
  ...handoffs.flatMap((h) => h.errorSamples),
  ...observedPoll.errorSamples,
];
out.push('', ...observedPollTable(observedPoll));
if (errorSamples.length) out.push('', 'First errors:', ...errorSamples.slice(0, 10).map((e) => `- \`${e.replace(/`/g, "'")}\``));
out.push('', ...scaleOutTable(scaleOut));
process.stdout.write(`${out.join('\n')}\n`);
if (jsonOut)
  writeFileSync(
    jsonOut,
    JSON.stringify(
      { startedAt, load0, load1, rows, tracing, fanouts, handoffs, sweep, tx, reports, hostile, observedPoll, scaleOut, leaked },
      null,
      2,
    ),
  );
process.exit(0);
