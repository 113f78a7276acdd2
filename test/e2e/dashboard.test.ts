// The live dashboard, seen through two real browser windows against a real server.
// Each step builds on the previous one's state (seed: cad_tool T5 C4 O1, simulation T3 C2 O1,
// analysis T2 C1 O1), like two people using Floatline side by side.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { gql, postJson, startServer, type RunningServer } from '../helpers/server';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let alice: Page; // borrows through the page
let viewer: Page; // only watches
const pageErrors: string[] = [];

const card = (page: Page, tool: string): Locator => page.locator(`[data-testid="pool-card"][data-tool="${tool}"]`);
const feed = (page: Page): Locator => page.getByTestId('activity-feed');
const connection = (page: Page): Locator => page.getByTestId('connection');

async function openDashboard(path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await page.goto(`${server.url}${path}`);
  await waitLive(page);
  return page;
}

async function waitLive(page: Page, timeout = WAIT.timeout): Promise<void> {
  // Playwright's own wait: this also runs in beforeAll, where expect.poll is not allowed.
  await page.locator('[data-testid="connection"][data-state="live"]').getByText('Live', { exact: true }).waitFor({ timeout });
}

/** Marks the document so a later check can prove the page was never reloaded. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });
}
async function wasNotReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true);
}

async function borrowInPage(page: Page, tool: string, user: string): Promise<void> {
  await page.getByTestId('borrow-tool').selectOption(tool);
  await page.getByTestId('borrow-user').fill(user);
  await page.getByRole('button', { name: 'Borrow', exact: true }).click();
}

beforeAll(async () => {
  assertClientBuilt();
  server = await startServer();
  browser = await launchChromium();
  alice = await openDashboard();
  viewer = await openDashboard();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('live dashboard', () => {
  it('shows every seeded pool with seats and costs', async () => {
    await expect
      .poll(() => card(viewer, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT)
      .toMatch(/0 of 5 seats borrowed · commit 4 · max overage 1/);
    await expect.poll(() => viewer.getByTestId('pool-card').count(), WAIT).toBe(3);
    await expect.poll(() => viewer.getByTestId('grand-total-value').innerText(), WAIT).toContain('3,000');
  });

  it('links to the slide deck and serves /config as a real path', async () => {
    expect(await viewer.getByRole('link', { name: 'Slides' }).getAttribute('href')).toBe('/presentation');
    const config = await openDashboard('/config');
    await expect.poll(() => config.locator('h1').innerText(), WAIT).toBe('Budgets');
    await expect.poll(() => config.getByTestId('budget-form').count(), WAIT).toBe(3);
    await config.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => config.locator('h1').innerText(), WAIT).toBe('License pools');
    await config.goBack();
    await expect.poll(() => config.locator('h1').innerText(), WAIT).toBe('Budgets');
    await config.context().close();
  });

  it('a borrow in one window changes the other window without a reload', async () => {
    await markNoReload(viewer);
    await borrowInPage(alice, 'cad_tool', 'alice');
    await expect.poll(() => alice.getByTestId('borrow-outcome').innerText(), WAIT).toContain('You borrowed a cad_tool seat');
    await expect.poll(() => card(viewer, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT).toContain('1 of 5');
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toContain('alice borrowed cad_tool');
    expect(await wasNotReloaded(viewer)).toBe(true);
  });

  it('borrows made with plain HTTP and GraphQL reach both windows', async () => {
    const rest = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'carol-curl' });
    expect(rest.status).toBe(200);
    const viaGraphql = await gql(server.url, 'mutation { borrowLicense(tool: "simulation", user: "dave-gql") { __typename } }');
    expect(viaGraphql.data?.borrowLicense.__typename).toBe('Borrow');
    for (const page of [alice, viewer]) {
      await expect.poll(() => card(page, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT).toContain('2 of 5');
      await expect.poll(() => card(page, 'simulation').getByTestId('borrowed-line').innerText(), WAIT).toContain('1 of 3');
      await expect.poll(() => feed(page).innerText(), WAIT).toContain('carol-curl borrowed cad_tool');
      await expect.poll(() => feed(page).innerText(), WAIT).toContain('dave-gql borrowed simulation');
      await expect.poll(() => page.getByTestId('borrows-table').innerText(), WAIT).toContain('carol-curl');
    }
    expect(await wasNotReloaded(viewer)).toBe(true);
  });

  it('shows the host and a lease countdown, and drops the row when the lease expires', async () => {
    const leased = await postJson(`${server.url}/licenses/borrow`, {
      tool: 'analysis',
      user: 'erin-lease',
      host: 'ws-42',
      lease_seconds: 5,
    });
    expect(leased.status).toBe(200);
    const row = viewer.getByTestId('borrows-table').locator('tr', { hasText: 'erin-lease' });
    await expect.poll(() => row.getByTestId('borrow-host').innerText(), WAIT).toBe('ws-42');
    await expect.poll(() => row.getByTestId('borrow-lease').innerText(), WAIT).toMatch(/^(in [1-5] s|due now)$/);
    const plain = viewer.getByTestId('borrows-table').locator('tr', { hasText: 'carol-curl' });
    expect(await plain.getByTestId('borrow-lease').innerText()).toBe('no lease');
    await expect.poll(() => feed(viewer).innerText(), { timeout: 10_000 }).toContain("erin-lease's lease on analysis expired");
    await expect.poll(() => row.count(), WAIT).toBe(0);
    await expect.poll(() => card(viewer, 'analysis').getByTestId('borrowed-line').innerText(), WAIT).toContain('0 of 2');
  });

  it('returns a seat with one click from My borrows', async () => {
    const mine = alice.getByTestId('my-borrow');
    await expect.poll(() => mine.count(), WAIT).toBe(1);
    await mine
      .first()
      .getByRole('button', { name: /Return/ })
      .click();
    await expect.poll(() => mine.count(), WAIT).toBe(0);
    await expect.poll(() => alice.getByTestId('my-borrows').innerText(), WAIT).toContain('You hold no seats');
    await expect.poll(() => card(viewer, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT).toContain('1 of 5');
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toContain('alice returned cad_tool');
  });

  it('borrows and returns with the keyboard alone', async () => {
    await alice.getByTestId('borrow-tool').focus();
    await alice.keyboard.press('End'); // last tool in the list: simulation
    await alice.keyboard.press('Tab');
    await alice.keyboard.press('ControlOrMeta+a');
    await alice.keyboard.type('alice');
    await alice.keyboard.press('Enter');
    const mine = alice.getByTestId('my-borrow');
    await expect.poll(() => mine.count(), WAIT).toBe(1);
    expect(await mine.first().getAttribute('data-tool')).toBe('simulation');
    await mine
      .first()
      .getByRole('button', { name: /Return/ })
      .focus();
    await alice.keyboard.press('Enter');
    await expect.poll(() => mine.count(), WAIT).toBe(0);
  });

  it('remembers the user name across a reload', async () => {
    await alice.reload();
    await waitLive(alice);
    await expect.poll(() => alice.getByTestId('borrow-user').inputValue(), WAIT).toBe('alice');
  });

  it('says in words why a borrow was denied', async () => {
    for (const user of ['erin', 'frank']) {
      expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user })).status).toBe(200);
    }
    await expect.poll(() => card(alice, 'analysis').getByTestId('borrowed-line').innerText(), WAIT).toContain('2 of 2');
    await borrowInPage(alice, 'analysis', 'alice');
    const outcome = alice.getByTestId('borrow-outcome');
    await expect.poll(() => outcome.innerText(), WAIT).toContain('Pool exhausted');
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toMatch(/alice was refused analysis.*pool exhausted/);
  });

  it('never renders a user name as HTML', async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><b>mallory</b>';
    expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'simulation', user: hostile })).status).toBe(200);
    await expect.poll(() => viewer.getByTestId('borrows-table').innerText(), WAIT).toContain(hostile);
    expect(await viewer.locator('[data-testid="borrows-table"] img, [data-testid="activity-feed"] img').count()).toBe(0);
    expect(await viewer.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });
});

describe('budget configuration', () => {
  const budget = (page: Page, tool: string): Locator => page.locator(`[data-testid="budget-form"][data-tool="${tool}"]`);

  it('a saved change shows up on the other dashboard', async () => {
    await markNoReload(alice);
    await alice.getByRole('link', { name: 'Budgets' }).click();
    await expect.poll(() => new URL(alice.url()).pathname, WAIT).toBe('/config');
    const form = budget(alice, 'analysis');
    await form.getByLabel('Total seats').fill('4');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(() => form.getByTestId('saved').count(), WAIT).toBe(1);
    await expect.poll(() => card(viewer, 'analysis').getByTestId('borrowed-line').innerText(), WAIT).toContain('2 of 4');
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toContain('Budget for analysis changed');
    expect(await wasNotReloaded(alice)).toBe(true);
  });

  it('an open config page follows a change saved elsewhere', async () => {
    const put = await fetch(`${server.url}/config/budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cad_tool', total: 5, commit: 4, max_overage: 1, commit_price: 1000, overage_price_per_license: 150 }),
    });
    expect(put.status).toBe(200);
    await expect.poll(() => budget(alice, 'cad_tool').getByLabel('Overage price').inputValue(), WAIT).toBe('150');
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toContain('Budget for cad_tool changed');
  });

  it('a borrow beyond the overage allowance says so', async () => {
    // analysis is now T4 C1 O1 with 2 borrowed: seats are free but the overage allowance is used up.
    await borrowInPage(viewer, 'analysis', 'victor');
    await expect.poll(() => viewer.getByTestId('borrow-outcome').innerText(), WAIT).toContain('Overage allowance used up');
  });

  it("shows the server's validation errors next to the field", async () => {
    const form = budget(alice, 'analysis');
    await form.getByLabel('Total seats').fill('1');
    await form.getByRole('button', { name: /^Save/ }).click();
    const totalError = form.locator('[data-testid="field-error"][data-field="total"]');
    await expect.poll(() => totalError.innerText(), WAIT).toContain('cannot be reduced below the 2 seats borrowed');

    await form.getByLabel('Total seats').fill('4');
    await form.getByLabel('Commit', { exact: true }).fill('-1');
    await form.getByRole('button', { name: /^Save/ }).click();
    const commitError = form.locator('[data-testid="field-error"][data-field="commit"]');
    await expect.poll(() => commitError.innerText(), WAIT).toContain('commit must be a whole number');
    expect(await form.getByLabel('Commit', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => card(viewer, 'analysis').getByTestId('borrowed-line').innerText(), WAIT).toContain('commit 1');
  });

  it('extends the usage chart live with every change', async () => {
    const current = (tool: string) =>
      viewer.locator(`[data-testid="usage-legend"][data-tool="${tool}"] [data-testid="usage-current"]`).innerText();
    await expect.poll(() => current('cad_tool'), WAIT).toBe('1');
    await expect.poll(() => current('simulation'), WAIT).toBe('2');
    await expect.poll(() => current('analysis'), WAIT).toBe('2');
    await expect.poll(() => viewer.getByTestId('usage-chart').locator('path.series').count(), WAIT).toBe(3);
  });

  it('writes screenshots of the dashboard and the config page', async () => {
    const files = [await screenshot(viewer, 'dashboard.png'), await screenshot(alice, 'config.png')];
    for (const file of files) expect(statSync(file).size).toBeGreaterThan(20_000);
  });
});

describe('resilience', () => {
  it('reconnects after the server restarts and shows the current state', async () => {
    const { port, dbPath } = server;
    await server.stop();
    await expect.poll(() => connection(viewer).getAttribute('data-state'), WAIT).toBe('down');
    expect(await connection(viewer).innerText()).toMatch(/Offline/);
    await expect.poll(() => viewer.getByTestId('offline-banner').count(), WAIT).toBe(1);
    server = await startServer({ port, dbPath });
    // Made while the page may still be waiting to retry: the reload after reconnecting shows it.
    expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'after-restart' })).status).toBe(200);
    await waitLive(viewer, 30_000);
    expect(await viewer.getByTestId('offline-banner').count()).toBe(0);
    await expect.poll(() => card(viewer, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT).toContain('2 of 5');
    await expect.poll(() => viewer.getByTestId('borrows-table').innerText(), WAIT).toContain('after-restart');
    // Still live afterwards, not only freshly loaded.
    expect((await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'live-again' })).status).toBe(200);
    await expect.poll(() => feed(viewer).locator('li').first().innerText(), WAIT).toContain('live-again borrowed cad_tool');
  });

  it('reports an uncaught error and an unhandled rejection to the server log', async () => {
    await viewer.evaluate(() => {
      setTimeout(() => {
        throw new Error('dashboard test boom');
      }, 0);
    });
    const thrown = await server.waitForLog((l) => l.event === 'frontend_error' && String(l.error_message).includes('dashboard test boom'));
    expect(thrown.level).toBe('error');
    expect(String(thrown.url)).toContain(server.url);
    await viewer.evaluate(() => {
      void Promise.reject(new Error('dashboard test rejection'));
    });
    await server.waitForLog((l) => l.event === 'frontend_error' && String(l.error_message).includes('dashboard test rejection'));
  });

  it('reports an error thrown while the page is still starting (before it knows who is signed in)', async () => {
    const page = await browser.newPage();
    // Hold the page's first question to the server, so its start-up is not over yet.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked!: () => void;
    const askedMe = new Promise<void>((r) => {
      asked = r;
    });
    await page.route('**/auth/me', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    try {
      await page.goto(server.url, { waitUntil: 'domcontentloaded' });
      await askedMe;
      await page.evaluate(() => {
        setTimeout(() => {
          throw new Error('dashboard test early boom');
        }, 0);
      });
      release();
      await server.waitForLog((l) => l.event === 'frontend_error' && String(l.error_message).includes('dashboard test early boom'));
    } finally {
      release();
      await page.close();
    }
  });

  it('threw no errors of its own', () => {
    expect(pageErrors.filter((m) => !m.includes('dashboard test'))).toEqual([]);
  });
});
