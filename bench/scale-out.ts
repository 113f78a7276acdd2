// Scale-out rows of `npm run bench`: several Floatline processes on one PostgreSQL database
// and one Redis, 16 connections doing REST borrow + return split evenly over the processes,
// beside one SQLite process in the same run, PostgreSQL's own hot-row ceiling (pgbench), and
// an interleaved A/B of one SQLite process against another build of Floatline (BENCH_AB_REF,
// a git commit: extracted with `git archive`, run on this node_modules).
//
// Each process gets its own load generator (autocannon in its own process); their
// latencies are merged for exact percentiles. Rows run one after the other on a machine
// that may be shared: the load average is printed with them.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, percentile, runChild, sortedCopy, startListening, stopChild } from './lib.ts';
import type { LoadArgs, LoadResult } from './load.ts';

export interface ScaleOutArgs {
  postgresUrl: string | null;
  redisUrl: string | null;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** A commit to compare one SQLite process against (interleaved A/B); null: no A/B row. */
  abRef: string | null;
  abRounds: number;
}

export interface ScaleOutRow {
  setup: string;
  processes: number;
  pools: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorSamples: string[];
  /** Server CPU (user + system) per request, µs, summed over the processes: steadier than throughput on a busy machine. */
  serverCpuUsPerRequest: number;
}

export interface ScaleOutResult {
  rows: ScaleOutRow[];
  /** pgbench: transactions/s of the hot-row script at the same client count. */
  pgbench: { tps: number; latencyMs: number; failed: number } | null;
  ab: { rounds: { a: number; b: number; aCpu: number; bCpu: number }[]; ratio: number; cpuRatio: number; ref: string } | null;
  skipped: string[];
  load: number[][];
}

const args = JSON.parse(process.argv[2]!) as ScaleOutArgs;
const dir = mkdtempSync(join(tmpdir(), 'floatline-scale-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const skipped: string[] = [];
const load: number[][] = [loadavg()];
const BIG = { total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 };
const POOLS = Array.from({ length: 20 }, (_, i) => `spread_${String(i).padStart(2, '0')}`);

type Server = Awaited<ReturnType<typeof startListening>> & { url: string };
async function start(name: string, env: Record<string, string>, main = 'server/main.ts'): Promise<Server> {
  const s = await startListening(
    [main],
    {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      REDIS_URL: '',
      DATABASE_URL: '',
      ...env,
    },
    join(dir, `${name}.log`),
    120_000,
  );
  return { ...s, url: `http://127.0.0.1:${s.port}` };
}

async function send(url: string, method: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}
async function preparePools(url: string): Promise<void> {
  await send(`${url}/config/budget`, 'PUT', { tool: 'cad_tool', ...BIG });
  for (const tool of POOLS) await send(`${url}/config/tools`, 'POST', { tool, ...BIG });
}

/** 16 connections split over the servers, each share its own autocannon; latencies merged. */
async function cycle(setup: string, servers: Server[], tools: string[]): Promise<ScaleOutRow> {
  const per = servers.map((_, i) => Math.floor(args.connections / servers.length) + (i < args.connections % servers.length ? 1 : 0));
  const files = servers.map((_, i) => join(dir, `lat-${randomUUID()}-${i}`));
  const results = await Promise.all(
    servers.map((s, i) =>
      runChild<LoadResult>(
        'load.ts',
        {
          url: s.url,
          scenario: 'rest-cycle',
          connections: per[i]!,
          seconds: args.seconds,
          warmupSeconds: args.warmupSeconds,
          maxRequests: 1_000_000,
          tool: tools[0],
          tools,
          latenciesFile: files[i],
          serverPid: s.child.pid,
        } satisfies LoadArgs,
        (args.seconds + args.warmupSeconds) * 1000 + 60_000,
      ),
    ),
  );
  const all = sortedCopy(
    files.flatMap((f) => {
      const b = readFileSync(f);
      return Array.from(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8));
    }),
  );
  load.push(loadavg());
  return {
    setup,
    processes: servers.length,
    pools: tools.length,
    cyclesPerSecond: results.reduce((n, r) => n + r.cyclesPerSecond, 0),
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    errors: results.reduce((n, r) => n + r.errors, 0),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 3),
    // Each load's requests were served by its own process: CPU per request weighted by requests.
    serverCpuUsPerRequest:
      results.reduce((n, r) => n + r.serverCpuUsPerRequest * r.requests, 0) /
      Math.max(
        1,
        results.reduce((n, r) => n + r.requests, 0),
      ),
  };
}

const rows: ScaleOutRow[] = [];
let pgbench: ScaleOutResult['pgbench'] = null;
let ab: ScaleOutResult['ab'] = null;

// One SQLite process, the default.
const sqlite = await start('sqlite', { LICENSE_DB_PATH: join(dir, 'one.db') });
await preparePools(sqlite.url);
rows.push(await cycle('1 process, SQLite', [sqlite], ['cad_tool']));
rows.push(await cycle('1 process, SQLite', [sqlite], POOLS));

