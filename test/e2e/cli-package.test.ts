// What users install: `npx floatline` in the repository, and the packed tarball. The tarball
// must hold the bundle and the bin only (small), and run with no node_modules and no
// TypeScript sources, from under a node_modules folder, where Node strips no types.
// (A full `npm install -g --prefix <dir> floatline-<version>.tgz` also installs the server's
// dependencies, ~1.5 min here: docs/cli.md says how it was checked.)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../helpers/server.ts';

const run = promisify(execFile);
const nodeBin = dirname(process.execPath);
// npm and npx run on the Node that runs the tests (the project's Node 22), as npm scripts do.
const npmEnv = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

it('npm pack: a small tarball of the bin and the bundle that runs on its own', async () => {
  const out = mkdtempSync(join(tmpdir(), 'floatline-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, env: npmEnv });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  expect(packed.files.map((f: { path: string }) => f.path).sort()).toEqual([
    'README.md',
    'bin/floatline.mjs',
    'dist/cli/floatline.mjs',
    'package.json',
    'scripts/prisma-generate.mjs',
  ]);
  expect(packed.size).toBeLessThan(100_000);

  // Unpacked where a global install puts it: <prefix>/lib/node_modules/floatline.
  const modules = join(out, 'lib', 'node_modules');
  mkdirSync(modules, { recursive: true });
  await run('tar', ['-xzf', join(out, packed.filename), '-C', modules]);
  const bin = join(modules, 'package', 'bin', 'floatline.mjs');
  const status = await run(process.execPath, [bin, 'status', '--json'], { env: { ...process.env, FLOATLINE_URL: server.url } });
  expect(JSON.parse(status.stdout)).toEqual(await (await fetch(`${server.url}/licenses/status`)).json());
  const help = await run(process.execPath, [bin, 'run', '--help']);
  expect(help.stdout).toMatch(/^Usage: floatline run <tool> \[options\] -- <command> \[args\.\.\.\]/);
});

it('npx floatline works in the repository', async () => {
  const { stdout } = await run('npx', ['floatline', '--help'], { cwd: ROOT, env: npmEnv });
  expect(stdout).toMatch(/^Usage: floatline \[options\] \[command\]/);
});
