// `floatline run` through a server restart: the job keeps running, the failed heartbeats are
// retried until the server is back, and the job still holds exactly its one seat.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildCli, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const get = async (path: string) => (await fetch(`${server!.url}${path}`)).json() as Promise<any>;

it('the server restarts while a job runs: the job runs on, heartbeats resume, one seat stays taken', async () => {
  buildCli();
  server = await startServer();
  const { port, dbPath } = server;
  const done = join(mkdtempSync(join(tmpdir(), 'floatline-cli-')), 'done');
  // A 60 s lease: heartbeats every 20 s, so one fails within 20 s of the stop, and the server
  // then has at least 40 s to come back before the lease could lapse (a start on a loaded
  // 2-core machine has taken over 13 s).
  const cli = startCli(
    [
      'run',
      'cad_tool',
      '--user',
      'cli-restart',
      '--lease',
      '60s',
      '--',
      'sh',
      '-c',
      `echo started; while [ ! -e ${done} ]; do sleep 0.1; done; echo finished`,
    ],
    { FLOATLINE_URL: server.url },
  );
  await cli.waitFor('stdout', /started/);
  const [before] = await get('/borrows?user=cli-restart');
  expect(before).toBeDefined();

  await server.stop();
  await cli.waitFor('stderr', /heartbeat failed \(cannot reach .*\); retrying until the lease runs out/, 25_000);
  server = await startServer({ port, dbPath });
  await cli.waitFor('stderr', /heartbeats resumed after .*; the seat is still held/, 45_000);

  const rows = await get('/borrows?user=cli-restart');
  expect(rows).toHaveLength(1);
  expect(rows[0].id).toBe(before.id);
  expect(Date.parse(rows[0].expires_at)).toBeGreaterThan(Date.parse(before.expires_at));
  expect((await get('/licenses/cad_tool/status')).borrowed).toBe(1);
  expect(cli.process.exitCode).toBeNull(); // the job ran on through all of it

  writeFileSync(done, '');
  const r = await cli.finished;
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('started\nfinished\n');
  await waitFor(async () => (await get('/borrows?user=cli-restart')).length === 0, 1_000, 'the seat to be returned');
  expect((await get('/licenses/cad_tool/status')).borrowed).toBe(0);
}, 150_000);
