// User names are refused, not folded, when they would only look like another: surrounding
// whitespace and Unicode compatibility forms wherever a name enters (borrows, team members,
// tokens; REST and GraphQL), and — for a token's holder — a name that differs from an
// existing credential holder's only by letter case. On SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessServer } from './helpers/in-process.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';

const ADMIN = 'an-admin-token-long-enough-123';
const auth = { authorization: `Bearer ${ADMIN}` };

async function call(s: InProcessServer, method: string, path: string, body: unknown) {
  const r = await s.fetch(path, { method, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as any };
}
async function gql(s: InProcessServer, query: string) {
  const r = await s.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query }),
  });
  return (await r.json()) as any;
}

describe.each(DATABASES)('user names, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { timers: false, env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN } });
  });
  afterAll(() => s?.stop());

  it('a token for a look-alike of an existing user is refused, naming the field', async () => {
    expect((await call(s, 'POST', '/auth/tokens', { name: 'ci', user: 'alice', role: 'user' })).status).toBe(201);
    const refused: [string, string][] = [
      [' admin', 'string_surrounding_whitespace'],
      ['admin ', 'string_surrounding_whitespace'],
      ['ADMIN', 'user_look_alike'],
      ['Admin', 'user_look_alike'],
      ['ALICE', 'user_look_alike'],
      [' alice', 'string_surrounding_whitespace'],
      ['ａｄｍｉｎ', 'string_not_normalized'],
    ];
    for (const [user, type] of refused) {
      const r = await call(s, 'POST', '/auth/tokens', { name: 'x', user, role: 'admin' });
      expect(r.status, JSON.stringify(user)).toBe(422);
      expect(r.json.detail[0]).toMatchObject({ loc: ['body', 'user'], type });
      const g = await gql(s, `mutation { createApiToken(name: "x", user: ${JSON.stringify(user)}, role: ADMIN) { token } }`);
      expect(g.errors?.[0]?.extensions?.code, JSON.stringify(user)).toBe('BAD_USER_INPUT');
      expect(g.errors?.[0]?.message).toMatch(/user/);
    }
    // The exact spelling is still fine, and so is a name nobody holds.
    expect((await call(s, 'POST', '/auth/tokens', { name: 'ci2', user: 'alice', role: 'user' })).status).toBe(201);
    expect((await call(s, 'POST', '/auth/tokens', { name: 'ci3', user: 'Bob', role: 'user' })).status).toBe(201);
    const tokens = await (await s.fetch('/auth/tokens?limit=100', { headers: auth })).json();
    expect(JSON.stringify(tokens)).not.toMatch(/"user":"(ADMIN|Admin| admin|admin |ALICE)"/);
  });

  it('borrows and team members with padded or compatibility-form names are refused', async () => {
    for (const user of [' bob', 'bob ', 'ｂｏｂ']) {
      const r = await call(s, 'POST', '/licenses/borrow', { tool: 'cad_tool', user });
      expect(r.status, JSON.stringify(user)).toBe(422);
      expect(r.json.detail[0].loc).toEqual(['body', 'user']);
    }
    const g = await gql(
      s,
      'mutation { borrowLicense(tool: "cad_tool", user: "bob ") { __typename ... on InvalidInput { field message } } }',
    );
    expect(g.data.borrowLicense).toEqual({
      __typename: 'InvalidInput',
      field: 'user',
      message: 'A user name must not start or end with whitespace',
    });
    expect((await call(s, 'POST', '/teams', { name: 'eng' })).status).toBe(201);
    const m = await call(s, 'PUT', '/teams/eng/members', { users: ['carol', 'dave '] });
    expect(m.status).toBe(422);
    expect(m.json.detail[0].loc[1]).toBe('users');
    const status = await (await s.fetch('/licenses/cad_tool/status', { headers: auth })).json();
    expect((status as { borrowed: number }).borrowed).toBe(0);
  });
});
