// `npm run schema:print` writes schema.graphql; with --check it only compares and
// exits 1 when the committed file is stale (the test suite runs that).
import { readFileSync, writeFileSync } from 'node:fs';
import { printedSchema } from './schema.ts';

const target = new URL('../../schema.graphql', import.meta.url);
const sdl = printedSchema();
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== sdl) {
    console.error('schema.graphql is stale: run npm run schema:print');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else {
  writeFileSync(target, sdl);
  console.log(`wrote ${target.pathname}`);
}
