// What `floatline` says when a job cannot start: a lease outside the server's bounds is a
// usage error (exit 2) naming --lease and the range, before any request; a full pool without
// --wait (exit 75) says how to wait instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli.ts';
import { postJson, type RunningServer, startServer } from '../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  buildCli();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('floatline usage messages', () => {
  it.each([['2s'], ['4'], ['25h']])('run --lease %s is a usage error naming --lease and 5s to 24h', async (lease) => {
    const r = await runCli(['run', 'cad_tool', '--lease', lease, '--', process.execPath, '-e', ''], { FLOATLINE_URL: server.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lease/);
    expect(r.stderr).toMatch(/5s to 24h/);
    expect(r.stderr).not.toMatch(/lease_seconds/);
    expect(server.logs.filter((l) => l.event === 'http_request' && String(l.url ?? l.route ?? '').includes('borrow'))).toEqual([]);
  });

  it('borrow --lease 2s is the same usage error', async () => {
    const r = await runCli(['borrow', 'cad_tool', '--lease', '2s'], { FLOATLINE_URL: server.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lease.*5s to 24h/s);
  });

  it('a full pool without --wait exits 75 and says how to wait in line', async () => {
    const held: string[] = [];
    for (const user of ['ann', 'bob']) {
      const b = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user });
      expect(b.status, b.text).toBe(200);
      held.push(b.json.id);
    }
    const r = await runCli(['run', 'analysis', '--', process.execPath, '-e', ''], { FLOATLINE_URL: server.url, FLOATLINE_USER: 'cy' });
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/No licenses available for analysis/);
    expect(r.stderr).toMatch(/--wait/);
    for (const id of held) expect((await postJson(`${server.url}/licenses/return`, { id })).status).toBe(200);
  });
});
