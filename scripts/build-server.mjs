#!/usr/bin/env node
// Bundles the server (server/main.ts and its TypeScript) into one ES module,
// dist/server/main.mjs, which `npm start`, the image and the end-to-end tests run with plain
// `node`: no TypeScript loader at run time, and one file to read instead of hundreds, so the
// server is ready in about a second instead of ten.
//
// Packages stay external (resolved from node_modules at run time, as installed): native
// addons (better-sqlite3), packages that read their own files (swagger-ui's assets, pino's
// worker threads) and Prisma's runtime all work unchanged that way. Only the project's own
// code, including the Prisma client generated into server/db/generated, is bundled.
// Migrations and built pages are found at run time from the project folder (server/project-root.ts).
// Written to a temporary file and renamed: concurrent builds never leave half a bundle.
import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = join(ROOT, 'dist', 'server', 'main.mjs');

export async function buildServer() {
  mkdirSync(dirname(SERVER_BUNDLE), { recursive: true });
  // The tracing export worker (server/observability/tracing-worker.ts) runs in a thread of
  // its own, so it is a second entry, found beside main.mjs at run time.
  await bundle(join(ROOT, 'server', 'observability', 'tracing-worker.ts'), join(dirname(SERVER_BUNDLE), 'tracing-worker.mjs'));
  await bundle(join(ROOT, 'server', 'main.ts'), SERVER_BUNDLE);
  return SERVER_BUNDLE;
}

async function bundle(entry, out) {
  // Built under its own name in a temporary folder, so the bundle's sourceMappingURL names
  // the map it will sit beside.
  const tmpDir = join(dirname(out), `.build-${process.pid}`);
  const tmp = join(tmpDir, basename(out));
  await build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    legalComments: 'inline',
    logLevel: 'warning',
  });
  renameSync(`${tmp}.map`, `${out}.map`);
  renameSync(tmp, out);
  rmSync(tmpDir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
