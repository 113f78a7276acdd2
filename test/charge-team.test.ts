// An overage charge belongs to the team its seat was in when it was charged, never to the
// team its user joined later: a user in no team takes an overage seat, joins powertrain
// afterwards, and the statement keeps both the seat-hours and the $100 overage on the
// "(no team)" line (powertrain owes nothing); the usage report keeps the user's earlier
// denial there too. On SQLite and PostgreSQL, in-process on a clock the test moves (helpers/clock.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';
import { fetchAny as fetch, postJson, putJson } from './helpers/server.ts';
import { type InProcessServer as RunningServer, startInProcess } from './helpers/in-process.ts';
import { TestClock } from './helpers/clock.ts';

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_charge_team_${randomUUID().slice(0, 8)}`;
const pgUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
const servers: Partial<Record<'SQLite' | 'PostgreSQL', RunningServer>> = {};
const clocks = { SQLite: new TestClock(), PostgreSQL: new TestClock() };

beforeAll(async () => {
  await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  const [a, b] = await Promise.all([
    startInProcess({ clock: clocks.SQLite }),
    startInProcess({ clock: clocks.PostgreSQL, env: { DATABASE_URL: pgUrl } }),
  ]);
  servers.SQLite = a;
  servers.PostgreSQL = b;
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s?.stop()));
  await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

describe.each(['SQLite', 'PostgreSQL'] as const)('a charge stays with the team its seat was in, on %s', (db) => {
  it('bills overage and seat-hours of a user who later joined a team to "(no team)"', async () => {
    const s = servers[db]!;
    const get = async (path: string) => (await (await fetch(`${s.url}${path}`)).json()) as any;
    clocks[db].set('2026-05-02T08:00:00Z');
    // One seat in the commit ($100 a period), one more as overage at $100 a borrow.
    const pool = { tool: 'cad', total: 2, commit: 1, max_overage: 1, commit_price: 100, overage_price_per_license: 100 };
    expect((await postJson(`${s.url}/config/tools`, pool)).status).toBe(201);
    expect((await postJson(`${s.url}/teams`, { name: 'powertrain' })).status).toBe(201);

    clocks[db].set('2026-05-02T09:00:00Z');
    const first = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad', user: 'pat' });
    const second = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad', user: 'pat' }); // overage: $100
    expect([first.status, second.status]).toEqual([200, 200]);
    clocks[db].set('2026-05-02T09:30:00Z');
    expect((await postJson(`${s.url}/licenses/borrow`, { tool: 'cad', user: 'pat' })).status).toBe(409); // a denial
    clocks[db].set('2026-05-02T10:00:00Z');
    for (const r of [first, second]) expect((await postJson(`${s.url}/licenses/return`, { id: r.json.id })).status).toBe(200);

    // pat joins powertrain after the seats were returned.
    clocks[db].set('2026-05-03T09:00:00Z');
    expect((await putJson(`${s.url}/teams/powertrain/members`, { users: ['pat'] })).status).toBe(200);

    clocks[db].set('2026-05-10T00:00:00Z');
    const [statement] = (await get('/statements?tool=cad')).statements;
    expect(statement).toMatchObject({ overage: 100, total: 200, seat_hours: 2 });
    expect(statement.teams).toEqual([
      { team: '(no team)', seat_hours: 2, share: 1, commit: 100, overage: 100, overage_charges: 1, total: 200 },
    ]);

    const report = await get('/reports/usage?from=2026-05-02T00:00:00Z&to=2026-05-03T00:00:00Z&tool=cad&group_by=team');
    expect(report.rows.map((r: any) => [r.group, r.seat_hours, r.denials])).toEqual([['(no team)', 2, 1]]);
  });
});
