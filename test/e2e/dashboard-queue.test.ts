// Force-release and the fair queue as people see them: an admin releases a seat
// with a reason from the current-borrows table, and a waiter follows their place in line
// from the borrow panel until the seat is theirs. Real server, two Chromium windows, never
// reloaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { postJson, startServer, type RunningServer } from '../helpers/server';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page; // releases seats, watches the pool cards
let carol: Page; // waits in line from the borrow panel
const pageErrors: string[] = [];

const card = (page: Page, tool: string): Locator => page.locator(`[data-testid="pool-card"][data-tool="${tool}"]`);
const feed = (page: Page): Locator => page.getByTestId('activity-feed');
const rowOf = (page: Page, user: string): Locator => page.locator(`[data-testid="borrow-row"][data-user="${user}"]`);
const position = (page: Page): Locator => page.getByTestId('ticket-position');

async function open(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await page.goto(server.url);
  await page.locator('[data-testid="connection"][data-state="live"]').getByText('Live', { exact: true }).waitFor(WAIT);
  await page.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });
  return page;
}
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true);

const borrow = (body: Record<string, unknown>) => postJson(`${server.url}/licenses/borrow`, body);
const giveBack = (id: string) => postJson(`${server.url}/licenses/return`, { id });
const borrowsNow = async () =>
  (await (await fetch(`${server.url}/borrows`)).json()) as { id: string; tool: string; user: string; expires_at: string | null }[];
const budgetOf = async (tool: string) => {
  const { tools } = (await (await fetch(`${server.url}/config/budget`)).json()) as {
    tools: { tool: string; lease_seconds: number | null }[];
  };
  return tools.find((t) => t.tool === tool)!;
};

async function waitInLine(page: Page, tool: string, user: string): Promise<void> {
  await page.getByTestId('borrow-tool').selectOption(tool);
  await page.getByTestId('borrow-user').fill(user);
  await page.getByTestId('borrow-wait').check();
  await page.getByRole('button', { name: 'Borrow', exact: true }).click();
}

