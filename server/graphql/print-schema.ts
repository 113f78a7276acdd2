// `npm run schema:print` writes schema.graphql; a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { printedSchema } from './schema.ts';

const target = new URL('../../schema.graphql', import.meta.url);
writeFileSync(target, printedSchema());
console.log(`wrote ${target.pathname}`);
