// The fast tier's real-process smoke test: the bundle `npm start` runs (dist/server/main.mjs)
// started as a process on a free port with its own database, one borrow and return over the
// socket, one GraphQL query, then SIGTERM and a clean exit. Everything else in this tier calls
// an in-process Floatline; this proves the bundle itself starts, serves and stops. Restarts,
// kill -9 and the rest of what real processes prove live in test/e2e/.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/wait.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist/server/main.mjs');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Whether something accepts TCP connections on the port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

let child: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'floatline-smoke-'));
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled server as a process', () => {
  it('starts, lends and returns a seat over the socket, answers GraphQL, and exits 0 on SIGTERM', async () => {
    // `npm test` builds before vitest (and the global set-up refreshes the server bundle);
    // run on its own, this file needs `npm run build` first.
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` first`).toBe(true);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawn(process.execPath, [BUNDLE], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LICENSE_DB_PATH: join(dir, 'licenses.db'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
    const events = () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { event?: string }).event);
    const tail = () => `exit code: ${proc.exitCode}\nstderr:\n${stderr.slice(-2000)}\nstdout:\n${stdout.slice(-2000)}`;

    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`the server exited before it was ready\n${tail()}`);
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok;
      },
      30_000,
      `${url}/readyz to answer 200`,
      { context: tail },
    );
    expect(events()).toContain('server_listening');

    // The seeded pools, over REST.
    const pools = (await (await fetch(`${url}/licenses/status`)).json()) as { tool: string; total: number }[];
    expect(Object.fromEntries(pools.map((p) => [p.tool, p.total]))).toEqual({ cad_tool: 5, simulation: 3, analysis: 2 });

    const borrowed = await post(`${url}/licenses/borrow`, { tool: 'cad_tool', user: 'smoke' });
    expect(borrowed.status).toBe(200);
    expect(borrowed.json).toMatchObject({ tool: 'cad_tool', user: 'smoke' });
    expect(typeof borrowed.json.id).toBe('string');

    const query = '{ pools { tool total borrowed available } }';
    const held = await post(`${url}/graphql`, { query });
    expect(held.status).toBe(200);
    expect(held.json.errors).toBeUndefined();
    expect(held.json.data.pools).toContainEqual({ tool: 'cad_tool', total: 5, borrowed: 1, available: 4 });

    const returned = await post(`${url}/licenses/return`, { id: borrowed.json.id });
    expect(returned).toEqual({ status: 200, json: { status: 'ok', tool: 'cad_tool' } });
    const after = (await (await fetch(`${url}/licenses/cad_tool/status`)).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ tool: 'cad_tool', total: 5, borrowed: 0, available: 5 });

    proc.kill('SIGTERM');
    expect(await exited, tail()).toBe(0);
    expect(events()).toEqual(expect.arrayContaining(['shutdown_started', 'shutdown_complete']));
    expect(await accepts(port)).toBe(false);
  });
});
