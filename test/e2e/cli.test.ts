// The `floatline` command line against a real server process: a job runs under a seat and
// gives it back however it ends, a full pool or a missing server stops it before it starts
// with the documented exit codes, and the small commands answer what the REST routes do.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let env: Record<string, string>;
beforeAll(async () => {
  buildCli();
  server = await startServer();
  env = { FLOATLINE_URL: server.url };
  // A one-seat pool the tests fill on purpose.
  const pool = await postJson(`${server.url}/config/tools`, {
    tool: 'cli_one',
    total: 1,
    commit: 1,
    max_overage: 0,
    commit_price: 0,
    overage_price_per_license: 0,
  });
  expect(pool.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const borrowsOf = async (user: string) => (await (await fetch(`${server.url}/borrows?user=${user}`)).json()) as any[];
const held = async (tool: string) => ((await (await fetch(`${server.url}/licenses/${tool}/status`)).json()) as any).borrowed as number;

/** A command (for `floatline run … -- node -e SCRIPT`) that prints the user's borrows as the server lists them, then exits `code`. */
const printBorrowsThenExit = (user: string, code: number) =>
  `fetch(process.env.FLOATLINE_URL + '/borrows?user=${user}').then((r) => r.json()).then((rows) => {` +
  ` console.log(JSON.stringify({ id: process.env.FLOATLINE_BORROW_ID, tool: process.env.FLOATLINE_TOOL, rows })); process.exit(${code}); })`;

describe('floatline run', () => {
  it("holds a seat while the command runs, returns it after, and exits with the command's code", async () => {
    const r = await runCli(
      ['run', 'cad_tool', '--user', 'cli-exit3', '--', process.execPath, '-e', printBorrowsThenExit('cli-exit3', 3)],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const inside = JSON.parse(r.stdout);
    expect(inside.tool).toBe('cad_tool');
    expect(inside.rows).toHaveLength(1);
    expect(inside.rows[0]).toMatchObject({ id: inside.id, tool: 'cad_tool', user: 'cli-exit3' });
    // A 60 s lease by default, the host name, and returned by the time floatline exits.
    expect(Date.parse(inside.rows[0].expires_at) - Date.parse(inside.rows[0].borrowed_at)).toBe(60_000);
    expect(inside.rows[0].host).toBeTruthy();
    expect(await borrowsOf('cli-exit3')).toEqual([]);
  });

  it('passes stdin through to the command', async () => {
    const r = await runCli(['run', 'cad_tool', '--user', 'cli-stdin', '--', 'sh', '-c', 'read line; echo "got $line"'], env, {
      stdin: 'hello\n',
    });
    expect(r).toMatchObject({ code: 0, stdout: 'got hello\n' });
  });

  it('SIGTERM: the command gets it, the seat is returned after it exits, and floatline exits 143', async () => {
    const cli = startCli(
      [
        'run',
        'cad_tool',
        '--user',
        'cli-term',
        '--',
        'sh',
        '-c',
        'trap "echo command-got-TERM; exit 0" TERM; echo ready; while :; do sleep 0.05; done',
      ],
      env,
    );
    await cli.waitFor('stdout', /ready/);
    expect(await borrowsOf('cli-term')).toHaveLength(1);
    cli.process.kill('SIGTERM');
    const r = await cli.finished;
    expect(r.stdout).toContain('command-got-TERM');
    expect(r.code).toBe(143);
    expect(await borrowsOf('cli-term')).toEqual([]);
  });

  it('SIGINT: forwarded the same way, exit 130', async () => {
    const cli = startCli(
      [
        'run',
        'cad_tool',
        '--user',
        'cli-int',
        '--',
        'sh',
        '-c',
        'trap "echo command-got-INT; exit 0" INT; echo ready; while :; do sleep 0.05; done',
      ],
      env,
    );
    await cli.waitFor('stdout', /ready/);
    cli.process.kill('SIGINT');
    const r = await cli.finished;
    expect(r.stdout).toContain('command-got-INT');
    expect(r.code).toBe(130);
    expect(await borrowsOf('cli-int')).toEqual([]);
  });

  it('SIGKILL: nothing returns the seat, its lease releases it within lease + 2 s', async () => {
    const cli = startCli(['run', 'cad_tool', '--user', 'cli-kill', '--lease', '5s', '--', 'sh', '-c', 'echo $$; exec sleep 60'], env);
    const [, pid] = await cli.waitFor('stdout', /(\d+)\n/);
    try {
      expect(await borrowsOf('cli-kill')).toHaveLength(1);
      cli.process.kill('SIGKILL');
      await cli.exited;
      const killedAt = Date.now();
      await waitFor(async () => (await borrowsOf('cli-kill')).length === 0, 7_000, 'the lease to release the seat');
      expect(Date.now() - killedAt).toBeLessThanOrEqual(7_000);
    } finally {
      process.kill(Number(pid), 'SIGKILL'); // the orphaned command
    }
  });

  it('a full pool without --wait: the command does not run, exit 75 and one line why', async () => {
    const holder = await postJson(`${server.url}/licenses/borrow`, { tool: 'cli_one', user: 'holder' });
    expect(holder.status).toBe(200);
    try {
      const r = await runCli(['run', 'cli_one', '--user', 'cli-full', '--', 'sh', '-c', 'echo ran'], env);
      expect(r.code).toBe(75);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'floatline: No licenses available for cli_one (add --wait 10m to queue for a seat, or --wait to wait forever)\n',
      );
      expect(await held('cli_one')).toBe(1);
    } finally {
      await postJson(`${server.url}/licenses/return`, { id: holder.json.id });
    }
  });

  it('an unknown tool: exit 65, the command does not run', async () => {
    const r = await runCli(['run', 'no_such_tool', '--', 'sh', '-c', 'echo ran'], env);
    expect(r).toMatchObject({ code: 65, stdout: '', stderr: 'floatline: Tool not found: no_such_tool\n' });
  });

  it('a server that cannot be reached: exit 69 after --retry-for, the command does not run', async () => {
    const closed = await listen(() => undefined);
    closed.server.close(); // a port nobody listens on
    const started = Date.now();
    const r = await runCli(['run', 'cad_tool', '--retry-for', '1s', '--server', closed.url, '--', 'sh', '-c', 'echo ran'], {});
    expect(r.code).toBe(69);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`floatline: cannot reach ${closed.url}: ECONNREFUSED\n`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a command that does not exist: exit 127 and the seat is returned', async () => {
    const r = await runCli(['run', 'cad_tool', '--user', 'cli-enoent', '--', 'no-such-command-floatline'], env);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('cannot run no-such-command-floatline: command not found');
    expect(await borrowsOf('cli-enoent')).toEqual([]);
  });

  it('a borrow whose answer is lost is retried with the same idempotency key: one seat, not two', async () => {
    // A proxy in front of the server that lets the first borrow reach it and then drops the
    // connection before the answer: the server has lent a seat the CLI never heard about.
    let borrowsSeen = 0;
    const keys: string[] = [];
    const proxy = await listen(async (req, body, res) => {
      if (req.url === '/licenses/borrow') {
        borrowsSeen++;
        keys.push(JSON.parse(body).idempotency_key);
      }
      const upstream = await fetch(`${server.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        body: req.method === 'GET' ? undefined : body,
      });
      const text = await upstream.text();
      if (req.url === '/licenses/borrow' && borrowsSeen === 1) return req.socket.destroy();
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
    try {
      const r = await runCli(
        [
          'run',
          'cad_tool',
          '--user',
          'cli-retry',
          '--server',
          proxy.url,
          '--',
          process.execPath,
          '-e',
          printBorrowsThenExit('cli-retry', 0),
        ],
        env,
      );
      expect(r.code).toBe(0);
      expect(borrowsSeen).toBe(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const inside = JSON.parse(r.stdout);
      expect(inside.rows.map((b: any) => b.id)).toEqual([inside.id]);
      expect(await borrowsOf('cli-retry')).toEqual([]);
    } finally {
      proxy.server.close();
    }
  });

  it('a ticket granted just as --wait runs out: the DELETE answers 409 and the granted seat is returned', async () => {
    // A server (per the queue contract) whose ticket waits until floatline leaves the queue,
    // and was granted by then: floatline must not keep a seat it gave up on.
    const calls: string[] = [];
    const ticket = {
      ticket_id: 't1',
      tool: 'cad_tool',
      user: 'u',
      position: 1,
      queued_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 30_000).toISOString(),
      state: 'waiting',
      host: 'h',
      borrow: null as unknown,
    };
    const granted = {
      id: 'b-granted',
      tool: 'cad_tool',
      user: 'u',
      borrowed_at: ticket.queued_at,
      expires_at: ticket.expires_at,
      host: 'h',
    };
    const fake = await listen(async (req, body, res) => {
      calls.push(`${req.method} ${req.url}${req.url === '/licenses/return' ? ` ${JSON.parse(body).id}` : ''}`);
      const reply = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.url === '/licenses/borrow') return reply(202, ticket);
      if (req.url === '/queue/t1' && req.method === 'DELETE') {
        Object.assign(ticket, { state: 'granted', position: null, borrow: granted });
        return reply(409, { detail: 'This queue ticket was granted' });
      }
      if (req.url === '/queue/t1') return reply(200, ticket);
      if (req.url === '/licenses/return') return reply(200, { status: 'ok', tool: 'cad_tool' });
      reply(404, { detail: 'Not Found' });
    });
    try {
      const r = await runCli(['run', 'cad_tool', '--wait', '1500ms', '--', 'sh', '-c', 'echo ran'], { FLOATLINE_URL: fake.url });
      expect(r).toMatchObject({ code: 76, stdout: '' });
      expect(r.stderr).toMatch(/no cad_tool seat within 2s \(was number 1 in the queue\)\n$/);
      expect(calls[0]).toBe('POST /licenses/borrow');
      expect(calls.filter((c) => c === 'GET /queue/t1').length).toBeGreaterThanOrEqual(1);
      expect(calls.slice(-3)).toEqual(['DELETE /queue/t1', 'GET /queue/t1', 'POST /licenses/return b-granted']);
    } finally {
      fake.server.close();
    }
  });

  it('sends FLOATLINE_TOKEN as a bearer token, and FLOATLINE_USER as the user', async () => {
    const seen: { auth?: string; body?: any }[] = [];
    const fake = await listen(async (req, body, res) => {
      seen.push({ auth: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
      if (req.url === '/licenses/borrow') {
        return res
          .writeHead(409, { 'content-type': 'application/json' })
          .end(JSON.stringify({ detail: 'No licenses available for cad_tool' }));
      }
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Not authenticated' }));
    });
    try {
      const r = await runCli(['run', 'cad_tool', '--', 'true'], {
        FLOATLINE_URL: fake.url,
        FLOATLINE_TOKEN: 's3cret',
        FLOATLINE_USER: 'env-user',
      });
      expect(r.code).toBe(75);
      expect(seen[0]).toMatchObject({ auth: 'Bearer s3cret', body: { tool: 'cad_tool', user: 'env-user' } });
      const denied = await runCli(['status'], { FLOATLINE_URL: fake.url });
      expect(denied).toMatchObject({ code: 77, stderr: 'floatline: Not authenticated (check FLOATLINE_TOKEN)\n' });
      expect(seen[1]!.auth).toBeUndefined();
    } finally {
      fake.server.close();
    }
  });
});

describe('floatline status, borrow, heartbeat, return, borrows', () => {
  it('status --json matches /licenses/status, and status <tool> --json the pool', async () => {
    const all = await runCli(['status', '--json'], env);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(await (await fetch(`${server.url}/licenses/status`)).json());
    const one = await runCli(['status', 'simulation', '--json'], env);
    expect(JSON.parse(one.stdout)).toEqual(await (await fetch(`${server.url}/licenses/simulation/status`)).json());
  });

  it('status prints a table of the pools', async () => {
    const r = await runCli(['status'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TOOL\s+TOTAL\s+BORROWED\s+AVAILABLE\s+LENDABLE/);
    expect(lines.find((l) => l.startsWith('cad_tool'))).toMatch(/^cad_tool\s+5\s+0\s+5\s+5\s/);
    expect((await runCli(['status', 'nope'], env)).code).toBe(65);
  });

  it('borrow prints an id that heartbeat renews, borrows lists and return gives back', async () => {
    const b = await runCli(['borrow', 'analysis', '--user', 'cli-hand', '--lease', '30s'], { ...env, FLOATLINE_PROJECT: 'gearbox-v2' });
    expect(b.code).toBe(0);
    const id = b.stdout.trim();
    const [row] = await borrowsOf('cli-hand');
    expect(row).toMatchObject({ id, tool: 'analysis', user: 'cli-hand', project: 'gearbox-v2' });
    expect(Date.parse(row.expires_at) - Date.parse(row.borrowed_at)).toBe(30_000);

    const hb = await runCli(['heartbeat', id], env);
    expect(hb.code).toBe(0);
    expect(Date.parse(hb.stdout.trim())).toBeGreaterThanOrEqual(Date.parse(row.expires_at));

    const list = await runCli(['borrows', '--user', 'cli-hand'], env);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+TOOL\s+USER\s+HOST\s+BORROWED\s+LEASE ENDS$/);
    expect(list.stdout).toContain(id);
    const json = await runCli(['borrows', '--json', '--user', 'cli-hand'], env);
    expect(JSON.parse(json.stdout)).toEqual(await borrowsOf('cli-hand'));

    const ret = await runCli(['return', id], env);
    expect(ret).toMatchObject({ code: 0, stdout: `returned ${id} (analysis)\n` });
    expect(await borrowsOf('cli-hand')).toEqual([]);
    // Gone: the server's 404 detail, exit 65.
    expect(await runCli(['return', id], env)).toMatchObject({ code: 65, stderr: 'floatline: Borrow record not found\n' });
  });

  it('borrow on a full pool exits 75; heartbeat of an expired lease exits 78', async () => {
    const first = await runCli(['borrow', 'cli_one', '--user', 'cli-hb', '--lease', '5s', '--json'], env);
    expect(first.code).toBe(0);
    const { id } = JSON.parse(first.stdout);
    const second = await runCli(['borrow', 'cli_one', '--user', 'cli-hb2'], env);
    expect(second).toMatchObject({
      code: 75,
      stdout: '',
      stderr: 'floatline: No licenses available for cli_one (add --wait 10m to queue for a seat, or --wait to wait forever)\n',
    });
    await waitFor(async () => (await held('cli_one')) === 0, 8_000, 'the 5 s lease to expire');
    const late = await runCli(['heartbeat', id], env);
    expect(late.code).toBe(78);
    expect(late.stderr).toMatch(/^floatline: .*expired.*\n$/i);
  });
});

/** A throwaway HTTP server; `handle` gets the request with its whole body. */
async function listen(handle: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => unknown) {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => void handle(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}
