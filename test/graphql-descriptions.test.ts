// Every public element of the GraphQL schema — types, fields, arguments, enum values — has
// a description, as the running server answers introspection (what GraphiQL and generated
// clients show), and the committed schema.graphql is the server's (npm run schema:print).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { undescribed } from '../server/graphql/descriptions.ts';
import { gql, ROOT } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcess();
});
afterAll(async () => {
  await s?.stop();
});

describe('GraphQL schema descriptions', () => {
  it('describes every type, field, argument and enum value the server introspects', async () => {
    const r = await gql<IntrospectionQuery>(s.url, getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(r.errors).toBeUndefined();
    const served = buildClientSchema(r.data!);
    expect(Object.keys(served.getTypeMap()).length).toBeGreaterThan(80);
    expect(undescribed(served)).toEqual([]);
    expect(served.getType('ToolNotFound')?.description).toBe('There is no such pool');
  });

  it('schema.graphql is the printed schema, descriptions included', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/graphql/print-schema.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(`${r.stdout}${r.stderr}`).toContain('schema.graphql is current');
    expect(r.status).toBe(0);
  });
});
