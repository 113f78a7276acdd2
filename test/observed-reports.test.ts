// Observed FlexNet pools in the usage reports, the true-denial counts and the statements by
// team, in process on SQLite and PostgreSQL with a clock the test moves (helpers/clock.ts).
// A day of lmstat snapshots pushed at known times — alice (team cae) holds 2 licenses, bob
// (no team) 1, the server goes down for an hour and comes back — gives seat-hours computed
// by hand below; a debug log gives exact check-outs and a true and a retried denial. An
// admin prices the pool; the statement spreads the price over teams by those seat-hours to
// the cent, and once the period has closed a price change no longer alters it. Viewers read,
// only admins price; bad prices get a 422 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './helpers/clock.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';
import type { InProcessServer } from './helpers/in-process.ts';

const ADMIN_TOKEN = 'observed-reports-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** lmstat -a as FlexNet 11 prints it: MATLAB (10 issued) with these holders, started at `start`. */
function lmstat(holders: { user: string; host: string; licenses: number; start: string }[]): string {
  const inUse = holders.reduce((n, h) => n + h.licenses, 0);
  const line = (h: (typeof holders)[number]) => {
    const d = new Date(h.start);
    const when = `${DAYS[d.getUTCDay()]} ${d.getUTCMonth() + 1}/${d.getUTCDate()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    return `    ${h.user} ${h.host} ${h.host} (v46) (lic1/27000 1201), start ${when}${h.licenses > 1 ? `, ${h.licenses} licenses` : ''}`;
  };
  return [
    'License server status: 27000@lic1',
    '      lic1: license server UP (MASTER) v11.19.6',
    'Vendor daemon status (on lic1):',
    '       MLM: UP v11.19.6',
    'Feature usage info:',
    `Users of MATLAB:  (Total of 10 licenses issued;  Total of ${inUse} licenses in use)`,
    '  "MATLAB" v46, vendor: MLM, expiry: 31-dec-2027',
    '  floating license',
    ...holders.map(line),
    '',
  ].join('\n');
}
const DOWN = [
  'License server status: 27000@lic1',
  'lmgrd is not running: Cannot connect to license server system. (-15,570:111 "Connection refused")',
  '',
].join('\n');

const ALICE = { user: 'alice', host: 'ws1', licenses: 2, start: '2026-03-10T09:00:00Z' };
const BOB = { user: 'bob', host: 'ws2', licenses: 1, start: '2026-03-10T09:00:00Z' };
// 2 seats 09:00-11:00 (down at 11:00) and 12:00-13:00 (seen again at 12:00, gone at 13:00).
const ALICE_HOURS = 2 * 2 + 2 * 1;
const BOB_HOURS = 1; // 09:00-10:00

const DEBUG_LOG = [
  '13:00:00 (lmgrd) TIMESTAMP 3/10/2026',
  '13:30:00 (MLM) DENIED: "Simulink" bob@ws2  (Licensed number of users already reached. (-4,342))',
  '13:40:00 (MLM) DENIED: "Simulink" alice@ws1  (Licensed number of users already reached. (-4,342))',
  '13:45:00 (MLM) OUT: "Simulink" alice@ws1  ',
  '14:45:00 (MLM) IN: "Simulink" alice@ws1  ',
  '',
].join('\n');

describe.each(DATABASES)('observed pools in reports and statements on %s', (db) => {
  let s: InProcessServer;
  let viewer: Record<string, string>;
  const clock = new TestClock('2026-03-10T08:00:00Z');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
    const r = await s.fetch(path, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, text, json: text.startsWith('{') ? JSON.parse(text) : null };
  };
  const push = async (at: string, text: string) => {
    clock.set(at);
    const r = await call('POST', '/observed/sources/cad-lic/snapshot', text);
    expect(r.status, r.text).toBe(200);
  };
  const report = async (query: string) => {
    const r = await call('GET', `/reports/usage?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&${query}`, undefined, viewer);
    expect(r.status, r.text).toBe(200);
    return r.json;
  };
  const rowsOf = (rep: { rows: any[] }) => rep.rows.filter((r) => r.tool.includes('/'));

  beforeAll(async () => {
    s = await startOn(db, { clock, timers: false, env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
    const t = await call('POST', '/auth/tokens', { name: 'vera', user: 'vera', role: 'viewer' });
    expect(t.status, t.text).toBe(201);
    viewer = { authorization: `Bearer ${t.json.token}` };
    expect((await call('POST', '/teams', { name: 'cae' })).status).toBe(201);
    expect((await call('PUT', '/teams/cae/members', { users: ['alice'] })).status).toBe(200);
    expect((await call('POST', '/observed/sources', { name: 'cad-lic', kind: 'flexnet' })).status).toBe(201);
    await push('2026-03-10T08:00:00Z', lmstat([]));
    await push('2026-03-10T09:00:00Z', lmstat([ALICE, BOB]));
    await push('2026-03-10T10:00:00Z', lmstat([ALICE]));
    await push('2026-03-10T11:00:00Z', DOWN);
    await push('2026-03-10T12:00:00Z', lmstat([ALICE]));
    await push('2026-03-10T13:00:00Z', lmstat([]));
    clock.set('2026-03-10T15:00:00Z');
    const log = await call('POST', '/observed/sources/cad-lic/log', DEBUG_LOG);
    expect(log.json).toMatchObject({ out: 1, in: 1, denied: 2 });
  }, 60_000);
  afterAll(() => s?.stop());

  it('reports observed pools beside native ones as <source>/<feature>, seat-hours from check-out to check-in', async () => {
    const rep = await report('group_by=pool');
    expect(rep.rows.some((r: { tool: string }) => !r.tool.includes('/'))).toBe(true); // the native pools are still there
    const matlab = rowsOf(rep).find((r: { tool: string }) => r.tool === 'cad-lic/MATLAB');
    // An outage adds nothing: alice's seats stop at 11:00 and count again from 12:00.
    expect(matlab).toMatchObject({ group: 'cad-lic/MATLAB', capacity: 10, peak_seats: 3, seat_hours: ALICE_HOURS + BOB_HOURS });
    expect(matlab.utilisation).toBeCloseTo((ALICE_HOURS + BOB_HOURS) / (10 * 15), 6); // 15 hours of the window have passed
    const seriesSum = matlab.series.reduce((a: number, p: { seats: number }) => a + p.seats, 0);
    expect(seriesSum * (rep.bucket_seconds / 3600)).toBeCloseTo(ALICE_HOURS + BOB_HOURS, 6);
    // The debug log's feature: its exact seat, and one denial retried within 10 minutes, one not.
    expect(rowsOf(rep).find((r: { tool: string }) => r.tool === 'cad-lic/Simulink')).toMatchObject({
      seat_hours: 1,
      denials: 2,
      true_denials: 1,
      retried_denials: 1,
    });
  });

  it('ends the seats an outage hides with check-ins saying so, and shows them again as check-outs', async () => {
    const r = await call('GET', '/observed/events?source=cad-lic&feature=MATLAB&limit=50', undefined, viewer);
    const alice = r.json.events
      .filter((e: { user: string }) => e.user === 'alice')
      .map((e: { kind: string; at: string; licenses: number; reason: string | null }) => [e.kind, e.at, e.licenses, e.reason])
      .reverse();
    expect(alice).toEqual([
      ['out', '2026-03-10T09:00:00.000Z', 2, null],
      ['in', '2026-03-10T11:00:00.000Z', 2, 'source down'],
      ['out', '2026-03-10T12:00:00.000Z', 2, null],
      ['in', '2026-03-10T13:00:00.000Z', 2, null],
    ]);
  });

  it('groups observed seats by team (holders mapped by membership) and by user, one pool at a time', async () => {
    const byTeam = await report('group_by=team&tool=cad-lic/MATLAB');
    expect(byTeam.rows.map((r: { group: string; seat_hours: number }) => [r.group, r.seat_hours])).toEqual([
      ['(no team)', BOB_HOURS],
      ['cae', ALICE_HOURS],
    ]);
    const byUser = await report('group_by=user&tool=cad-lic/Simulink&true_denial_minutes=1');
    expect(
      byUser.rows.map((r: { group: string; true_denials: number; seat_hours: number }) => [r.group, r.seat_hours, r.true_denials]),
    ).toEqual([
      ['alice', 1, 1], // retried after 5 minutes: true within a 1-minute grace
      ['bob', 0, 1],
    ]);
    const csv = await s.fetch('/reports/usage.csv?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&tool=cad-lic/MATLAB', {
      headers: viewer,
    });
    expect(await csv.text()).toContain(`,cad-lic/MATLAB,pool,cad-lic/MATLAB,3,${ALICE_HOURS + BOB_HOURS},10,0.046667,`);
  });

  it('answers the same over GraphQL', async () => {
    const r = await call(
      'POST',
      '/graphql',
      {
        query:
          '{ usageReport(from: "2026-03-10T00:00:00Z", to: "2026-03-11T00:00:00Z", groupBy: TEAM, tool: "cad-lic/MATLAB") { rows { group seatHours } } }',
      },
      viewer,
    );
    expect(r.json.data.usageReport.rows).toEqual([
      { group: '(no team)', seatHours: BOB_HOURS },
      { group: 'cae', seatHours: ALICE_HOURS },
    ]);
  });

  it('prices an observed pool (admin only, 422 naming the field) and spreads it over teams by seat-hours', async () => {
    const path = '/observed/pools/cad-lic/MATLAB/price';
    expect((await call('PUT', path, { price: 1000 }, viewer)).status).toBe(403);
    const bad = await call('PUT', path, { price: -1 });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('price');
    const badDay = await call('PUT', path, { price: 1000, billing_day: 29 });
    expect(badDay.status).toBe(422);
    expect(badDay.text).toContain('billing_day');
    expect((await call('PUT', '/observed/pools/cad-lic/NOPE/price', { price: 1 })).status).toBe(404);
    const gql = await call('POST', '/graphql', {
      query: 'mutation { setObservedPoolPrice(source: "cad-lic", feature: "MATLAB", price: 999, billingDay: 1) { tool price billingDay } }',
    });
    expect(gql.json.data.setObservedPoolPrice).toEqual({ tool: 'cad-lic/MATLAB', price: 999, billingDay: 1 });
    const set = await call('PUT', path, { price: 1000 }); // the last price set counts
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ tool: 'cad-lic/MATLAB', price: 1000, billing_day: 1 });
    const prices = await call('POST', '/graphql', { query: '{ observedPrices(first: 5) { nodes { tool price billingDay } } }' }, viewer);
    expect(prices.json.data.observedPrices.nodes).toEqual([{ tool: 'cad-lic/MATLAB', price: 1000, billingDay: 1 }]);
    const audit = await call('GET', '/audit?limit=5');
    expect(audit.text).toContain('observed_price_set');

    const r = await call('GET', '/statements?tool=cad-lic/MATLAB', undefined, viewer);
    expect(r.status, r.text).toBe(200);
    const st = r.json.statements[0];
    expect(st).toMatchObject({ tool: 'cad-lic/MATLAB', closed: false, commit_price: 1000, overage: 0, total: 1000 });
    expect(st.seat_hours).toBe(ALICE_HOURS + BOB_HOURS);
    // 1000 × 6/7 = 857.142857…, 1000 × 1/7 = 142.857142…: the leftover cent goes to the larger fraction.
    expect(st.teams.map((t: { team: string; commit: number; seat_hours: number }) => [t.team, t.seat_hours, t.commit])).toEqual([
      ['cae', ALICE_HOURS, 857.14],
      ['(no team)', BOB_HOURS, 142.86],
    ]);
    const unpriced = await call('GET', '/statements?tool=cad-lic/Simulink', undefined, viewer);
    expect(unpriced.status).toBe(404);
    expect(unpriced.text).toContain('cad-lic/Simulink has no price');
    const gqlUnpriced = await call('POST', '/graphql', { query: '{ statement(tool: "cad-lic/Simulink") { total } }' }, viewer);
    expect(gqlUnpriced.json.errors[0].message).toContain('cad-lic/Simulink has no price');
    // Every pool's statements include the priced observed pool.
    const all = await call('GET', '/statements', undefined, viewer);
    expect(all.json.statements.map((x: { tool: string }) => x.tool)).toContain('cad-lic/MATLAB');
  });

  it('freezes a closed period: a later price change does not alter it', async () => {
    clock.set('2026-04-02T00:00:00Z');
    const first = await call('GET', '/statements?tool=cad-lic/MATLAB&period=previous', undefined, viewer);
    expect(first.json.statements[0]).toMatchObject({ closed: true, total: 1000, seat_hours: ALICE_HOURS + BOB_HOURS });
    expect(first.json.statements[0].frozen_at).not.toBeNull();
    expect((await call('PUT', '/observed/pools/cad-lic/MATLAB/price', { price: 5 })).status).toBe(200);
    const again = await call('GET', '/statements?tool=cad-lic/MATLAB&period=2026-03-15', undefined, viewer);
    expect(again.json.statements[0]).toMatchObject({ total: 1000, closed: true });
    const current = await call('GET', '/statements?tool=cad-lic/MATLAB', undefined, viewer);
    expect(current.json.statements[0]).toMatchObject({ total: 5, seat_hours: 0, teams: [{ team: '(no team)', commit: 5 }] });
  });
});
