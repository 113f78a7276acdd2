// The `floatline` command line against AUTH_MODE=required: FLOATLINE_TOKEN is sent as a
// bearer token, so a user's token borrows, runs a job and returns in their own name; without
// a token, with a revoked one, or naming someone else, the CLI stops with exit 77 (EX_NOPERM)
// and says to check FLOATLINE_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli.ts';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';

const ADMIN_TOKEN = 'cli-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let server: RunningServer;
let token: string;
let tokenId: string;

beforeAll(async () => {
  buildCli();
  server = await startServer({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
  const r = await postJson(`${server.url}/auth/tokens`, { name: 'cli', user: 'cleo', role: 'user' }, { headers: admin });
  expect(r.status, r.text).toBe(201);
  token = r.json.token;
  tokenId = r.json.id;
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const borrowsOf = async (user: string) =>
  (await (await fetch(`${server.url}/borrows?user=${user}`, { headers: admin })).json()) as { id: string; user: string }[];

describe('floatline with FLOATLINE_TOKEN (AUTH_MODE=required)', () => {
  it("reads, borrows and returns in the token owner's name", async () => {
    const env = { FLOATLINE_URL: server.url, FLOATLINE_TOKEN: token, FLOATLINE_USER: 'cleo' };
    const status = await runCli(['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).map((p: { tool: string }) => p.tool)).toContain('cad_tool');

    const borrowed = await runCli(['borrow', 'cad_tool'], env);
    expect(borrowed.code, borrowed.stderr).toBe(0);
    const id = borrowed.stdout.trim();
    expect(await borrowsOf('cleo')).toMatchObject([{ id, user: 'cleo' }]);
    const returned = await runCli(['return', id], env);
    expect(returned.code, returned.stderr).toBe(0);
    expect(await borrowsOf('cleo')).toEqual([]);

    const job = await runCli(['run', 'cad_tool', '--', process.execPath, '-e', 'process.exit(0)'], env);
    expect(job.code, job.stderr).toBe(0);
    expect(await borrowsOf('cleo')).toEqual([]);
  });

  it('stops with exit 77 and names FLOATLINE_TOKEN without a token, naming someone else, or once revoked', async () => {
    const none = await runCli(['status'], { FLOATLINE_URL: server.url });
    expect(none.code).toBe(77);
    expect(none.stderr).toMatch(/FLOATLINE_TOKEN/);

    const other = await runCli(['borrow', 'cad_tool'], { FLOATLINE_URL: server.url, FLOATLINE_TOKEN: token, FLOATLINE_USER: 'mallory' });
    expect(other.code).toBe(77);
    expect(other.stderr).toMatch(/own name/);

    expect((await fetch(`${server.url}/auth/tokens/${tokenId}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const revoked = await runCli(['status'], { FLOATLINE_URL: server.url, FLOATLINE_TOKEN: token });
    expect(revoked.code).toBe(77);
    expect(revoked.stderr).toMatch(/FLOATLINE_TOKEN/);
    expect(revoked.stderr).not.toContain(token);
  });
});
