// The billing settings on the budgets page and this period's overage spend against the cap
// on the pool cards: an admin sets them in one window, a second window (never
// reloaded) shows the spend rise live as overage borrows come in. Real server, Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { postJson } from '../helpers/server';
import { type InProcessServer, startInProcess } from '../helpers/in-process';
import { TestClock } from '../helpers/clock';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: InProcessServer;
// The server runs in this process on a clock the test moves; Chromium reaches it over a socket.
const clock = new TestClock();
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page; // on /config
let viewer: Page; // on the dashboard, never reloaded
const pageErrors: string[] = [];

const card = (page: Page, tool: string): Locator => page.locator(`[data-testid="pool-card"][data-tool="${tool}"]`);
const budget = (page: Page, tool: string): Locator => page.locator(`[data-testid="budget-form"][data-tool="${tool}"]`);

async function open(path: string): Promise<Page> {
  const { context, page } = await openLivePage(browser, `${server.url}${path}`, pageErrors);
  contexts.push(context);
  return page;
}

beforeAll(async () => {
  assertClientBuilt();
  server = await startInProcess({ listen: true, clock });
  clock.set('2026-11-20T10:00:00Z');
  browser = await launchChromium();
  admin = await open('/config');
  viewer = await open('/');
  await viewer.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('billing on the dashboard', () => {
  it('refuses a billing day outside 1-28 under the field', async () => {
    const form = budget(admin, 'analysis');
    await form.getByLabel('Billing day', { exact: true }).fill('31');
    await form.getByRole('button', { name: 'Save analysis' }).click();
    await expect
      .poll(() => form.locator('[data-testid="field-error"][data-field="billingDay"]').innerText(), WAIT)
      .toContain('from 1 to 28');
    await form.getByRole('button', { name: 'Reset' }).click();
  });

  it('saves billing day, overage mode and spend cap; the open dashboard shows spend against the cap live', async () => {
    const spend = card(viewer, 'analysis').getByTestId('period-spend');
    await expect.poll(() => spend.innerText(), WAIT).toContain('$0.00');
    expect(await spend.getByTestId('spend-cap').count()).toBe(0);

    const form = budget(admin, 'analysis');
    await form.getByLabel('Billing day', { exact: true }).fill('15');
    await form.getByLabel('Overage charged', { exact: true }).selectOption('PER_SEAT_HOUR');
    await form.getByLabel('Spend cap', { exact: true }).fill('100');
    await form.getByRole('button', { name: 'Save analysis' }).click();
    await form.getByTestId('saved').waitFor(WAIT);

    // The viewer's card follows without a reload: the cap, the period (15 Nov - 15 Dec), the mode.
    await expect.poll(() => spend.getByTestId('spend-cap').innerText(), WAIT).toBe('$100.00');
    expect(await spend.innerText()).toMatch(/until (Dec 15|15 Dec)/);
    expect(await spend.innerText()).toContain('per seat-hour');
    const status = (await (await fetch(`${server.url}/licenses/analysis/status`)).json()) as any;
    expect(status).toMatchObject({ billing_day: 15, overage_mode: 'per_seat_hour', spend_cap: 100 });

    // analysis: commit 1, one seat beyond at 100 per seat-hour. The second seat is overage.
    expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'ann' })).status).toBe(200);
    expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'ben' })).status).toBe(200);
    await expect.poll(() => spend.getByTestId('period-overage').innerText(), WAIT).toBe('$100.00');
    await expect.poll(() => spend.getAttribute('data-reached'), WAIT).toBe('true');
    expect(await spend.innerText()).toContain('Spend cap reached');
    await screenshot(viewer, 'billing-cap-reached-dashboard.png');
    await screenshot(admin, 'billing-settings-config.png');

    // The form shows the saved settings.
    expect(await form.getByLabel('Billing day', { exact: true }).inputValue()).toBe('15');
    expect(await form.getByLabel('Spend cap', { exact: true }).inputValue()).toBe('100');
    expect(pageErrors).toEqual([]);
  });
});
