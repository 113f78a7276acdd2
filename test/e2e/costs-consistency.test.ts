// The costs page says the same thing in every place it says it. A pool nobody used puts its
// whole commit price on "(no team)": that line's share reads 100.0 %, not 0.0 % (REST and
// GraphQL answer share 1 too). The seats-per-team chart plots seats held (averaged per
// bucket): its axis says "seats", its legend gives each team's peak in seats, matching the
// highest point of that team's line, and no seat-hours figure sits next to a seats axis.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser';
import { TestClock } from '../helpers/clock';
import { type InProcessServer, startInProcess } from '../helpers/in-process';
import { gql, postJson, putJson } from '../helpers/server';

const WAIT = { timeout: 20_000 };
let server: InProcessServer;
const clock = new TestClock();
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  assertClientBuilt();
  server = await startInProcess({ listen: true, clock });
  expect((await postJson(`${server.url}/teams`, { name: 'chassis' })).status).toBe(201);
  expect((await putJson(`${server.url}/teams/chassis/members`, { users: ['bob'] })).status).toBe(200);
  // cad_tool: bob holds two seats for an hour, then one for another 30 minutes (2.5
  // seat-hours: 2 seats on average in the first hour, 0.5 in the second). analysis: nobody.
  clock.set('2026-03-10T08:00:00Z');
  const a = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'bob' });
  const b = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'bob' });
  clock.set('2026-03-10T09:00:00Z');
  expect((await postJson(`${server.url}/licenses/return`, { id: a.json.id })).status).toBe(200);
  clock.set('2026-03-10T09:30:00Z');
  expect((await postJson(`${server.url}/licenses/return`, { id: b.json.id })).status).toBe(200);
  clock.set('2026-03-10T12:00:00Z');
  browser = await launchChromium();
  ({ context, page } = await openLivePage(browser, `${server.url}/costs`, pageErrors, 1200));
  await page.locator('[data-testid="statement-line"]').first().waitFor(WAIT);
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  expect(pageErrors).toEqual([]);
});

describe('costs page', () => {
  it('a pool nobody used: (no team) carries the whole commit at a 100.0 % share', async () => {
    const line = page.locator('[data-testid="statement"][data-tool="analysis"] [data-testid="statement-line"][data-team="(no team)"]');
    await line.waitFor(WAIT);
    expect(await line.locator('td[data-label="Seat-hours"]').innerText()).toBe('0.00');
    expect(await line.locator('td[data-label="Share"]').innerText()).toBe('100.0 %');
    expect(await line.locator('td[data-label="Commit"]').innerText()).toBe(
      await page.locator('[data-testid="statement"][data-tool="analysis"] tfoot td[data-label="Commit"]').innerText(),
    );
    const rest = await fetch(`${server.url}/statements?tool=analysis`);
    expect(((await rest.json()) as { statements: { teams: unknown[] }[] }).statements[0]!.teams).toEqual([
      expect.objectContaining({ team: '(no team)', seat_hours: 0, share: 1 }),
    ]);
    const q = await gql(server.url, '{ statements(tool: "analysis") { teams { team share } } }');
    expect(q.errors).toBeUndefined();
    expect(q.data.statements[0].teams).toEqual([{ team: '(no team)', share: 1 }]);
  });

  it('the chart of seats per team: its axis, its legend and its lines speak of seats', async () => {
    const chart = page.getByTestId('team-usage');
    await chart.locator('[data-testid="team-usage-line"][data-team="chassis"]').waitFor(WAIT);
    expect(await chart.getByTestId('team-usage-unit').textContent()).toBe('seats');
    const legend = chart.locator('[data-testid="team-usage-legend"][data-team="chassis"]');
    // Two seats in the first hour, then one for half an hour: 0.5 on average in the second.
    expect(await legend.getByTestId('team-usage-peak').innerText()).toBe('up to 2 seats');
    expect(await chart.locator('.legend').innerText()).not.toMatch(/seat-hours/);
    // The top of the axis is a whole seat, and the line reaches it.
    const ticks = await chart.locator('svg text.axis:not(.axis-unit)').allTextContents();
    expect(ticks.filter((t) => /^\d+$/.test(t)).map(Number)).toEqual([0, 1, 2]);
    // The seat-hours are said where they are used: the note points at the statements.
    expect(await chart.getByTestId('team-usage-note').innerText()).toMatch(/seat-hours .* statements/);
    expect(
      await page.locator('[data-testid="statement"][data-tool="cad_tool"] [data-team="chassis"] td[data-label="Seat-hours"]').innerText(),
    ).toBe('2.50');
    await screenshot(page, 'costs-consistency.png');
  });
});
