#!/usr/bin/env node
// Bundles the `floatline` command line (cli/main.ts and commander) into one ES module,
// dist/cli/floatline.mjs, which bin/floatline.mjs loads. One file with no TypeScript to
// strip and no packages to resolve starts in a few tens of milliseconds, and works from a
// packed tarball installed under node_modules (where Node does not strip types).
// Written to a temporary file and renamed: concurrent builds never leave half a bundle.
import { build } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'dist', 'cli', 'floatline.mjs');

export async function buildCli() {
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(ROOT, 'cli', 'main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    legalComments: 'inline',
    logLevel: 'warning',
    // commander is CommonJS: give the ESM bundle a require() for its `require('node:…')` calls.
    banner: {
      js: "import { createRequire as __floatlineRequire } from 'node:module'; const require = __floatlineRequire(import.meta.url);",
    },
  });
  renameSync(tmp, BUNDLE);
  return BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
