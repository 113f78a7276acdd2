// `floatline observe` and `floatline run --observed` against a real server process: the agent
// runs a fake `lmutil` (a script printing whatever the test last wrote) and pushes its output,
// the observed pool appears, and a job waiting on the full pool starts when a later snapshot
// frees a seat. Also: the agent rides out an unreachable server and follows a debug log.
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type RunningCli, runCli, startCli } from '../helpers/cli.ts';
import { postJson, type RunningServer, startServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/observed/${name}`, import.meta.url), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'floatline-observe-'));
const output = join(scratch, 'lmstat.txt');
const lmutil = join(scratch, 'lmutil');
const debugLog = join(scratch, 'lmgrd.log');
writeFileSync(lmutil, `#!/bin/sh\ncat '${output}'\n`);
chmodSync(lmutil, 0o755);

/** The v9 fixture with `inUse` of ansys's 3 seats taken. */
const ansysInUse = (inUse: number) =>
  fixture('lmstat-v9.txt')
    .replace('Total of 1 license in use', `Total of ${inUse} license${inUse === 1 ? '' : 's'} in use`)
    .replace(
      '    kwong cluster07 /dev/tty (v2026.0) (lic9/27000 101), start Mon 12/7 8:02',
      [
        '    kwong cluster07 /dev/tty (v2026.0) (lic9/27000 101), start Mon 12/7 8:02',
        '    mlee ws4 ws4 (v2026.0) (lic9/27000 102), start Mon 12/7 9:40',
        '    jdoe ws5 ws5 (v2026.0) (lic9/27000 103), start Mon 12/7 9:41',
      ]
        .slice(0, inUse)
        .join('\n'),
    );

let server: RunningServer;
let env: Record<string, string>;
const agents: RunningCli[] = [];
beforeAll(async () => {
  buildCli();
  server = await startServer();
  env = { FLOATLINE_URL: server.url };
  for (const name of ['agent-lic', 'log-lic']) {
    const r = await postJson(`${server.url}/observed/sources`, { name, kind: 'flexnet', interval_seconds: 5 });
    expect(r.status, r.text).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  for (const a of agents) if (a.process.exitCode === null) a.process.kill('SIGKILL');
  await server?.stop();
});

const get = async (path: string) => (await fetch(`${server.url}${path}`)).json() as Promise<any>;
const agent = (args: string[], e = env) => {
  const a = startCli(['observe', ...args], e);
  agents.push(a);
  return a;
};

describe('floatline observe and run --observed', () => {
  let observer: RunningCli;

  it('observe runs the command, pushes its output, prints a line per push, and the pool appears', async () => {
    writeFileSync(output, ansysInUse(3));
    observer = agent(['agent-lic', '--every', '5s', '--', lmutil, 'lmstat', '-a', '-c', '27000@lic9']);
    await observer.waitFor('stdout', /^taken_at=\S+ server_up=true features=2 in_use=3 unparsed_lines=0\n/);
    expect(observer.stderr()).toBe(`floatline: pushing ${lmutil} lmstat -a -c 27000@lic9 to agent-lic every 5s\n`);
    const { pools } = await get('/observed/pools?source=agent-lic');
    expect(pools.find((p: any) => p.feature === 'ansys')).toMatchObject({ issued: 3, in_use: 3, stale: false });
    expect((await get('/observed/sources')).sources.find((s: any) => s.name === 'agent-lic')).toMatchObject({ server_up: true });
  });

  it('run --observed --wait waits while the pool is full and starts when a later snapshot frees a seat', async () => {
    const job = startCli(
      ['run', '--observed', 'agent-lic/ansys', '--wait', '60s', '--', 'sh', '-c', 'echo "started $FLOATLINE_OBSERVED"'],
      env,
    );
    await job.waitFor('stderr', /agent-lic\/ansys is full \(3 of 3 in use\); watching for a free license\n/);
    expect(job.stdout()).toBe('');

    writeFileSync(output, ansysInUse(2)); // mlee stays, jdoe checks in
    await observer.waitFor('stdout', /in_use=2 unparsed_lines=0\n/, 15_000);
    const r = await job.finished;
    expect(r).toMatchObject({ code: 0, stdout: 'started agent-lic/ansys\n' });
    expect(r.stderr).toMatch(
      /^floatline: agent-lic\/ansys is full \(3 of 3 in use\); watching for a free license\nfloatline: agent-lic\/ansys shows 1 free after .+; starting the command \(best-effort: the license server decides at check-out\)\n$/,
    );
  });

  it('a free pool starts at once; a full one without --wait exits 75 and --wait that runs out exits 76', async () => {
    expect(await runCli(['run', '--observed', 'agent-lic/struct', '--', 'sh', '-c', 'echo ran'], env)).toMatchObject({
      code: 0,
      stdout: 'ran\n',
      stderr: '',
    });
    writeFileSync(output, ansysInUse(3));
    await observer.waitFor('stdout', /in_use=2[\s\S]*in_use=3 unparsed_lines=0\n/, 15_000);
    const full = await runCli(['run', '--observed', 'agent-lic/ansys', '--', 'sh', '-c', 'echo ran'], env);
    expect(full).toMatchObject({ code: 75, stdout: '' });
    expect(full.stderr).toBe(
      'floatline: agent-lic/ansys is full (3 of 3 in use) (add --wait 10m to wait for a free license, or --wait to wait forever)\n',
    );
    const expired = await runCli(['run', '--observed', 'agent-lic/ansys', '--wait', '1s', '--', 'sh', '-c', 'echo ran'], env);
    expect(expired).toMatchObject({ code: 76, stdout: '' });
    expect(expired.stderr).toContain('floatline: no free agent-lic/ansys license within 1s (agent-lic/ansys is full (3 of 3 in use))');
  });

  it('an unknown source or feature exits 65 without running the command', async () => {
    const noSource = await runCli(['run', '--observed', 'nowhere/ansys', '--wait', '--', 'sh', '-c', 'echo ran'], env);
    expect(noSource).toMatchObject({ code: 65, stdout: '', stderr: 'floatline: no observed source named nowhere\n' });
    const noFeature = await runCli(['run', '--observed', 'agent-lic/fluent', '--wait', '--', 'sh', '-c', 'echo ran'], env);
    expect(noFeature).toMatchObject({
      code: 65,
      stdout: '',
      stderr: 'floatline: agent-lic has no feature fluent (its last snapshot lists ansys, struct)\n',
    });
  });

  it('run --observed --wait says when the pool is stale (its server down) and keeps waiting until it is back with a seat', async () => {
    writeFileSync(output, fixture('lmstat-down.txt'));
    await observer.waitFor('stdout', /server_up=false[^\n]*\n$/, 15_000);
    const job = startCli(['run', '--observed', 'agent-lic/ansys', '--wait', '60s', '--', 'sh', '-c', 'echo back'], env);
    await job.waitFor('stderr', /^floatline: agent-lic\/ansys is stale: agent-lic is down \(.+\); waiting\n/);
    expect(job.stdout()).toBe('');
    writeFileSync(output, ansysInUse(1));
    const r = await job.finished;
    expect(r).toMatchObject({ code: 0, stdout: 'back\n' });
    expect(r.stderr).toMatch(/floatline: agent-lic\/ansys shows 2 free after .+; starting the command/);
  });

  it('observe exits 65 for a source the server does not know, and stops cleanly on SIGTERM', async () => {
    const r = await runCli(['observe', 'unregistered', '--every', '5s', '--', lmutil], env);
    expect(r).toMatchObject({ code: 65, stdout: '' });
    expect(r.stderr).toContain('floatline: unregistered: Observed source not found: unregistered\n');

    observer.process.kill('SIGTERM');
    const end = await observer.finished;
    expect(end.code).toBe(0);
    expect(end.stderr).toMatch(/floatline: stopped \(SIGTERM\)\n$/);
  });
});

describe('floatline observe keeps going', () => {
  it('says when the server cannot be reached, keeps running, and stops on SIGINT', async () => {
    // A port nothing listens on: the push fails, the agent says so and keeps its rhythm.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const a = agent(['agent-lic', '--every', '5s', '--', lmutil], { FLOATLINE_URL: `http://127.0.0.1:${port}` });
    await a.waitFor('stderr', /could not push the snapshot: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; trying again in 5s\n/);
    expect(a.process.exitCode).toBeNull();
    a.process.kill('SIGINT');
    expect((await a.finished).code).toBe(0);
  });

  it('says when the command fails, and follows the debug log: new lines become events', async () => {
    writeFileSync(debugLog, fixture('lmgrd-debug.log')); // old lines: not pushed
    const a = agent(['log-lic', '--every', '5s', '--log', debugLog, '--', join(scratch, 'no-such-lmutil')]);
    await a.waitFor('stderr', /no-such-lmutil failed: .*no-such-lmutil: command not found; trying again in 5s\n/);
    appendFileSync(
      debugLog,
      '11:00:00 (MLM) OUT: "MATLAB" agent@ws7  \n11:00:30 (MLM) DENIED: "MATLAB" late@ws8  (Licensed number of users already reached. (-4,342))\n',
    );
    await a.waitFor('stdout', /^log lines=2 out=1 in=0 denied=1 unsupported=0 unparsed_lines=0\n/m);
    const { events } = await waitFor(
      async () => {
        const r = await get('/observed/events?source=log-lic');
        return r.events.length === 2 && r;
      },
      5_000,
      'the two log events',
    );
    expect(events.map((e: any) => [e.kind, e.user, e.origin])).toEqual([
      ['denied', 'late', 'log'],
      ['out', 'agent', 'log'],
    ]);
    a.process.kill('SIGTERM');
    expect((await a.finished).code).toBe(0);
  });
});

describe('with AUTH_MODE=required, FLOATLINE_TOKEN is sent as it is by the other commands', () => {
  const ADMIN_TOKEN = 'observe-admin-token-0123456789abcdef';
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let secured: RunningServer;
  beforeAll(async () => {
    secured = await startServer({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
    const r = await postJson(`${secured.url}/observed/sources`, { name: 'sec-lic', kind: 'flexnet' }, { headers: admin });
    expect(r.status, r.text).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await secured?.stop();
  });

  it("an admin token pushes; a user's token is refused with exit 77, and it reads observed pools for run --observed", async () => {
    writeFileSync(output, ansysInUse(1));
    const a = agent(['sec-lic', '--every', '5s', '--', lmutil], { FLOATLINE_URL: secured.url, FLOATLINE_TOKEN: ADMIN_TOKEN });
    await a.waitFor('stdout', /^taken_at=\S+ server_up=true features=2 in_use=1 unparsed_lines=0\n/);
    a.process.kill('SIGTERM');
    expect((await a.finished).code).toBe(0);

    const made = await postJson(`${secured.url}/auth/tokens`, { name: 'job', user: 'jobs', role: 'user' }, { headers: admin });
    expect(made.status, made.text).toBe(201);
    const userEnv = { FLOATLINE_URL: secured.url, FLOATLINE_TOKEN: made.json.token as string };
    const refused = await runCli(['observe', 'sec-lic', '--every', '5s', '--', lmutil], userEnv);
    expect(refused).toMatchObject({ code: 77, stdout: '' });
    expect(refused.stderr).toMatch(/floatline: sec-lic: .*\(check FLOATLINE_TOKEN\)\n$/);

    expect(await runCli(['run', '--observed', 'sec-lic/ansys', '--', 'sh', '-c', 'echo ran'], userEnv)).toMatchObject({
      code: 0,
      stdout: 'ran\n',
    });
    const anonymous = await runCli(['run', '--observed', 'sec-lic/ansys', '--', 'sh', '-c', 'echo ran'], { FLOATLINE_URL: secured.url });
    expect(anonymous).toMatchObject({ code: 77, stdout: '' });
  });
});
