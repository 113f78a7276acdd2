// `npm start` as a supervisor runs it: a SIGTERM sent to npm stops the server too (no orphan
// left holding the port), and on a Node.js older than the project needs it says so first,
// with the way out, instead of failing later on the database's native module. Runs in a copy
// of the project (its own dist/ and database), as test/first-run.test.ts does.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE, nodeAtLeast } from '../../scripts/require-node.mjs';
import { ROOT } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const COPIED = ['package.json', 'package-lock.json', 'tsconfig.json', 'prisma.config.ts', 'schema.graphql'];
const COPIED_DIRS = ['bin', 'cli', 'client', 'slides', 'server', 'prisma', 'scripts', 'docs'];

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'floatline-npm-start-'));
  for (const entry of [...COPIED, ...COPIED_DIRS]) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));
  // Built parts whose stamps match the copied sources are reused; anything else is built.
  if (existsSync(join(ROOT, 'dist'))) cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** The process ids below `pid` (children, grandchildren, ...), from ps. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of rows) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The machine's Node.js binaries older than the project's minimum (Debian's nodejs, say). */
function olderNode(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node'];
  for (const bin of new Set(candidates)) {
    if (!existsSync(bin)) continue;
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    if (!nodeAtLeast(version)) return bin;
  }
  return undefined;
}

describe('npm start', () => {
  it('stops the server when npm is sent SIGTERM, as a supervisor stops it', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: copy,
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
        PORT: '0',
        HOST: '127.0.0.1',
        LICENSE_DB_PATH: join(copy, 'licenses.db'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    npm.stderr!.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    const npmExited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    let below: number[] = [];
    try {
      const port = await waitFor(
        async () => {
          if (npm.exitCode !== null) throw new Error(`npm start exited ${npm.exitCode}:\n${output}`);
          const line = output.split('\n').find((l) => l.includes('"server_listening"'));
          return line ? (JSON.parse(line).port as number) : undefined;
        },
        600_000,
        'npm start to build what is missing and listen',
      );
      below = descendants(npm.pid!);
      expect(below.length).toBeGreaterThan(0);
      expect(await accepts(port)).toBe(true);

      process.kill(npm.pid!, 'SIGTERM'); // npm alone, not its process group: what a supervisor does
      await npmExited;
      await waitFor(async () => below.every((pid) => !alive(pid)), 20_000, `the processes npm started (${below.join(', ')}) to end`);
      expect(await accepts(port)).toBe(false);
      expect(output).toContain('"shutdown_started"');
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      for (const pid of below) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 700_000);

  it(`on a Node.js older than ${MIN_NODE} says first which Node is needed and how to get it`, async () => {
    const old = olderNode();
    expect(old, `this test needs a Node.js older than ${MIN_NODE} on the machine (Debian's nodejs package): none found`).toBeDefined();
    const npm = spawn('npm', ['start'], {
      cwd: copy,
      env: { ...process.env, PATH: `${dirname(old!)}${delimiter}${process.env.PATH}`, PORT: '0', LICENSE_DB_PATH: join(copy, 'old.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    npm.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    npm.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((r) => npm.once('close', (c) => r(c)));
    expect(code).not.toBe(0);
    const first = stderr.split('\n').find((l) => l.startsWith('floatline:'));
    expect(first).toMatch(
      new RegExp(`^floatline: Node\\.js ${MIN_NODE.replace(/\./g, '\\.')} or newer is needed; this is Node\\.js \\d+\\.`),
    );
    expect(stderr).toContain('. scripts/use-node.sh');
    expect(`${stdout}${stderr}`).not.toMatch(/LICENSE_DB_PATH|compiled against|build: /);
  }, 120_000);

  it('a SQLite driver built for another Node.js is named as such, with the command that fixes it', () => {
    // Past the version check (the database layer alone, on the old Node): the native module
    // built for this checkout's Node cannot load there, which once read as "cannot open LICENSE_DB_PATH".
    const old = olderNode();
    expect(old, `this test needs a Node.js older than ${MIN_NODE} on the machine (Debian's nodejs package): none found`).toBeDefined();
    const tsx = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');
    const open = `import(${JSON.stringify(join(ROOT, 'server/db/sqlite.ts'))}).then((m) => m.openSqlite(${JSON.stringify(join(copy, 'driver.db'))}, true)).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`;
    const r = spawnSync(old!, ['--import', tsx, '-e', open], { cwd: copy, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /the SQLite driver \(better-sqlite3\) was built for another Node\.js than this one \(v\d+\.[\d.]+\): run `npm rebuild better-sqlite3`/,
    );
    expect(r.stderr).not.toMatch(/LICENSE_DB_PATH/);
  });
});
