// `floatline` with FLOATLINE_TOKEN and no FLOATLINE_USER, against AUTH_MODE=required: the
// borrower is the token's own user, not the login name of the machine (in CI that is "runner"
// or "root"). Borrow, run, `borrows --mine` and waiting in line all act as that user, and the
// README's GitHub Actions step runs as written.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, startCli } from '../helpers/cli.ts';
import { postJson, type RunningServer, startServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const ADMIN_TOKEN = 'identity-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
// A name that is certainly not this machine's login name, so the test tells the two apart.
const OWNER = userInfo().username === 'cleo' ? 'dora' : 'cleo';
let server: RunningServer;
let token: string;

beforeAll(async () => {
  buildCli();
  server = await startServer({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
  const r = await postJson(`${server.url}/auth/tokens`, { name: 'ci', user: OWNER, role: 'user' }, { headers: admin });
  expect(r.status, r.text).toBe(201);
  token = r.json.token;
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const get = async <T>(path: string) => (await (await fetch(`${server.url}${path}`, { headers: admin })).json()) as T;
const borrowsOf = (user: string) => get<{ id: string; user: string; tool: string }[]>(`/borrows?user=${user}`);
const env = () => ({ FLOATLINE_URL: server.url, FLOATLINE_TOKEN: token });

describe("floatline with only FLOATLINE_TOKEN acts as the token's user", () => {
  it('borrows in the token owner\'s name, lists them with "borrows --mine" and returns them', async () => {
    const borrowed = await runCli(['borrow', 'cad_tool'], env());
    expect(borrowed.stderr).toBe('');
    expect(borrowed.code).toBe(0);
    const id = borrowed.stdout.trim();
    expect(await borrowsOf(OWNER)).toMatchObject([{ id, user: OWNER }]);

    const mine = await runCli(['borrows', '--mine', '--json'], env());
    expect(mine.code, mine.stderr).toBe(0);
    expect(JSON.parse(mine.stdout)).toMatchObject([{ id, user: OWNER, tool: 'cad_tool' }]);

    const returned = await runCli(['return', id], env());
    expect(returned.code, returned.stderr).toBe(0);
    expect(await borrowsOf(OWNER)).toEqual([]);
  });

  it("runs the README's GitHub Actions step: waits in line as the token's user, runs the job, returns the seat", async () => {
    // Fill the simulation pool (3 seats) with someone else's borrows, so the step has to wait.
    const held: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await postJson(`${server.url}/licenses/borrow`, { tool: 'simulation', user: `other${i}` }, { headers: admin });
      expect(r.status, r.text).toBe(200);
      held.push(r.json.id);
    }
    const dir = mkdtempSync(join(tmpdir(), 'floatline-ci-'));
    const script = join(dir, 'run-regression.sh');
    const finish = join(dir, 'finish');
    // The job holds its seat until the test has seen whose it is.
    writeFileSync(script, `#!/bin/sh\nwhile [ ! -e '${finish}' ]; do sleep 0.05; done\necho "regression suite passed"\n`);
    chmodSync(script, 0o755);

    // The step's own command line: FLOATLINE_URL and FLOATLINE_TOKEN, no FLOATLINE_USER.
    const job = startCli(['run', 'simulation', '--wait', '15m', '--lease', '2m', '--', script], env());
    const waiting = await waitFor(
      async () => (await get<{ user: string }[]>('/queue?tool=simulation')).find((t) => t.user === OWNER),
      20_000,
      `${OWNER} waiting in the simulation line`,
    );
    expect(waiting).toMatchObject({ user: OWNER });
    expect((await postJson(`${server.url}/licenses/return`, { id: held.shift() }, { headers: admin })).status).toBe(200);
    const seat = await waitFor(
      async () => (await borrowsOf(OWNER)).find((b) => b.tool === 'simulation'),
      20_000,
      `${OWNER} holding the simulation seat the job runs under`,
    );
    expect(seat).toMatchObject({ user: OWNER });
    writeFileSync(finish, '');

    const done = await job.finished;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/got a seat of simulation after .* in the queue/);
    expect(done.stdout).toContain('regression suite passed');
    expect(await borrowsOf(OWNER)).toEqual([]);
    for (const id of held) await postJson(`${server.url}/licenses/return`, { id }, { headers: admin });
  });

  it('FLOATLINE_USER still wins over the token, and a refused token stops before borrowing (exit 77)', async () => {
    const other = await runCli(['borrow', 'cad_tool'], { ...env(), FLOATLINE_USER: 'mallory' });
    expect(other.code).toBe(77);
    expect(other.stderr).toMatch(/own name/);

    const bad = await runCli(['run', 'cad_tool', '--', process.execPath, '-e', ''], { ...env(), FLOATLINE_TOKEN: 'not-a-token' });
    expect(bad.code).toBe(77);
    expect(bad.stderr).toMatch(/FLOATLINE_TOKEN/);
    expect(await borrowsOf(OWNER)).toEqual([]);
  });
});
