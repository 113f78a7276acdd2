// CPU profiles of AUTH_MODE=open and required + API token under the same load
// (`node --import tsx bench/auth-profile.ts <scenario> <requests> <outdir>`): both servers run
// with --cpu-prof; each gets `requests` requests of the scenario (after a warm-up), then stops
// and writes its .cpuprofile into outdir. Compare self time by function to find what
// required mode adds.
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, runChild, stopChild } from './lib.ts';
import type { LoadArgs, LoadResult, Scenario } from './load.ts';

const scenario = (process.argv[2] ?? 'get') as Scenario;
const requests = Number(process.argv[3] ?? 20000);
const outDir = process.argv[4] ?? '.';
const dir = mkdtempSync(join(tmpdir(), 'floatline-auth-prof-'));
const ADMIN = 'ab-admin-token-0123456789abcdef';
async function start(name: string, extra: Record<string, string>) {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${outDir}`, `--cpu-prof-name=${name}.cpuprofile`, '--import', 'tsx', 'server/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LICENSE_DB_PATH: join(dir, `${name}.db`),
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        REDIS_URL: '',
        DATABASE_URL: '',
        ...extra,
      },
      stdio: ['ignore', fd, 'inherit'],
    },
  );
  closeSync(fd);
  for (;;) {
    const line = readFileSync(log, 'utf8')
      .split('\n')
      .find((l) => l.includes('server_listening'));
    if (line) return { child, port: (JSON.parse(line) as { port: number }).port };
    await new Promise((r) => setTimeout(r, 100));
  }
}
const open = await start('open', {});
const required = await start('required', { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN });
const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
const pool = { tool: 'cad_tool', total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1000, overage_price_per_license: 100 };
await fetch(`http://127.0.0.1:${open.port}/config/budget`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(pool),
});
await fetch(`http://127.0.0.1:${required.port}/config/budget`, { method: 'PUT', headers: admin, body: JSON.stringify(pool) });
const created = await fetch(`http://127.0.0.1:${required.port}/auth/tokens`, {
  method: 'POST',
  headers: admin,
  body: JSON.stringify({ name: 'p', user: 'bench', role: 'user' }),
});
const token = ((await created.json()) as { token: string }).token;
for (const [srv, auth] of [
  [open, undefined],
  [required, `Bearer ${token}`],
] as const) {
  const args: LoadArgs = {
    url: `http://127.0.0.1:${srv.port}`,
    scenario,
    connections: 1,
    seconds: 60,
    warmupSeconds: 2,
    maxRequests: requests,
    serverPid: srv.child.pid,
    path: '/licenses/cad_tool/status',
    ...(auth ? { authorization: auth } : {}),
  };
  const r = await runChild<LoadResult>('load.ts', args, 120_000);
  console.log(srv === open ? 'open' : 'required', r.requests, r.serverCpuUsPerRequest.toFixed(1), 'µs/req');
}
await stopChild(open.child);
await stopChild(required.child);
