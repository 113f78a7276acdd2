// `floatline run --wait` in the queue, `floatline queue`, and `floatline release` (an admin's
// revoke) stopping a running job, against a real server process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let env: Record<string, string>;
const scratch = mkdtempSync(join(tmpdir(), 'floatline-cli-'));
beforeAll(async () => {
  buildCli();
  server = await startServer();
  env = { FLOATLINE_URL: server.url };
  for (const tool of ['cli_q1', 'cli_q2', 'cli_q3']) {
    const pool = { tool, total: 1, commit: 1, max_overage: 0, commit_price: 0, overage_price_per_license: 0 };
    expect((await postJson(`${server.url}/config/tools`, pool)).status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const get = async (path: string) => (await fetch(`${server.url}${path}`)).json() as Promise<any>;
const borrow = async (tool: string, user: string) => {
  const r = await postJson(`${server.url}/licenses/borrow`, { tool, user });
  expect(r.status).toBe(200);
  return r.json.id as string;
};
const giveBack = async (id: string) => expect((await postJson(`${server.url}/licenses/return`, { id })).status).toBe(200);
/** A shell command that says it started, then runs until `flag` exists. */
const untilFlag = (flag: string) => ['sh', '-c', `echo started; while [ ! -e ${flag} ]; do sleep 0.05; done`];

describe('floatline run --wait', () => {
  it('queues on a full pool, prints each new position, and starts the moment a seat is returned', async () => {
    const holder = await borrow('cli_q1', 'holder');
    const firstDone = join(scratch, 'first-done');
    const first = startCli(['run', 'cli_q1', '--user', 'cli-first', '--wait', '30s', '--', ...untilFlag(firstDone)], env);
    await first.waitFor('stderr', /position 1\n/);
    const second = startCli(['run', 'cli_q1', '--user', 'cli-second', '--wait', '30s', '--', 'sh', '-c', 'echo started'], env);
    await second.waitFor('stderr', /position 2\n/);
    expect((await get('/queue?tool=cli_q1')).map((t: any) => [t.user, t.position, t.state])).toEqual([
      ['cli-first', 1, 'waiting'],
      ['cli-second', 2, 'waiting'],
    ]);
    expect(first.stdout()).toBe('');

    // The holder returns: the first waiter's command starts within a poll (≤ 1 s, plus starting
    // a shell on a busy 2-core machine) and the second moves up to position 1 (a new line,
    // since stderr is not a terminal).
    const returnedAt = Date.now();
    await giveBack(holder);
    await first.waitFor('stdout', /started/, 5_000);
    expect(Date.now() - returnedAt).toBeLessThan(4_000);
    await second.waitFor('stderr', /position 2\n.*position 1\n/s, 5_000);
    expect(first.stderr()).toMatch(
      /^floatline: cli_q1 is full; waiting in the queue, position 1\nfloatline: got a seat of cli_q1 after .* in the queue\n$/,
    );

    writeFileSync(firstDone, '');
    expect((await first.finished).code).toBe(0);
    const r = await second.finished;
    expect(r).toMatchObject({ code: 0, stdout: 'started\n' });
    expect(r.stderr.match(/position/g)).toHaveLength(2); // one line per change, no repeats
    await waitFor(async () => (await get('/licenses/cli_q1/status')).borrowed === 0, 1_000, 'both seats returned');
    expect(await get('/queue?tool=cli_q1')).toEqual([]);
  });

  it('--wait 2s gives up with exit 76, never runs the command, and leaves the queue', async () => {
    const holder = await borrow('cli_q2', 'holder');
    try {
      const started = Date.now();
      const r = await runCli(['run', 'cli_q2', '--user', 'cli-gives-up', '--wait', '2s', '--', 'sh', '-c', 'echo ran'], env);
      expect(r.code).toBe(76);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'floatline: cli_q2 is full; waiting in the queue, position 1\nfloatline: no cli_q2 seat within 2s (was number 1 in the queue)\n',
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
      expect(await get('/queue?tool=cli_q2')).toEqual([]);
      expect((await get('/licenses/cli_q2/status')).borrowed).toBe(1);
    } finally {
      await giveBack(holder);
    }
  });

  it('SIGTERM while waiting leaves the queue and exits 143 without running the command', async () => {
    const holder = await borrow('cli_q3', 'holder');
    try {
      const cli = startCli(['run', 'cli_q3', '--user', 'cli-waits', '--wait', '--', 'sh', '-c', 'echo ran'], env);
      await cli.waitFor('stderr', /position 1\n/);
      // `floatline queue` shows the ticket, as a table and as the route's JSON.
      const table = await runCli(['queue', 'cli_q3'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^POSITION\s+TICKET\s+USER\s+HOST\s+QUEUED\s+LEASE ENDS\n\s*1\s+\S+\s+cli-waits\s/);
      const json = await runCli(['queue', 'cli_q3', '--json'], env);
      expect(JSON.parse(json.stdout)).toEqual(await get('/queue?tool=cli_q3'));

      cli.process.kill('SIGTERM');
      const r = await cli.finished;
      expect(r).toMatchObject({ code: 143, stdout: '' });
      expect(await get('/queue?tool=cli_q3')).toEqual([]);
    } finally {
      await giveBack(holder);
    }
  });
});

describe('floatline borrow --wait', () => {
  it('waits in the queue and prints the granted borrow id; -v run says when the seat is taken and returned', async () => {
    const holder = await borrow('cli_q2', 'holder');
    const cli = startCli(['borrow', 'cli_q2', '--user', 'cli-borrow-waits', '--wait', '30s', '--lease', '30s'], env);
    await cli.waitFor('stderr', /position 1\n/);
    await giveBack(holder);
    const r = await cli.finished;
    expect(r.code).toBe(0);
    const [row] = await get('/borrows?user=cli-borrow-waits');
    expect(r.stdout).toBe(`${row.id}\n`);
    expect(Date.parse(row.expires_at) - Date.parse(row.borrowed_at)).toBe(30_000); // the ticket's lease, inherited
    await giveBack(row.id);

    const verbose = await runCli(['run', 'cli_q2', '-v', '--user', 'cli-verbose', '--', 'true'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(
      /^floatline: borrowed cli_q2 \(borrow (\S+), lease until \S+\)\nfloatline: returned the cli_q2 seat \(borrow \1\)\n$/,
    );
  });
});

describe('a revoked seat (floatline release)', () => {
  const job = (user: string, onLost: string, flag: string) =>
    startCli(
      [
        'run',
        'cad_tool',
        '--user',
        user,
        '--lease',
        '6s',
        `--on-lost=${onLost}`,
        '--',
        'sh',
        '-c',
        `trap "echo command-got-TERM; exit 0" TERM; echo started; while [ ! -e ${flag} ]; do sleep 0.05; done; echo finished`,
      ],
      env,
    );

  it('stops the command by default and exits 78, saying the lease was revoked', async () => {
    const cli = job('cli-revoked', 'kill', join(scratch, 'never'));
    await cli.waitFor('stdout', /started/);
    const [row] = await get('/borrows?user=cli-revoked');
    const released = await runCli(['release', row.id, '--reason', 'needed for the demo'], env);
    expect(released).toMatchObject({ code: 0, stdout: `released ${row.id} (cad_tool, held by cli-revoked)\n` });
    // The next heartbeat (every 2 s for a 6 s lease) learns it.
    const r = await cli.finished;
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('started\ncommand-got-TERM\n');
    expect(r.stderr).toMatch(/^floatline: lease lost: This borrow was revoked.*\nfloatline: stopping the command \(SIGTERM/);
    expect(await get('/borrows?user=cli-revoked')).toEqual([]);
  });

  it('with --on-lost=warn the command runs on, a warning is printed, and its exit code stands', async () => {
    const flag = join(scratch, 'warn-done');
    const cli = job('cli-warned', 'warn', flag);
    await cli.waitFor('stdout', /started/);
    const [row] = await get('/borrows?user=cli-warned');
    expect((await runCli(['release', row.id, '--reason', 'maintenance'], env)).code).toBe(0);
    await cli.waitFor('stderr', /warning: the command keeps running without a cad_tool seat/, 10_000);
    expect(cli.process.exitCode).toBeNull();
    writeFileSync(flag, '');
    const r = await cli.finished;
    expect(r).toMatchObject({ code: 0, stdout: 'started\nfinished\n' });
    expect(r.stderr).toMatch(/^floatline: lease lost: This borrow was revoked/);
  });

  it('release needs --reason (exit 2) and names an unknown borrow (exit 65)', async () => {
    const missing = await runCli(['release', 'some-id'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--reason <text>' not specified");
    const unknown = await runCli(['release', 'no-such-borrow', '--reason', 'x'], env);
    expect(unknown.code).toBe(65);
    expect(unknown.stderr).toMatch(/^floatline: .+\n$/);
  });
});
