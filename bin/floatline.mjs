#!/usr/bin/env node
// The `floatline` command (package.json "bin"). It loads the bundle that `npm run build` and
// `npm pack` (prepack) make from cli/ (scripts/build-cli.mjs). In a repository checkout the
// bundle is (re)built first when it is missing or older than a file in cli/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/floatline.mjs', import.meta.url));
const sources = fileURLToPath(new URL('../cli/', import.meta.url));
const builder = fileURLToPath(new URL('../scripts/build-cli.mjs', import.meta.url));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(`${path}/`) : statSync(path).mtimeMs);
  }
  return newest;
}

const checkout = existsSync(sources) && existsSync(builder);
if (checkout && (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(sources))) {
  try {
    const { buildCli } = await import(new URL('../scripts/build-cli.mjs', import.meta.url).href);
    await buildCli();
  } catch (err) {
    process.stderr.write(
      `floatline: could not build the command line from cli/ (run \`npm install\`, then \`npm run build\`): ${err.message}\n`,
    );
    process.exit(70);
  }
}
if (!existsSync(bundle)) {
  process.stderr.write('floatline: dist/cli/floatline.mjs is missing: run `npm run build` in the floatline repository\n');
  process.exit(70);
}
await import(new URL('../dist/cli/floatline.mjs', import.meta.url).href);