beforeAll(async () => {
  assertClientBuilt();
  server = await startServer();
  browser = await launchChromium();
  admin = await open();
  carol = await open();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('release a seat from the table', () => {
  it('asks for a reason, then the row leaves every window and the feed says why', async () => {
    const held = await borrow({ tool: 'cad_tool', user: 'mallory', host: 'ws-7' });
    expect(held.status).toBe(200);
    const row = rowOf(admin, 'mallory');
    await expect.poll(() => row.getByTestId('borrow-host').innerText(), WAIT).toBe('ws-7');
    await expect.poll(() => rowOf(carol, 'mallory').count(), WAIT).toBe(1);

    await row.getByRole('button', { name: "Release mallory's cad_tool seat" }).click();
    const form = admin.locator(`[data-testid="release-row"][data-borrow-id="${held.json.id}"]`);
    const reason = form.getByLabel("Reason for releasing mallory's cad_tool seat");
    expect(await reason.getAttribute('maxlength')).toBe('200');
    // No reason: refused next to the row, the seat stays.
    await form.getByRole('button', { name: 'Release seat' }).click();
    await expect.poll(() => form.getByTestId('release-error').innerText(), WAIT).toContain('Say why the seat is released');
    expect((await borrowsNow()).some((b) => b.id === held.json.id)).toBe(true);

    await reason.fill('job hung since Friday');
    await screenshot(admin, 'queue-release-form.png');
    await form.getByRole('button', { name: 'Release seat' }).click();
    for (const page of [admin, carol]) {
      await expect.poll(() => rowOf(page, 'mallory').count(), WAIT).toBe(0);
      await expect
        .poll(() => feed(page).locator('li').first().innerText(), WAIT)
        .toContain("mallory's seat of cad_tool was released by an admin — job hung since Friday");
      await expect.poll(() => card(page, 'cad_tool').getByTestId('borrowed-line').innerText(), WAIT).toContain('0 of 5');
    }
    expect(await form.count()).toBe(0);
    expect((await borrowsNow()).some((b) => b.id === held.json.id)).toBe(false);
    await screenshot(admin, 'queue-released.png');
  });
});

describe('wait in line from the borrow panel', () => {
  it("sets the new pool's default lease on the budgets page, with the server's words for a bad one", async () => {
    const created = await postJson(`${server.url}/config/tools`, {
      tool: 'onesie',
      total: 1,
      commit: 1,
      max_overage: 0,
      commit_price: 100,
      overage_price_per_license: 10,
    });
    expect(created.status).toBe(201);
    // In-app navigation: the page is never reloaded.
    await admin.getByRole('link', { name: 'Budgets' }).click();
    const form = admin.locator('[data-testid="budget-form"][data-tool="onesie"]');
    const lease = form.getByLabel('Default lease (s)');
    await expect.poll(() => lease.inputValue(), WAIT).toBe('');
    await lease.fill('3');
    await form.getByRole('button', { name: 'Save onesie' }).click();
    await expect
      .poll(() => form.locator('[data-testid="field-error"][data-field="leaseSeconds"]').innerText(), WAIT)
      .toBe('A lease must be a whole number of seconds from 5 to 86400');
    expect((await budgetOf('onesie')).lease_seconds).toBeNull();
    // 6 s: the tickets and seats of this pool lapse within seconds unless the page keeps them.
    await lease.fill('6');
    await form.getByRole('button', { name: 'Save onesie' }).click();
    await expect.poll(() => form.getByTestId('saved').count(), WAIT).toBe(1);
    expect((await budgetOf('onesie')).lease_seconds).toBe(6);
    await screenshot(admin, 'queue-budget-lease.png');
    await admin.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => card(admin, 'onesie').count(), WAIT).toBe(1);
  });

  it('shows the place live as the people ahead get their seat, then the grant, and keeps the seat while open', async () => {
    const alice = await borrow({ tool: 'onesie', user: 'alice' });
    expect(alice.status).toBe(200);
    const bob = await borrow({ tool: 'onesie', user: 'bob', queue: true, lease_seconds: 120 });
    expect(bob).toMatchObject({ status: 202, json: { position: 1 } });

    await expect.poll(() => card(carol, 'onesie').getByTestId('available').innerText(), WAIT).toBe('0');
    await waitInLine(carol, 'onesie', 'carol');
    await expect.poll(() => position(carol).innerText(), WAIT).toBe('You are #2 in line for onesie');
    // The ticket's lease (the pool's 6 s) is the one the granted seat will keep.
    expect(await carol.getByTestId('my-ticket').innerText()).toContain('lease 6 s');
    // Everyone's card shows the line, head first.
    await expect.poll(() => card(admin, 'onesie').getByTestId('queued').innerText(), WAIT).toBe('2');
    await expect
      .poll(() => card(admin, 'onesie').getByTestId('waiter').allInnerTexts(), WAIT)
      .toEqual([expect.stringMatching(/^bob\s+since /), expect.stringMatching(/^carol\s+since /)]);
    await screenshot(carol, 'queue-waiting-2.png');

    // Alice returns: bob, ahead, is handed the seat; carol moves up without a reload.
    expect((await giveBack(alice.json.id)).status).toBe(200);
    await expect.poll(() => position(carol).innerText(), WAIT).toBe('You are #1 in line for onesie');
    await expect.poll(() => card(admin, 'onesie').getByTestId('queued').innerText(), WAIT).toBe('1');
    await expect.poll(() => card(admin, 'onesie').getByTestId('waiter').allInnerTexts(), WAIT).toEqual([expect.stringMatching(/^carol/)]);
    await expect.poll(() => feed(admin).innerText(), WAIT).toContain('bob was handed an onesie seat from the line');
    await expect.poll(() => rowOf(admin, 'bob').count(), WAIT).toBe(1);
    await screenshot(carol, 'queue-waiting-1.png');

    // Bob returns: the seat is carol's, in her borrows and everyone's table.
    const bobsSeat = (await borrowsNow()).find((b) => b.user === 'bob' && b.tool === 'onesie');
    expect(bobsSeat).toBeDefined();
    expect((await giveBack(bobsSeat!.id)).status).toBe(200);
    await expect
      .poll(() => carol.getByTestId('borrow-outcome').innerText(), WAIT)
      .toBe('Your turn: you were handed an onesie seat from the line (lease 6 s, renewed while this page is open).');
    expect(await position(carol).count()).toBe(0);
    await expect.poll(() => carol.locator('[data-testid="my-borrow"][data-tool="onesie"]').count(), WAIT).toBe(1);
    for (const page of [admin, carol]) {
      await expect.poll(() => rowOf(page, 'carol').getByTestId('borrow-lease').innerText(), WAIT).toMatch(/^in [1-6] s$/);
      await expect.poll(() => card(page, 'onesie').getByTestId('pool-queue').count(), WAIT).toBe(0);
      await expect.poll(() => card(page, 'onesie').getByTestId('borrowed-line').innerText(), WAIT).toContain('1 of 1');
    }
    const seat = (await borrowsNow()).find((b) => b.user === 'carol' && b.tool === 'onesie');
    expect(seat).toMatchObject({ expires_at: expect.any(String) });
    await screenshot(carol, 'queue-granted.png');

    // The page renews the seat's lease: a heartbeat accepted after the first deadline passed
    // moves it at least a lease beyond that deadline, and the seat is still carol's.
    const firstDeadline = Date.parse(seat!.expires_at!);
    // Read without waiting for the row: a seat that lapsed has no row, and the poll then fails in time.
    const shownDeadline = async () => {
      const shown = await rowOf(carol, 'carol')
        .locator('[data-testid="borrow-lease"] time')
        .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
      return shown.length === 1 ? Date.parse(shown[0] ?? '') : Number.NaN;
    };
    await expect.poll(shownDeadline, { timeout: 20_000 }).toBeGreaterThanOrEqual(firstDeadline + 6000);
    expect((await borrowsNow()).filter((b) => b.tool === 'onesie').map((b) => b.user)).toEqual(['carol']);
    expect(await feed(admin).innerText()).not.toContain("carol's lease on onesie expired");
    expect(await notReloaded(carol)).toBe(true);
    expect(await notReloaded(admin)).toBe(true);
  });

  it('leaves the line with one click', async () => {
    await waitInLine(carol, 'onesie', 'carol');
    await expect.poll(() => position(carol).innerText(), WAIT).toBe('You are #1 in line for onesie');
    await expect.poll(() => card(admin, 'onesie').getByTestId('queued').innerText(), WAIT).toBe('1');
    await carol.getByTestId('my-ticket').getByRole('button', { name: 'Leave the line' }).click();
    await expect.poll(() => carol.getByTestId('borrow-outcome').innerText(), WAIT).toBe('You left the line for onesie.');
    expect(await position(carol).count()).toBe(0);
    await expect.poll(() => card(admin, 'onesie').getByTestId('pool-queue').count(), WAIT).toBe(0);
    await expect.poll(() => feed(admin).locator('li').first().innerText(), WAIT).toContain('carol left the line for onesie');
  });

  it('threw no errors of its own', () => {
    expect(pageErrors).toEqual([]);
  });
});
