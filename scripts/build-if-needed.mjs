#!/usr/bin/env node
// Builds the dashboard, the deck, the overview page, the CLI bundle and the server bundle only when their sources changed.
// `npm start` runs this before the server: rebuilding everything took ~40 s on a busy
// machine for every start. Each part keeps a content hash of its inputs (sources, build
// script and config, package-lock.json) in dist/.stamps/<part>; when the hash matches and the
// part's output exists, the build is skipped. Content, not mtimes: a fresh checkout or a copy
// changes every mtime but not what a build would produce.
//
//   node scripts/build-if-needed.mjs            build the parts whose inputs changed
//   node scripts/build-if-needed.mjs --always   build every part (npm run build)
//   node scripts/build-if-needed.mjs server     only the named parts (the test set-up builds the server's)
import './require-node.mjs'; // first: an old Node is told so before anything else can fail
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMPS = join(ROOT, 'dist', '.stamps');

/** What each part is built from, the npm script that builds it and the file it must produce. */
export const PARTS = [
  { name: 'client', script: 'build:client', output: 'dist/client/index.html', inputs: ['client', 'tsconfig.json', 'package-lock.json'] },
  {
    name: 'slides',
    script: 'build:slides',
    output: 'dist/slides/index.html',
    inputs: ['slides', 'scripts/build-slides.mjs', 'package-lock.json'],
  },
  {
    name: 'overview',
    script: 'build:overview',
    output: 'dist/overview/index.html',
    inputs: ['docs/overview.md', 'docs/overview-assets', 'scripts/build-overview.mjs', 'scripts/build-slides.mjs', 'package-lock.json'],
  },
  // The `floatline` command line's bundle (bin/floatline.mjs loads it).
  {
    name: 'cli',
    script: 'build:cli',
    output: 'dist/cli/floatline.mjs',
    inputs: ['cli', 'scripts/build-cli.mjs', 'package.json', 'package-lock.json'],
  },
  // The server's bundle (`npm start`, the image and the end-to-end tests run it).
  {
    name: 'server',
    script: 'build:server',
    output: 'dist/server/main.mjs',
    inputs: ['server', 'scripts/build-server.mjs', 'package.json', 'package-lock.json'],
  },
];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => files(join(path, e.name)));
}

/** sha256 over the inputs' relative paths and contents, in a stable order. */
export function inputHash(part) {
  const hash = createHash('sha256');
  for (const file of part.inputs.flatMap((i) => files(join(ROOT, i))).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function main() {
  const always = process.argv.includes('--always');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = only.filter((name) => !PARTS.some((p) => p.name === name));
  if (unknown.length)
    throw new Error(`build-if-needed: no part named ${unknown.join(', ')} (parts: ${PARTS.map((p) => p.name).join(', ')})`);
  mkdirSync(STAMPS, { recursive: true });
  for (const part of PARTS.filter((p) => only.length === 0 || only.includes(p.name))) {
    const stamp = join(STAMPS, part.name);
    const hash = inputHash(part);
    const built = existsSync(join(ROOT, part.output)) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash;
    if (built && !always) {
      console.log(`build: ${part.name} is up to date`);
      continue;
    }
    console.log(`build: ${part.name} (${always ? 'npm run build' : existsSync(stamp) ? 'sources changed' : 'not built yet'})`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', part.script, '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
    writeFileSync(stamp, `${hash}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
