// `npm run openapi:print` writes the REST API's OpenAPI document (openapi.json, as GET
// /openapi.json serves it in the default mode) and the TypeScript types openapi-typescript
// generates from it (cli/api-schema.ts, which the CLI's requests and replies are typed by).
// With --check it only compares and exits 1 when either committed file is stale (the test
// suite runs that).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { readConfig } from '../config.ts';
import { createFloatline } from '../floatline.ts';
import { createLogger } from '../observability/logger.ts';

const root = new URL('../../', import.meta.url);
const documentFile = new URL('openapi.json', root);
const typesFile = new URL('cli/api-schema.ts', root);

/** The document of a server in the default mode (open, SQLite), with a fixed version. */
export async function currentDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'floatline-openapi-'));
  const env = { PATH: process.env.PATH, LICENSE_DB_PATH: join(dir, 'licenses.db'), APP_VERSION: 'current', LOG_LEVEL: 'error' };
  const floatline = await createFloatline(readConfig(env), { log: createLogger('error'), timers: false });
  try {
    const res = await floatline.app.inject({ method: 'GET', url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
    return `${JSON.stringify(JSON.parse(res.body), null, 2)}\n`;
  } finally {
    await floatline.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function typesFor(document: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(document), { alphabetize: false, rootTypes: false });
  return `// Generated from openapi.json by openapi-typescript (npm run openapi:print); do not edit.\n\n${astToString(ast)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const document = await currentDocument();
  const types = await typesFor(document);
  if (process.argv.includes('--check')) {
    const stale = [
      [documentFile, document],
      [typesFile, types],
    ].filter(([file, text]) => readFileSync(file as URL, 'utf8') !== text);
    if (stale.length > 0) {
      console.error(`${stale.map(([f]) => (f as URL).pathname).join(' and ')} stale: run npm run openapi:print`);
      process.exit(1);
    }
    console.log('openapi.json and cli/api-schema.ts are current');
  } else {
    writeFileSync(documentFile, document);
    writeFileSync(typesFile, types);
    console.log(`wrote ${documentFile.pathname} and ${typesFile.pathname}`);
  }
  process.exit(0); // the closed Floatline's logger may keep the event loop alive a while
}
