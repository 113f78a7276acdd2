// Statements and usage reports on SQLite and PostgreSQL, in-process on a clock the test
// moves (helpers/clock.ts): a scripted month of borrows and returns at known times by two teams and a
// user in no team, with overage; the statement equals the hand-computed one (arithmetic
// below), its CSV holds the same numbers, and once the period has closed neither a price
// change, nor an event written late into the month, nor deleted history changes it. Then the
// reports: peak seats, seat-hours, utilisation, true vs retried denials, queue wait
// percentiles, expiries and revocations, the usage series, and 422s naming the parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchAny as fetch, gql, postJson } from './helpers/server.ts';
import { type InProcessServer as RunningServer, startInProcess } from './helpers/in-process.ts';
import { TestClock } from './helpers/clock.ts';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_reports_${randomUUID().slice(0, 8)}`;
const pgUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);

const servers: Record<'SQLite' | 'PostgreSQL', RunningServer | undefined> = { SQLite: undefined, PostgreSQL: undefined };
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

const send = async (s: RunningServer, method: string, path: string, body?: unknown) => {
  const r = await fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : null, headers: r.headers };
};
const get = (s: RunningServer, path: string, accept?: string) =>
  fetch(`${s.url}${path}`, { headers: accept ? { accept } : {} }).then(async (r) => ({
    status: r.status,
    type: r.headers.get('content-type'),
    text: await r.text(),
  }));

/** Parses the CSV the server writes (no quoted fields in these rows) into objects by header. */
const parseCsv = (text: string) => {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
};

const refusals: Partial<Record<'SQLite' | 'PostgreSQL', string>> = {};

describe.each(['SQLite', 'PostgreSQL'] as const)('statements and reports on %s', (db) => {
  let s: RunningServer;
  const held = new Map<string, string>(); // user → borrow id
  const at = (iso: string) => clocks[db].set(iso);
  const borrow = async (user: string, tool = 'cad', extra: Record<string, unknown> = {}) => {
    const r = await postJson(`${s.url}/licenses/borrow`, { tool, user, ...extra });
    if (r.status === 200) held.set(user, r.json.id);
    return r;
  };
  const giveBack = async (user: string) => {
    const r = await postJson(`${s.url}/licenses/return`, { id: held.get(user) });
    expect(r.status, r.text).toBe(200);
    held.delete(user);
  };

  beforeAll(async () => {
    s = servers[db]!;
    await at('2026-03-01T08:00:00Z');
    // A 4-seat pool: 2 in the commit (1000 per period), 2 more as overage at 50 each.
    const pool = { tool: 'cad', total: 4, commit: 2, max_overage: 2, commit_price: 1000, overage_price_per_license: 50 };
    expect((await postJson(`${s.url}/config/tools`, pool)).status).toBe(201);
    // A one-seat pool for the queue, an expiry and a revocation.
    const line = { tool: 'line', total: 1, commit: 1, max_overage: 0, commit_price: 0, overage_price_per_license: 0 };
    expect((await postJson(`${s.url}/config/tools`, line)).status).toBe(201);
    for (const [team, users] of [
      ['alpha', ['a1', 'a2']],
      ['beta', ['b1', 'b2']],
    ] as const) {
      expect((await postJson(`${s.url}/teams`, { name: team })).status).toBe(201);
      expect((await send(s, 'PUT', `/teams/${team}/members`, { users })).status).toBe(200);
    }
    // x is in no team.
  });

  it('plays the month: borrows, returns, overage and one denial at known times', async () => {
    // Day 1, 2 March.
    await at('2026-03-02T09:00:00Z');
    expect((await borrow('a1')).status).toBe(200); // 1 held
    await at('2026-03-02T10:00:00Z');
    expect((await borrow('b1')).status).toBe(200); // 2 held: the commit is full
    await at('2026-03-02T11:00:00Z');
    expect((await borrow('b2')).status).toBe(200); // 3 held: overage, 50 to beta
    await at('2026-03-02T12:00:00Z');
    await giveBack('a1'); // a1 held 3 h
    await at('2026-03-02T13:00:00Z');
    await giveBack('b2'); // b2 held 2 h
    await at('2026-03-02T14:00:00Z');
    await giveBack('b1'); // b1 held 4 h
    // Day 2, 3 March.
    await at('2026-03-03T09:00:00Z');
    expect((await borrow('x')).status).toBe(200); // 1 held
    await at('2026-03-03T10:00:00Z');
    expect((await borrow('a2')).status).toBe(200); // 2 held
    await at('2026-03-03T11:00:00Z');
    expect((await borrow('a1')).status).toBe(200); // 3: overage, 50 to alpha
    expect((await borrow('b1')).status).toBe(200); // 4: overage, 50 to beta
    await at('2026-03-03T11:30:00Z');
    expect((await borrow('b2')).status).toBe(409); // denied: the pool is full
    await at('2026-03-03T12:00:00Z');
    await giveBack('x'); // x held 3 h
    await at('2026-03-03T12:05:00Z');
    expect((await borrow('b2')).status).toBe(200); // 35 min after the denial; overage, 50 to beta
    await at('2026-03-03T13:00:00Z');
    for (const u of ['a1', 'a2', 'b1', 'b2']) await giveBack(u); // a2 3 h, a1 2 h, b1 2 h, b2 55 min
  });

  // Seat-seconds: alpha a1 3 h + a2 3 h + a1 2 h = 8 h = 28,800 s; beta b1 4 h + b2 2 h + b1 2 h
  // + b2 55 min = 32,100 s; (no team) x 3 h = 10,800 s; all 71,700 s = 19.916667 h.
  // Commit 1000.00 = 100,000 cents by share: alpha 100000 × 28800/71700 = 40167.36, beta
  // 44769.87, (no team) 15062.76; the floors add up to 99,998, the two cents left go to the
  // largest fractions (beta .87, (no team) .76): 401.67 + 447.70 + 150.63 = 1000.00.
  // Overage: alpha 1 × 50, beta 3 × 50. Totals: 451.67 + 597.70 + 150.63 = 1200.00.
  const MARCH = {
    tool: 'cad',
    period_start: '2026-03-01T00:00:00.000Z',
    period_end: '2026-04-01T00:00:00.000Z',
    billing_day: 1,
    commit_price: 1000,
    overage: 200,
    total: 1200,
    seat_hours: 19.916667,
    teams: [
      { team: 'alpha', seat_hours: 8, share: 0.401674, commit: 401.67, overage: 50, overage_charges: 1, total: 451.67 },
      { team: 'beta', seat_hours: 8.916667, share: 0.447699, commit: 447.7, overage: 150, overage_charges: 3, total: 597.7 },
      { team: '(no team)', seat_hours: 3, share: 0.150628, commit: 150.63, overage: 0, overage_charges: 0, total: 150.63 },
    ],
  };

  it('computes the running month live, with the hand-computed numbers', async () => {
    await at('2026-03-20T00:00:00Z');
    const r = await send(s, 'GET', '/statements?tool=cad');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ statements: [{ ...MARCH, closed: false, frozen_at: null }] });
  });

  it('freezes the month once it has ended: a price change, a late event and deleted history change nothing', async () => {
    await at('2026-04-02T10:00:00Z');
    const frozen = { ...MARCH, closed: true, frozen_at: '2026-04-02T10:00:00.000Z' };
    expect((await send(s, 'GET', '/statements?tool=cad&period=previous')).json).toEqual({ statements: [frozen] });

    // The commit price triples; an event from a process with a slow clock lands in March
    // (a 10 h seat of x); March's history is deleted (as retention would).
    const budget = { tool: 'cad', total: 4, commit: 2, max_overage: 2, commit_price: 3000, overage_price_per_license: 50 };
    expect((await send(s, 'PUT', '/config/budget', budget)).status).toBe(200);
    const late = `INSERT INTO license_events (at, type, tool, "user", borrow_id, started_at, borrowed, total)
      VALUES ('2026-03-10T10:00:00', 'returned', 'cad', 'x', 'late', '2026-03-10T00:00:00', 0, 4)`;
    const forget = `DELETE FROM license_events WHERE at < '2026-03-03T00:00:00'`;
    if (db === 'SQLite') {
      const file = new Database(s.dbPath);
      file.exec(late.replace(/T10:00:00'/, "T10:00:00.000+00:00'").replace(/T00:00:00'/g, "T00:00:00.000+00:00'"));
      file.exec(forget.replace(/T00:00:00'/, "T00:00:00.000+00:00'"));
      file.close();
    } else {
      await onPostgres(pgUrl, async (c) => {
        await c.query(late);
        await c.query(forget);
      });
    }
    await at('2026-04-03T10:00:00Z');
    for (const period of ['previous', '2026-03-31', '2026-03-01']) {
      expect((await send(s, 'GET', `/statements?tool=cad&period=${period}`)).json).toEqual({ statements: [frozen] });
    }
    // The new price applies to the running period (April: no use yet, all on (no team)).
    const april = (await send(s, 'GET', '/statements?tool=cad')).json.statements[0];
    expect(april).toMatchObject({ period_start: '2026-04-01T00:00:00.000Z', closed: false, commit_price: 3000, total: 3000 });
    expect(april.teams).toEqual([
      { team: '(no team)', seat_hours: 0, share: 1, commit: 3000, overage: 0, overage_charges: 0, total: 3000 },
    ]);

    // The CSV holds the same numbers, one line per team, in a form a spreadsheet opens.
    const csv = await get(s, '/statements.csv?tool=cad&period=previous');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'tool,period_start,period_end,closed,team,seat_hours,share,commit,overage,overage_charges,total',
    );
    expect(parseCsv(csv.text)).toEqual(
      MARCH.teams.map((t) => ({
        ...{ tool: 'cad', period_start: MARCH.period_start, period_end: MARCH.period_end, closed: 'true', team: t.team },
        ...{ seat_hours: String(t.seat_hours), share: String(t.share), commit: String(t.commit), overage: String(t.overage) },
        ...{ overage_charges: String(t.overage_charges), total: String(t.total) },
      })),
    );
    const sum = parseCsv(csv.text).reduce((a, r) => a + Math.round(Number(r.total) * 100), 0);
    expect(sum).toBe(120_000); // the pool's cost to the cent
    // Accept: text/csv on the JSON route gives the same CSV; GraphQL's csv field too.
    expect((await get(s, '/statements?tool=cad&period=previous', 'text/csv')).text).toBe(csv.text);
    const g = await gql(s.url, '{ statements(tool: "cad", period: "previous") { closed total csv teams { team commit } } }');
    expect(g.data.statements).toEqual([
      { closed: true, total: 1200, csv: csv.text, teams: MARCH.teams.map((t) => ({ team: t.team, commit: t.commit })) },
    ]);
  });

  it('reports the line: queue waits p50/p95, an expiry and a revocation', async () => {
    // 4 March, the one-seat pool: h1's 60 s lease runs out, q1 (waiting since 09:00) gets
    // the seat at 09:02 (120 s); an admin revokes it at 09:03 and q2 (since 09:02) gets it
    // (60 s); q2 returns at 09:08 and q3 (since 09:03) gets it (300 s).
    const ticket = async (user: string) => {
      const r = await postJson(`${s.url}/licenses/borrow`, { tool: 'line', user, queue: true, lease_seconds: 3600 });
      expect(r.status, r.text).toBe(202);
      return r.json.ticket_id as string;
    };
    // The sweep's tick (about once a second in production) run now: the clock was moved.
    const granted = async (id: string) => {
      await s.floatline.licenses.sweepLeases();
      const t = (await send(s, 'GET', `/queue/${id}`)).json;
      expect(t.state, `ticket ${id}`).toBe('granted');
      return t;
    };
    await at('2026-03-04T09:00:00Z');
    expect((await borrow('h1', 'line', { lease_seconds: 60 })).status).toBe(200);
    const q1 = await ticket('q1');
    await at('2026-03-04T09:02:00Z'); // the sweep finds h1's lease over
    const g1 = await granted(q1);
    const q2 = await ticket('q2');
    await at('2026-03-04T09:03:00Z');
    expect((await postJson(`${s.url}/licenses/revoke`, { id: g1.borrow_id, reason: 'report test' })).status).toBe(200);
    const g2 = await granted(q2);
    const q3 = await ticket('q3');
    await at('2026-03-04T09:08:00Z');
    expect((await postJson(`${s.url}/licenses/return`, { id: g2.borrow_id })).status).toBe(200);
    const g3 = await granted(q3);
    await at('2026-03-04T09:09:00Z');
    expect((await postJson(`${s.url}/licenses/return`, { id: g3.borrow_id })).status).toBe(200);

    await at('2026-04-03T10:00:00Z');
    const r = await send(s, 'GET', '/reports/usage?from=2026-03-04T09:00:00Z&to=2026-03-04T10:00:00Z&tool=line');
    expect(r.status, r.text).toBe(200);
    // h1 2 min + q1 1 min + q2 5 min + q3 1 min = 9 min = 0.15 h of one seat over 1 h.
    expect(r.json.rows).toEqual([
      expect.objectContaining({
        ...{ tool: 'line', group: 'line', peak_seats: 1, seat_hours: 0.15, capacity: 1, utilisation: 0.15 },
        ...{ queue_waits: 3, queue_wait_p50_seconds: 120, queue_wait_p95_seconds: 300, expiries: 1, revocations: 1 },
      }),
    ]);
    const byUser = await send(s, 'GET', '/reports/usage?from=2026-03-04T09:00:00Z&to=2026-03-04T10:00:00Z&tool=line&group_by=user');
    expect(byUser.json.rows.map((x: any) => [x.group, x.seat_hours, x.queue_waits, x.expiries, x.revocations])).toEqual([
      ['h1', 0.033333, 0, 1, 0],
      ['q1', 0.016667, 1, 0, 1],
      ['q2', 0.083333, 1, 0, 0],
      ['q3', 0.016667, 1, 0, 0],
    ]);
  });

  it('reports the month per pool and team: peak, seat-hours, utilisation, true and retried denials', async () => {
    const month = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&tool=cad';
    // The March history before the 3rd was deleted above: report 3 March, whole.
    const day = 'from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z&tool=cad';
    const pool = (await send(s, 'GET', `/reports/usage?${day}`)).json;
    expect(pool).toMatchObject({ group_by: 'pool', tool: 'cad', true_denial_minutes: 10, bucket_seconds: 900, total_count: 1 });
    // x 3 h + a2 3 h + a1 2 h + b1 2 h + b2 55 min = 10.916667 seat-hours over 4 seats × 24 h.
    expect(pool.rows[0]).toMatchObject({ peak_seats: 4, seat_hours: 10.916667, capacity: 4, utilisation: 0.113715 });
    expect(pool.rows[0]).toMatchObject({ denials: 1, true_denials: 1, retried_denials: 0 }); // b2 got a seat 35 min later
    expect(pool.data_from).toBe('2026-03-03T09:00:00.000Z');
    expect(pool.data_to).toBe('2026-03-03T13:00:00.000Z');
    // The series: average seats per 15 minutes, 09:00 … 13:00 (x, then a2, then a1 and b1, ...).
    const seats = Object.fromEntries(pool.rows[0].series.map((p: any) => [p.at.slice(11, 16), p.seats]));
    expect(pool.rows[0].series).toHaveLength(96);
    expect([seats['08:45'], seats['09:00'], seats['10:00'], seats['11:00'], seats['11:45'], seats['12:00'], seats['12:30']]).toEqual([
      0, 1, 2, 4, 4, 3.666667, 4,
    ]); // 12:00-12:15: 3 seats for 5 min, then b2's too for 10 min: 55/15
    expect(seats['13:00']).toBe(0);

    const retried = (await send(s, 'GET', `/reports/usage?${day}&true_denial_minutes=60`)).json.rows[0];
    expect(retried).toMatchObject({ denials: 1, true_denials: 0, retried_denials: 1 });

    const teams = (await send(s, 'GET', `/reports/usage?${day}&group_by=team`)).json;
    expect(teams.rows.map((x: any) => [x.group, x.peak_seats, x.seat_hours, x.denials, x.true_denials])).toEqual([
      ['(no team)', 1, 3, 0, 0],
      ['alpha', 2, 5, 0, 0],
      ['beta', 2, 2.916667, 1, 1],
    ]);
    // The whole month now holds what is left of it (3 March) and the late 10 h seat of x
    // (its end event carries its start: a whole seat; the hours from 4 March on were rolled
    // up again when the line's events above were written with the clock set back).
    const monthTeams = (await send(s, 'GET', `/reports/usage?${month}&group_by=team`)).json.rows;
    expect(monthTeams.find((x: any) => x.group === '(no team)').seat_hours).toBe(13);
    // A seat borrowed and returned through Floatline with the clock set back into March (a
    // process whose clock is behind): the hours it falls in are rolled up again, and it counts.
    await at('2026-03-20T10:00:00Z');
    expect((await borrow('x')).status).toBe(200);
    await at('2026-03-20T12:00:00Z');
    await giveBack('x');
    await at('2026-04-05T10:00:00Z');
    const again = (await send(s, 'GET', `/reports/usage?${month}&group_by=team`)).json.rows;
    expect(again.find((x: any) => x.group === '(no team)').seat_hours).toBe(15);

    // CSV: the same rows; GraphQL: the same numbers.
    const csv = await get(s, `/reports/usage.csv?${day}&group_by=team`);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(parseCsv(csv.text).map((x) => [x.group, x.peak_seats, x.seat_hours, x.true_denials])).toEqual([
      ['(no team)', '1', '3', '0'],
      ['alpha', '2', '5', '0'],
      ['beta', '2', '2.916667', '1'],
    ]);
    const g = await gql(
      s.url,
      `{ usageReport(from: "2026-03-03T00:00:00Z", to: "2026-03-04T00:00:00Z", tool: "cad", groupBy: TEAM, first: 20) {
          groupBy totalCount csv rows { group peakSeats seatHours trueDenials series { seats } } } }`,
    );
    expect(g.data.usageReport).toMatchObject({ groupBy: 'TEAM', totalCount: 3, csv: csv.text });
    expect(g.data.usageReport.rows.map((x: any) => [x.group, x.peakSeats, x.seatHours, x.trueDenials])).toEqual([
      ['(no team)', 1, 3, 0],
      ['alpha', 2, 5, 0],
      ['beta', 2, 2.916667, 1],
    ]);

    // Paging: one row per page, the cursor to the next.
    const first = (await send(s, 'GET', `/reports/usage?${day}&group_by=team&first=1`)).json;
    expect([first.rows.map((x: any) => x.group), first.next_cursor]).toEqual([['(no team)'], 'r1']);
    const next = (await send(s, 'GET', `/reports/usage?${day}&group_by=team&first=2&after=r1`)).json;
    expect([next.rows.map((x: any) => x.group), next.next_cursor]).toEqual([['alpha', 'beta'], null]);
  });

  it('refuses bad parameters with a 422 naming the field, the same on both databases', async () => {
    const detail = async (path: string) => (await send(s, 'GET', path)).json;
    const cases: [string, string[]][] = [
      ['/reports/usage?to=2026-03-02T00:00:00Z', ['query', 'from']],
      ['/reports/usage?from=yesterday&to=2026-03-02T00:00:00Z', ['query', 'from']],
      ['/reports/usage?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', ['query', 'to']],
      ['/reports/usage?from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', ['query', 'to']],
      ['/reports/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&group_by=site', ['query', 'group_by']],
      ['/reports/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&true_denial_minutes=5000', ['query', 'true_denial_minutes']],
      ['/reports/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&first=0', ['query', 'first']],
      ['/reports/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&after=zzz', ['query', 'after']],
      ['/statements?period=last-month', ['query', 'period']],
      ['/statements?period=2030-01-01', ['query', 'period']],
    ];
    const got = [];
    for (const [path] of cases) {
      const r = await send(s, 'GET', path);
      expect(r.status, path).toBe(422);
      got.push(r.json.detail[0].loc);
    }
    expect(got).toEqual(cases.map(([, loc]) => loc));
    refusals[db] = JSON.stringify(await Promise.all(cases.map(([p]) => detail(p))));
    expect((await send(s, 'GET', '/statements?tool=nope')).status).toBe(404);
    const g = await gql(s.url, '{ usageReport(from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z") { totalCount } }');
    expect(g.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'to' } });
  });
});

it('answers bad parameters identically on SQLite and PostgreSQL', () => {
  expect(refusals.SQLite).toBeDefined();
  expect(refusals.PostgreSQL).toBe(refusals.SQLite);
});

describe('retention keeps what statements need', () => {
  let s: RunningServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'floatline-retention-'));
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('freezes the last period before pruning it, and keeps the running period whatever EVENT_RETENTION_DAYS says', async () => {
    const clock = new TestClock('2026-02-20T08:00:00Z'); // the first start-up prune runs at the first borrow's time
    const start = () => startInProcess({ clock, dbPath: join(dir, 'licenses.db'), env: { EVENT_RETENTION_DAYS: '1' } });
    s = await start();
    const play = async (from: string, to: string, user: string) => {
      clock.set(from);
      const b = await postJson(`${s!.url}/licenses/borrow`, { tool: 'cad_tool', user });
      expect(b.status, b.text).toBe(200);
      clock.set(to);
      expect((await postJson(`${s!.url}/licenses/return`, { id: b.json.id })).status).toBe(200);
    };
    await play('2026-02-20T08:00:00Z', '2026-02-20T10:00:00Z', 'feb'); // last period: 2 seat-hours
    await play('2026-03-02T08:00:00Z', '2026-03-02T11:00:00Z', 'mar'); // this period, 8 days before the restart
    clock.set('2026-03-10T00:00:00Z');
    await s.stop();
    s = await start(); // the start-up prune: events older than 1 day, but not March's
    await s.floatline.retention.firstRun;
    expect(s.logs.find((l) => String(l.event).startsWith('events_prune'))).toMatchObject({
      event: 'events_pruned',
      count: 2,
    }); // February's borrow and return
    const users = (await gql(s.url, '{ events(first: 100) { nodes { user type at } } }')).data.events.nodes.map((e: any) => e.user);
    expect(users).toEqual(['mar', 'mar']);
    const feb = (await (await fetch(`${s.url}/statements?tool=cad_tool&period=previous`)).json()) as any;
    expect(feb.statements[0]).toMatchObject({
      period_start: '2026-02-01T00:00:00.000Z',
      closed: true,
      frozen_at: '2026-03-10T00:00:00.000Z',
      seat_hours: 2,
    });
    const mar = (await (await fetch(`${s.url}/statements?tool=cad_tool`)).json()) as any;
    expect(mar.statements[0]).toMatchObject({ closed: false, seat_hours: 3 });
  }, 120_000);
});
