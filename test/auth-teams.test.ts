// Teams taken from the identity provider's groups (OIDC_TEAM_GROUP_PREFIX=team-),
// on real server processes with a real OIDC provider (its key signs the bearer JWTs), on
// SQLite and PostgreSQL: a user whose groups name a team borrows and the borrow records that
// team, so the pool's shares apply (team_max); the provider wins over an admin's membership
// for a user it places; leaving the group leaves only a team the provider set; a user in
// several team groups gets the first in sorted order, logged. (Sign-in sessions sync the same
// way: test/auth-browser.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { postJson } from './helpers/server.ts';
import { type InProcessServer as RunningServer, startInProcess } from './helpers/in-process.ts';
import { freePort, startIssuer, type TestIssuer } from './helpers/oidc.ts';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

const ADMIN_TOKEN = 'teams-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let issuer: TestIssuer;
let port: number;
beforeAll(async () => {
  port = await freePort();
  issuer = await startIssuer([`http://127.0.0.1:${port}/auth/callback`]);
});
afterAll(async () => {
  await issuer?.close();
});

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_idpteams_${randomUUID().slice(0, 8)}`;

describe.each([
  ['SQLite', null],
  ['PostgreSQL', ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`)],
] as const)('teams from groups on %s', (_name, databaseUrl) => {
  let s: RunningServer;
  beforeAll(async () => {
    if (databaseUrl) await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
    s = await startInProcess({
      listen: true,
      env: {
        ...issuer.env(`http://127.0.0.1:${port}`),
        FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN,
        OIDC_TEAM_GROUP_PREFIX: 'team-',
        OIDC_TEAM_GROUPS: 'interns',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
    });
  });
  afterAll(async () => {
    await s?.stop();
    if (databaseUrl) await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  const jwt = async (user: string, groups: string[]) => ({
    authorization: `Bearer ${await issuer.sign({ preferred_username: user, groups })}`,
  });
  const teams = async () => (await (await fetch(`${s.url}/teams`, { headers: admin })).json()) as { name: string; members: string[] }[];
  const team = async (name: string) => (await teams()).find((t) => t.name === name) ?? null;

  it("a user in a team group borrows for that team: the pool's shares apply", async () => {
    const ann = await jwt('ann', ['floatline-users', '/team-powertrain']);
    expect((await fetch(`${s.url}/auth/me`, { headers: ann })).status).toBe(200);
    expect(await team('powertrain')).toMatchObject({ members: ['ann'] }); // created as needed

    // powertrain may hold at most one cad seat.
    const shares = await fetch(`${s.url}/config/tools/cad_tool/shares`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ shares: [{ team: 'powertrain', reserved: 0, max: 1 }] }),
    });
    expect(shares.status, await shares.text()).toBe(200);
    const first = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool' }, { headers: ann });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ user: 'ann', team: 'powertrain' });
    const second = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool' }, { headers: ann });
    expect(second.status).toBe(409);
    expect(second.text).toContain('team_max');
    await postJson(`${s.url}/licenses/return`, { id: first.json.id }, { headers: ann });
    await fetch(`${s.url}/config/tools/cad_tool/shares`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ shares: [] }),
    });
  });

  it('the provider wins for a user it places; leaving the group leaves only its own membership', async () => {
    // An admin puts bo in chassis (Floatline's membership).
    expect((await postJson(`${s.url}/teams`, { name: 'chassis' }, { headers: admin })).status).toBe(201);
    const put = await fetch(`${s.url}/teams/chassis/members`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ users: ['bo', 'cy'] }),
    });
    expect(put.status).toBe(200);
    // bo's groups name interns (the list): the provider moves bo there.
    expect((await fetch(`${s.url}/auth/me`, { headers: await jwt('bo', ['interns']) })).status).toBe(200);
    expect(await team('interns')).toMatchObject({ members: ['bo'] });
    expect(await team('chassis')).toMatchObject({ members: ['cy'] });
    // cy has no team group: the admin's membership stays.
    expect((await fetch(`${s.url}/auth/me`, { headers: await jwt('cy', ['floatline-users']) })).status).toBe(200);
    expect(await team('chassis')).toMatchObject({ members: ['cy'] });
    // bo leaves the group (a new token without it): out of interns, a team the provider set.
    expect((await fetch(`${s.url}/auth/me`, { headers: await jwt('bo', ['floatline-users']) })).status).toBe(200);
    expect(await team('interns')).toMatchObject({ members: [] });
    expect((await teams()).some((t) => t.members.includes('bo'))).toBe(false);
  });

  it('several team groups: the first in sorted order counts, and the log says so', async () => {
    const dee = await jwt('dee', ['team-zeta', 'team-alpha']);
    expect((await fetch(`${s.url}/auth/me`, { headers: dee })).status).toBe(200);
    expect(await team('alpha')).toMatchObject({ members: ['dee'] });
    expect(await team('zeta')).toBeNull();
    await expect
      .poll(() => s.logs.find((l) => l.event === 'team_groups_ambiguous'))
      .toMatchObject({ user: 'dee', teams: ['alpha', 'zeta'], chosen: 'alpha' });
    expect(s.logs.find((l) => l.event === 'team_from_groups' && (l as { user?: string }).user === 'dee')).toMatchObject({
      team: 'alpha',
      team_created: true,
    });
  });
});