// PostgreSQL + Redis: a throwaway database on the server postgresUrl names.
if (!args.postgresUrl) skipped.push('no PostgreSQL URL (BENCH_POSTGRES_URL)');
else if (!args.redisUrl) skipped.push('no Redis URL (BENCH_REDIS_URL)');
else {
  const admin = new pg.Client({ connectionString: args.postgresUrl, connectionTimeoutMillis: 3000 });
  const dbName = `floatline_scale_${randomUUID().slice(0, 8)}`;
  const dbUrl = args.postgresUrl.replace(/\/[^/]*$/, `/${dbName}`);
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const env = { DATABASE_URL: dbUrl, REDIS_URL: args.redisUrl };
    const servers = [await start('pg-0', env)];
    await preparePools(servers[0]!.url);
    servers.push(await start('pg-1', env));
    rows.push(await cycle('2 processes, PostgreSQL + Redis', servers, ['cad_tool']));
    rows.push(await cycle('2 processes, PostgreSQL + Redis', servers, POOLS));
    servers.push(await start('pg-2', env));
    rows.push(await cycle('3 processes, PostgreSQL + Redis', servers, ['cad_tool']));
    rows.push(await cycle('3 processes, PostgreSQL + Redis', servers, POOLS));
    // The same run's SQLite again, after the PostgreSQL rows: how much the machine drifted.
    rows.push(await cycle('1 process, SQLite (again)', [sqlite], ['cad_tool']));
    await Promise.all(servers.map((s) => stopChild(s.child)));
    pgbench = hotRow(dbUrl);
  } catch (err) {
    skipped.push(`PostgreSQL rows: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}
await stopChild(sqlite.child);

/**
 * PostgreSQL's own ceiling for the shape of a borrow, on a table of its own in the same
 * database: lock one hot row, update it, insert a row, commit; the same client count.
 */
function hotRow(dbUrl: string): ScaleOutResult['pgbench'] {
  const which = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) {
    skipped.push('pgbench is not installed (Debian: postgresql-contrib)');
    return null;
  }
  execFileSync('psql', [
    dbUrl,
    '-qc',
    `CREATE TABLE hot (name text PRIMARY KEY, n int NOT NULL); INSERT INTO hot VALUES ('hot', 0);
     CREATE TABLE hot_log (id bigserial PRIMARY KEY, at timestamp(3) NOT NULL, name text NOT NULL, n int NOT NULL);`,
  ]);
  const script = join(dir, 'hot.sql');
  execFileSync('sh', [
    '-c',
    `cat > ${script} <<'SQL'
BEGIN;
SELECT n FROM hot WHERE name = 'hot' FOR UPDATE;
UPDATE hot SET n = n + 1 WHERE name = 'hot';
INSERT INTO hot_log (at, name, n) VALUES (now(), 'hot', 1);
COMMIT;
SQL`,
  ]);
  const out = execFileSync(
    'pgbench',
    ['-n', '-c', String(args.connections), '-j', '2', '-T', String(Math.max(3, args.seconds)), '-f', script, dbUrl],
    { encoding: 'utf8' },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  load.push(loadavg());
  return { tps, latencyMs, failed };
}

// Interleaved A/B, one SQLite process each: this build (A) and BENCH_AB_REF (B), one row
// each per round, alternating, so both see the same machine.
if (args.abRef) {
  const old = join(dir, 'ab-ref');
  try {
    execFileSync('sh', ['-c', `mkdir -p ${old} && git -C ${ROOT} archive ${args.abRef} | tar -x -C ${old}`]);
    symlinkSync(join(ROOT, 'node_modules'), join(old, 'node_modules'));
    if (existsSync(join(ROOT, 'server/db/generated')))
      cpSync(join(ROOT, 'server/db/generated'), join(old, 'server/db/generated'), { recursive: true });
    const a = await start('ab-a', { LICENSE_DB_PATH: join(dir, 'ab-a.db') });
    const b = await start('ab-b', { LICENSE_DB_PATH: join(dir, 'ab-b.db') }, join(old, 'server/main.ts'));
    await send(`${a.url}/config/budget`, 'PUT', { tool: 'cad_tool', ...BIG });
    await send(`${b.url}/config/budget`, 'PUT', { tool: 'cad_tool', ...BIG });
    const rounds: { a: number; b: number; aCpu: number; bCpu: number }[] = [];
    for (let i = 0; i < args.abRounds; i++) {
      const ra = await cycle('A', [a], ['cad_tool']);
      const rb = await cycle('B', [b], ['cad_tool']);
      rounds.push({ a: ra.cyclesPerSecond, b: rb.cyclesPerSecond, aCpu: ra.serverCpuUsPerRequest, bCpu: rb.serverCpuUsPerRequest });
    }
    await Promise.all([stopChild(a.child), stopChild(b.child)]);
    const sum = (k: 'a' | 'b' | 'aCpu' | 'bCpu') => rounds.reduce((n, r) => n + r[k], 0);
    // cpuRatio: B's CPU per request over A's (above 1: this build needs less CPU per request).
    ab = { rounds, ratio: sum('a') / sum('b'), cpuRatio: sum('bCpu') / sum('aCpu'), ref: args.abRef };
  } catch (err) {
    skipped.push(`A/B against ${args.abRef}: ${(err as Error).message.split('\n')[0]}`);
  }
}

const result: ScaleOutResult = { rows, pgbench, ab, skipped, load };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
