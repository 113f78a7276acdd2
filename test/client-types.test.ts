// The dashboard's GraphQL types come from schema.graphql: the introspection file gql.tada
// reads (client/src/graphql-env.d.ts) must be the one `npm run client:types` prints from the
// committed schema, and the dashboard and the deck's live slide (plain browser JS, no type
// checker) must send documents the schema accepts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildSchema, parse, print, validate, type DocumentNode } from 'graphql';
import { ROOT } from './helpers/server.ts';
import * as operations from '../client/src/lib/operations.ts';

const schema = () => buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));

describe('client types', () => {
  it('keeps client/src/graphql-env.d.ts in step with schema.graphql', () => {
    const dir = mkdtempSync(join(tmpdir(), 'floatline-client-types-'));
    try {
      const output = join(dir, 'graphql-env.d.ts');
      const cli = join(ROOT, 'node_modules/gql.tada/bin/cli.js');
      const run = spawnSync(process.execPath, [cli, 'generate-output', '--tsconfig', 'client/tsconfig.json', '--output', output], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr + run.stdout).toBe(0);
      const committed = readFileSync(join(ROOT, 'client/src/graphql-env.d.ts'), 'utf8');
      expect(committed === readFileSync(output, 'utf8'), 'graphql-env.d.ts is stale: run `npm run client:types`').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The type check fails where the dashboard uses a field the schema no longer has; this
  // also catches one it only selects or renders, whose type becomes unknown.
  it('accepts every document the dashboard sends', () => {
    const documents = Object.entries(operations).filter((entry): entry is [string, DocumentNode] => typeof entry[1] === 'object');
    expect(documents.map(([name]) => name)).toContain('DASHBOARD_QUERY');
    const problems = documents.flatMap(([name, document]) =>
      validate(schema(), parse(print(document))).map((e) => `${name}: ${e.message}`),
    );
    expect(problems).toEqual([]);
  });

  it("accepts the deck's live-slide documents", () => {
    const source = readFileSync(join(ROOT, 'slides/assets/live.js'), 'utf8');
    // The slide builds its two documents from string constants at the top of its script.
    const declarations = ['FIELDS', 'POOLS_QUERY', 'SUBSCRIPTION'].map((name) => {
      const line = new RegExp(`^\\s*var ${name} = .*;$`, 'm').exec(source)?.[0];
      expect(line, `live.js declares ${name}`).toBeDefined();
      return line!;
    });
    const documents = new Function(`${declarations.join('\n')}\nreturn [POOLS_QUERY, SUBSCRIPTION];`)() as string[];
    for (const document of documents) {
      expect(
        validate(schema(), parse(document)).map((e) => e.message),
        document,
      ).toEqual([]);
    }
  });
});
