// The costs page (/costs) in Chromium against a real server whose clock the test
// sets: a scripted morning of borrows and returns by two teams and one user in no team, with
// one overage borrow. The page shows the statement the arithmetic below gives, the CSV link
// serves the same numbers, the chart draws one line per team, and last period is closed. An
// observed FlexNet pool an admin priced shows its statement beside the native ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { gql, postJson, putJson } from '../helpers/server';
import { type InProcessServer, startInProcess } from '../helpers/in-process';
import { TestClock } from '../helpers/clock';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: InProcessServer;
// The server runs in this process on a clock the test moves; Chromium reaches it over a socket.
const clock = new TestClock();
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const line = (team: string): Locator =>
  page
    .locator('[data-testid="statement"][data-tool="cad_tool"] [data-testid="statement-line"]')
    .filter({ has: page.locator(`th:text-is("${team}")`) });

async function borrow(user: string): Promise<string> {
  const r = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user });
  expect(r.status, r.text).toBe(200);
  return r.json.id as string;
}
/** The GraphQL error code of cad_tool's statement for the period holding `day`, or 'ok'. */
async function gqlStatement(day: string): Promise<string> {
  const r = await gql(server.url, 'query($p: String) { statement(tool: "cad_tool", period: $p) { total } }', { p: day });
  return (r.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code ?? 'ok';
}
/** An lmstat -a output of an observed FlexNet server: MATLAB (5 issued) held by `holders` since 09:00 on March 10th. */
const lmstat = (holders: string[]) =>
  [
    'License server status: 27000@lic1',
    '      lic1: license server UP (MASTER) v11.19.6',
    'Feature usage info:',
    `Users of MATLAB:  (Total of 5 licenses issued;  Total of ${holders.length} licenses in use)`,
    ...holders.map((u) => `    ${u} ws9 ws9 (v46) (lic1/27000 101), start Tue 3/10 9:00`),
    '',
  ].join('\n');
async function pushSnapshot(at: string, holders: string[]): Promise<void> {
  clock.set(at);
  const r = await fetch(`${server.url}/observed/sources/cad-lic/snapshot`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: lmstat(holders),
  });
  expect(r.status).toBe(200);
}
async function giveBack(id: string): Promise<void> {
  expect((await postJson(`${server.url}/licenses/return`, { id })).status).toBe(200);
}

