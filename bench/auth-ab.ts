// Interleaved A/B of AUTH_MODE=open and AUTH_MODE=required + API token, for the cost bound of
// identity on a shared machine (`node --import tsx bench/auth-ab.ts [rounds] [seconds]`).
// Each checkout given in AB_ROOTS (default: this one; e.g. AB_ROOTS=/tmp/before,. to
// compare a change with the code before it) runs two Floatlines, open and required, on
// their own files; every round runs the same load (load.ts, one connection unless
// AB_CONNECTIONS) against each server in turn, the order rotating, and reads the server's
// CPU time per request from /proc (AB_PARALLEL=1: all servers loaded at once, so outside
// load weighs on each alike). Wall-clock rates move with whatever else the machine runs;
// CPU per request moves less, and the median over rounds of the per-round required/open
// ratio least. A first round warms everything up and is not counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, runChild, startListening, stopChild } from './lib.ts';
import type { LoadArgs, LoadResult, Scenario } from './load.ts';

const rounds = Number(process.argv[2] ?? 8);
const seconds = Number(process.argv[3] ?? 2);
const connections = Number(process.env.AB_CONNECTIONS ?? 1);
const roots = (process.env.AB_ROOTS ?? ROOT).split(',').map((r) => resolve(r));
const dir = mkdtempSync(join(tmpdir(), 'floatline-auth-ab-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const ADMIN = 'ab-admin-token-0123456789abcdef';
const pool = { tool: 'cad_tool', total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 };

interface Variant {
  name: string;
  port: number;
  pid: number;
  stop: () => Promise<void>;
  authorization?: string;
}

async function start(root: string, i: number, required: boolean): Promise<Variant> {
  const name = `${roots.length > 1 ? `${i}:` : ''}${required ? 'required' : 'open'}`;
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LICENSE_DB_PATH: join(dir, `${i}-${required}.db`),
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    REDIS_URL: '',
    DATABASE_URL: '',
    ...(required ? { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN } : {}),
  };
  const srv = await startListening([join(root, 'server/main.ts')], env, join(dir, `${i}-${required}.log`));
  const base = `http://127.0.0.1:${srv.port}`;
  const headers = { 'content-type': 'application/json', ...(required ? { authorization: `Bearer ${ADMIN}` } : {}) };
  const r = await fetch(`${base}/config/budget`, { method: 'PUT', headers, body: JSON.stringify(pool) });
  if (r.status !== 200) throw new Error(`budget ${r.status}`);
  let authorization: string | undefined;
  if (required) {
    const created = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'ab', user: 'bench', role: 'user' }),
    });
    authorization = `Bearer ${((await created.json()) as { token: string }).token}`;
  }
  return { name, port: srv.port, pid: srv.child.pid!, stop: () => stopChild(srv.child), authorization };
}

const variants: Variant[] = [];
for (const [i, root] of roots.entries()) variants.push(await start(root, i, false), await start(root, i, true));
const scenarios: { name: string; scenario: Scenario; path?: string }[] = [
  { name: 'status', scenario: 'get', path: '/licenses/cad_tool/status' },
  { name: 'borrow+return', scenario: 'rest-cycle' },
];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const out: string[] = [];
for (const s of scenarios) {
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = -1; round < rounds; round++) {
    const order = variants.map((_, k) => variants[(k + Math.max(round, 0)) % variants.length]!);
    const run = async (v: Variant) => {
      const args: LoadArgs = {
        url: `http://127.0.0.1:${v.port}`,
        scenario: s.scenario,
        connections,
        seconds,
        warmupSeconds: 0.5,
        maxRequests: 1_000_000,
        serverPid: v.pid,
        ...(s.path ? { path: s.path } : {}),
        ...(v.authorization ? { authorization: v.authorization } : {}),
      };
      const r = await runChild<LoadResult>('load.ts', args, seconds * 1000 + 60_000);
      if (r.errors) throw new Error(`${v.name} ${s.name}: ${r.errorSamples.join('; ')}`);
      if (round >= 0) cpu.get(v.name)!.push(r.serverCpuUsPerRequest);
      process.stderr.write(`${s.name} ${v.name}: ${r.serverCpuUsPerRequest.toFixed(1)} µs/req, ${r.requestsPerSecond.toFixed(0)} req/s\n`);
    };
    // AB_PARALLEL=1: all servers loaded at the same time, so whatever else the machine runs
    // weighs on each alike (each gets a share of the cores); else one after another.
    if (process.env.AB_PARALLEL === '1') await Promise.all(order.map(run));
    else for (const v of order) await run(v);
  }
  for (let i = 0; i < roots.length; i++) {
    const o = cpu.get(variants[2 * i]!.name)!;
    const q = cpu.get(variants[2 * i + 1]!.name)!;
    const ratio = median(q.map((x, k) => x / o[k]!));
    out.push(
      `${s.name}${roots.length > 1 ? ` [${roots[i]}]` : ''}: open ${median(o).toFixed(1)} µs/req, required ${median(q).toFixed(1)} µs/req ` +
        `(medians of ${rounds}); median per-round ratio ${((ratio - 1) * 100).toFixed(1)}%`,
    );
  }
}
console.log(out.join('\n'));
for (const v of variants) await v.stop();
