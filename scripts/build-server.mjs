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
// Written to a temporary folder and renamed: concurrent builds never leave half a bundle.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = join(ROOT, 'dist', 'server', 'main.mjs');

export async function buildServer() {
  const out = dirname(SERVER_BUNDLE);
  // Built under the final names in a temporary folder, so each bundle's sourceMappingURL
  // names the map it will sit beside; the worker's file is renamed before main.mjs, which
  // loads it.
  const tmpDir = join(out, `.build-${process.pid}`);
  await build({
    // The tracing export worker runs in a thread of its own: a second entry, found beside
    // main.mjs at run time (server/observability/tracing-export.ts).
    entryPoints: { main: join(ROOT, 'server', 'main.ts'), 'tracing-worker': join(ROOT, 'server', 'observability', 'tracing-worker.ts') },
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    legalComments: 'inline',
    logLevel: 'warning',
  });
  for (const name of ['tracing-worker.mjs', 'main.mjs']) {
    renameSync(join(tmpDir, `${name}.map`), join(out, `${name}.map`));
    renameSync(join(tmpDir, name), join(out, name));
  }
  rmSync(tmpDir, { recursive: true, force: true });
  return SERVER_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
