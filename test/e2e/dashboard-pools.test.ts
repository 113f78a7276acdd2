// Pools an admin creates and retires from the budgets page, seen live in a second
// browser window, and lendable seats shown as "free". Real server, Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { postJson, startServer, type RunningServer } from '../helpers/server';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page; // on /config
let viewer: Page; // on the dashboard, never reloaded
const pageErrors: string[] = [];

const card = (page: Page, tool: string): Locator => page.locator(`[data-testid="pool-card"][data-tool="${tool}"]`);
const budget = (page: Page, tool: string): Locator => page.locator(`[data-testid="budget-form"][data-tool="${tool}"]`);
const createForm = (page: Page): Locator => page.getByTestId('create-pool-form');

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await page.goto(`${server.url}${path}`);
  await page.locator('[data-testid="connection"][data-state="live"]').getByText('Live', { exact: true }).waitFor(WAIT);
  return page;
}

async function fillCreate(page: Page, values: Record<string, string>): Promise<void> {
  const form = createForm(page);
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Create pool' }).click();
}

beforeAll(async () => {
  assertClientBuilt();
  server = await startServer();
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

describe('pools from the budgets page', () => {
  it('shows the server refusals under the field', async () => {
    await fillCreate(admin, { 'Tool name': 'Bad Name', 'Total seats': '2', Commit: '1' });
    const form = createForm(admin);
    await expect.poll(() => form.locator('[data-testid="field-error"][data-field="tool"]').innerText(), WAIT).toContain('short identifier');
    await fillCreate(admin, { 'Tool name': 'solver', 'Total seats': '2', Commit: '3' });
    await expect
      .poll(() => form.locator('[data-testid="field-error"][data-field="commit"]').innerText(), WAIT)
      .toContain('commit (3) cannot exceed total (2)');
    await fillCreate(admin, { 'Tool name': 'cad_tool', 'Total seats': '2', Commit: '1' });
    await expect.poll(() => form.locator('[data-testid="field-error"][data-field="tool"]').innerText(), WAIT).toContain('already exists');
  });

  it('creates a pool that appears on an open dashboard without a reload, lendable seats shown as free', async () => {
    await fillCreate(admin, {
      'Tool name': 'solver',
      'Total seats': '4',
      Commit: '1',
      'Max overage': '1',
      'Commit price': '500',
      'Overage price': '50',
    });
    await expect.poll(() => createForm(admin).getByTestId('created').innerText(), WAIT).toContain('Created solver');
    await expect.poll(() => budget(admin, 'solver').count(), WAIT).toBe(1);
    await expect.poll(() => card(viewer, 'solver').getByTestId('borrowed-line').innerText(), WAIT).toMatch(/0 of 4 seats borrowed/);
    await expect.poll(() => card(viewer, 'solver').getByTestId('available').innerText(), WAIT).toBe('2');
    await expect.poll(() => viewer.getByTestId('activity-feed').locator('li').first().innerText(), WAIT).toContain('Pool solver created');
    // Two borrows reach the overage cap: 2 of 4 seats are unborrowed, but none is free to lend.
    for (const user of ['u1', 'u2']) expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'solver', user })).status).toBe(200);
    await expect.poll(() => card(viewer, 'solver').getByTestId('available').innerText(), WAIT).toBe('0');
    await expect.poll(() => card(viewer, 'solver').getAttribute('data-status'), WAIT).toBe('capped');
    await screenshot(viewer, 'pools-created-dashboard.png');
    await screenshot(admin, 'pools-created-config.png');
  });

  it('refuses to retire a pool while seats are held, then retires it and it disappears live', async () => {
    const form = budget(admin, 'solver');
    await form.getByRole('button', { name: 'Retire…' }).click();
    await form.getByRole('button', { name: 'Yes, retire solver' }).click();
    await expect.poll(() => form.getByRole('alert').innerText(), WAIT).toContain('cannot be retired while 2 seat(s) are borrowed');

    const borrows = (await (await fetch(`${server.url}/borrows`)).json()) as { id: string; tool: string }[];
    for (const b of borrows.filter((x) => x.tool === 'solver')) {
      expect((await postJson(`${server.url}/licenses/return`, { id: b.id })).status).toBe(200);
    }
    await expect.poll(() => card(viewer, 'solver').getByTestId('borrowed-line').innerText(), WAIT).toMatch(/0 of 4/);
    await form.getByRole('button', { name: 'Retire…' }).click();
    await expect.poll(() => form.getByTestId('retire-confirm').innerText(), WAIT).toContain('Retire solver?');
    await form.getByRole('button', { name: 'Yes, retire solver' }).click();
    await expect.poll(() => budget(admin, 'solver').count(), WAIT).toBe(0);
    await expect.poll(() => card(viewer, 'solver').count(), WAIT).toBe(0);
    await expect.poll(() => viewer.getByTestId('pool-card').count(), WAIT).toBe(3);
    await expect.poll(() => viewer.getByTestId('activity-feed').locator('li').first().innerText(), WAIT).toContain('Pool solver retired');
    await expect.poll(() => viewer.locator('[data-testid="usage-legend"][data-tool="solver"]').count(), WAIT).toBe(0);
    expect(await viewer.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true)).toBe(true);
    await screenshot(viewer, 'pools-retired-dashboard.png');
  });

  it('threw no errors of its own', () => {
    expect(pageErrors).toEqual([]);
  });
});