beforeAll(async () => {
  assertClientBuilt();
  server = await startInProcess({ listen: true, clock });
  // cad_tool as seeded: 5 seats, commit 4, commit price 1000 per period, 100 per overage borrow.
  for (const [team, users] of [
    ['powertrain', ['alice']],
    ['chassis', ['bob']],
  ] as const) {
    expect((await postJson(`${server.url}/teams`, { name: team })).status).toBe(201);
    expect((await putJson(`${server.url}/teams/${team}/members`, { users })).status).toBe(200);
  }
  // Billing period: March 2026 (billing day 1). Times are UTC.
  clock.set('2026-03-10T08:00:00Z');
  const a1 = await borrow('alice');
  const a2 = await borrow('alice');
  const b1 = await borrow('bob');
  const c1 = await borrow('carol');
  clock.set('2026-03-10T08:30:00Z');
  const b2 = await borrow('bob'); // the 5th seat: overage, 100
  clock.set('2026-03-10T09:00:00Z');
  await giveBack(c1);
  clock.set('2026-03-10T09:30:00Z');
  await giveBack(b2);
  clock.set('2026-03-10T10:00:00Z');
  await giveBack(a1);
  await giveBack(a2);
  clock.set('2026-03-10T12:00:00Z');
  await giveBack(b1);
  // An observed FlexNet pool: dora (no team) holds MATLAB 09:00-10:00; an admin prices it at 300.
  expect((await postJson(`${server.url}/observed/sources`, { name: 'cad-lic', kind: 'flexnet' })).status).toBe(201);
  await pushSnapshot('2026-03-10T08:00:00Z', []);
  await pushSnapshot('2026-03-10T09:00:00Z', ['dora']);
  await pushSnapshot('2026-03-10T10:00:00Z', []);
  expect((await putJson(`${server.url}/observed/pools/cad-lic/MATLAB/price`, { price: 300 })).status).toBe(200);
  // Later in March, while the period still runs: the page reads "current" as of this instant.
  clock.set('2026-03-20T12:00:00Z');

  browser = await launchChromium();
  ({ context, page } = await openLivePage(browser, `${server.url}/`, pageErrors, 1400));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Costs' }).click();
  await page.getByRole('heading', { name: 'Costs', level: 1 }).waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

// Seat-hours: alice 2 seats × 2 h = 4 (powertrain); bob 4 h + 1 h = 5 (chassis); carol 1 h
// (no team): 10 in all. Commit 1000 spread 4/10, 5/10, 1/10 = 400, 500, 100; chassis caused
// the one overage charge (100). Pool total 1100.
const EXPECTED = [
  { team: 'chassis', seatHours: '5.00', share: '50.0 %', commit: '$500.00', overage: '$100.00', total: '$600.00' },
  { team: 'powertrain', seatHours: '4.00', share: '40.0 %', commit: '$400.00', overage: '$0.00', total: '$400.00' },
  { team: '(no team)', seatHours: '1.00', share: '10.0 %', commit: '$100.00', overage: '$0.00', total: '$100.00' },
];

describe('costs page', () => {
  it("shows the current period's statement with the hand-computed numbers, live", async () => {
    expect(new URL(page.url()).pathname).toBe('/costs');
    for (const e of EXPECTED) {
      await expect.poll(() => line(e.team).count(), WAIT).toBe(1);
      const cells = await line(e.team).locator('td').allInnerTexts();
      expect(cells).toEqual([e.seatHours, e.share, e.commit, e.overage, e.total]);
    }
    const card = page.locator('[data-testid="statement"][data-tool="cad_tool"]');
    expect(await card.getByTestId('statement-total').innerText()).toBe('$1,100.00');
    expect(await card.getByTestId('statement-live').count()).toBe(1);
    expect(await card.innerText()).toContain('Mar 1, 2026 – Mar 31, 2026');
  });

  it("shows a priced observed pool's statement beside the native ones", async () => {
    const observed = page.locator('[data-testid="statement"][data-tool="cad-lic/MATLAB"] [data-testid="statement-line"]');
    await expect.poll(() => observed.count(), WAIT).toBe(1);
    expect(await observed.locator('th').innerText()).toBe('(no team)');
    expect(await observed.locator('td').allInnerTexts()).toEqual(['1.00', '100.0 %', '$300.00', '$0.00', '$300.00']);
  });

  it('draws one line per team over the span of the data, not the whole month', async () => {
    const chart = page.getByTestId('team-usage');
    for (const team of ['chassis', 'powertrain', '(no team)']) {
      await expect.poll(() => chart.locator(`[data-testid="team-usage-line"][data-team="${team}"]`).getAttribute('d'), WAIT).toMatch(/^M/);
    }
    // The data runs 08:00–12:00 on March 10th: the axis spans hours of that day.
    const span = await chart.getByTestId('team-usage-span').innerText();
    expect(span).toMatch(/Mar 10/);
    expect(span).not.toMatch(/Mar 1,|Mar 31/);
    await screenshot(page, 'costs-page.png');
  });

  it('the CSV link serves the same numbers', async () => {
    const href = await page.getByTestId('statements-csv').getAttribute('href');
    expect(href).toBe('/statements.csv?period=current');
    const res = await fetch(`${server.url}${href}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    const rows = csv
      .trim()
      .split(/\r?\n/)
      .map((r) => r.split(','));
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(col('team')).toBeGreaterThanOrEqual(0);
    const row = (team: string) => rows.find((r) => r[col('tool')] === 'cad_tool' && r[col('team')] === team)!;
    expect(Number(row('chassis')[col('total')])).toBe(600);
    expect(Number(row('powertrain')[col('commit')])).toBe(400);
    expect(Number(row('(no team)')[col('seat_hours')])).toBe(1);
  });

  it('a new borrow moves the current statement without a reload; no statement for a period before the pool was used', async () => {
    clock.set('2026-03-20T12:00:00Z');
    const id = await borrow('alice');
    clock.set('2026-03-20T14:00:00Z');
    await giveBack(id);
    // powertrain now 6 of 12 seat-hours: 500 of the commit.
    await expect.poll(async () => (await line('powertrain').locator('td').allInnerTexts())[0], WAIT).toBe('6.00');
    // February ended before any seat of cad_tool was taken (its history starts in March): no
    // statement exists for it, so none is frozen or billed, and the page shows none.
    await page.getByRole('button', { name: 'Last period' }).click();
    const card = page.locator('[data-testid="statement"][data-tool="cad_tool"]');
    await expect.poll(() => card.count(), WAIT).toBe(0);
    const feb = await gqlStatement('2026-02-15');
    expect(feb).toBe('NO_STATEMENT');
    expect(pageErrors).toEqual([]);
  });
});
