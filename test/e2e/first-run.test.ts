// A first run as the README tells it: `npm start` builds what is missing, a second start
// builds nothing, a changed source rebuilds only its part, and a busy port is one clear line
// with exit code 2. `npm start` runs in a copy of the project (its own dist/ and database),
// so the builds here never race the other tests that serve this checkout's dist/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_ARGS } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

/** What `npm start` needs from a checkout (everything but .git, dist and test files). */
const COPIED = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'prisma.config.ts',
  'schema.graphql',
  'bin',
  'cli',
  'client',
  'slides',
  'server',
  'prisma',
  'scripts',
  'docs',
];

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'floatline-first-run-'));
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Runs `npm start` in the copy until the server listens; returns its output and page bodies, then stops it. */
async function npmStart(): Promise<{ output: string; pages: Record<string, string> }> {
  const child = spawn('npm', ['start'], {
    cwd: copy,
    detached: true, // its own process group: npm, sh and node stop together
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: join(copy, 'licenses.db'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const port = await waitFor(
      () => {
        const line = output.split('\n').find((l) => l.includes('"server_listening"'));
        if (line) return JSON.parse(line).port as number;
        if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
        return undefined;
      },
      120_000,
      'npm start to listen',
      { context: () => output },
    );
    const pages: Record<string, string> = {};
    for (const path of ['/', '/presentation', '/overview']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      pages[path] = `${res.status} ${await res.text()}`;
    }
    return { output, pages };
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const mtime = (file: string) => statSync(join(copy, file)).mtimeMs;

describe('npm start on a fresh checkout', () => {
  it('builds once, then only what changed', async () => {
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    const first = await npmStart();
    expect(first.output).toContain('build: client (not built yet)');
    expect(first.output).toContain('build: slides (not built yet)');
    expect(first.output).toContain('build: overview (not built yet)');
    expect(first.pages['/']).toMatch(/^200 <!doctype html>/i);
    expect(first.pages['/presentation']).toMatch(/^200 /);
    expect(first.pages['/overview']).toMatch(/^200 /);
    const built = {
      client: mtime('dist/client/index.html'),
      slides: mtime('dist/slides/index.html'),
      overview: mtime('dist/overview/index.html'),
    };

    const second = await npmStart();
    for (const part of ['client', 'slides', 'overview']) expect(second.output).toContain(`build: ${part} is up to date`);
    expect(second.output).not.toContain('vite');
    expect({
      client: mtime('dist/client/index.html'),
      slides: mtime('dist/slides/index.html'),
      overview: mtime('dist/overview/index.html'),
    }).toEqual(built);

    appendFileSync(join(copy, 'slides', '08-demo.md'), '\n---\n\n## A slide added after the first build\n');
    const third = await npmStart();
    expect(third.output).toContain('build: slides (sources changed)');
    expect(third.output).toContain('build: client is up to date');
    expect(third.output).toContain('build: overview is up to date');
    expect(third.pages['/presentation']).toContain('A slide added after the first build');
    expect(mtime('dist/client/index.html')).toBe(built.client);
  });

  it('`npm run build` always builds', async () => {
    const before = mtime('dist/client/index.html');
    const child = spawn('npm', ['run', 'build', '--silent'], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, output).toBe(0);
    expect(output).toContain('build: client (npm run build)');
    expect(mtime('dist/client/index.html')).toBeGreaterThan(before);
    expect(readFileSync(join(copy, 'dist', '.stamps', 'client'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });
});

describe('a port already in use', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('is one clear line on stderr and exit code 2', async () => {
    const port = (busy.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'floatline-port-'));
    const child = spawn(process.execPath, SERVER_ARGS, {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LICENSE_DB_PATH: join(dir, 'licenses.db'), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.stdout!.resume();
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect({ code, stderr }).toEqual({ code: 2, stderr: `floatline: port ${port} is already in use (set PORT to another port)\n` });
  });
});
