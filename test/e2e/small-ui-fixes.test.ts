// Small things a newcomer tripped over, each as they see it in Chromium (open mode):
// a negative reservation on /shares is refused with the field named — by the page and by the
// server — instead of silently saving 0 and saying "Saved"; "My borrows" follows the name as it
// is typed, before this page ever borrowed; and no "a analysis" anywhere a tool name follows
// an article (the borrow outcome, being handed a seat from the line, the activity feed).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser';
import { gql, postJson, putJson, type RunningServer, startServer } from '../helpers/server';

const WAIT = { timeout: 20_000 };
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(path: string): Promise<Page> {
  const { context, page } = await openLivePage(browser, `${server.url}${path}`, pageErrors);
  contexts.push(context);
  return page;
}

beforeAll(async () => {
  assertClientBuilt();
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  expect((await postJson(`${server.url}/teams`, { name: 'chassis' })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  expect(pageErrors).toEqual([]);
});

describe('small things, fixed', () => {
  it('reserved = -1 is refused on /shares with the field named, and nothing is saved', async () => {
    const page = await open('/shares');
    const form = page.locator('[data-testid="shares-form"][data-tool="cad_tool"]');
    const reserved = form.getByLabel('chassis reserved in cad_tool');
    await reserved.fill('-1');
    await form.getByRole('button', { name: 'Save shares' }).click();
    const error = form.getByTestId('shares-error');
    await error.waitFor(WAIT);
    expect(await error.innerText()).toMatch(/Reserved for chassis must be a whole number, 0 or more/);
    expect(await form.getByTestId('shares-saved').count()).toBe(0);
    expect(await reserved.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'shares-negative-refused.png');
    const stored = await (await fetch(`${server.url}/config/tools/cad_tool/shares`)).json();
    expect(stored).toEqual({ tool: 'cad_tool', shares: [] });

    // The server refuses it too, naming the field, on both doors.
    const rest = await putJson(`${server.url}/config/tools/cad_tool/shares`, { shares: [{ team: 'chassis', reserved: -1 }] });
    expect(rest.status).toBe(422);
    expect(rest.text).toMatch(/reserved/);
    const q = await gql(
      server.url,
      'mutation { setPoolShares(tool: "cad_tool", shares: [{ team: "chassis", reserved: -1 }]) { __typename ... on InvalidBudget { field message } ... on InvalidInput { field message } } }',
    );
    expect(q.data?.setPoolShares?.__typename ?? q.errors?.[0]?.message).toMatch(/Invalid|reserved/);
    if (q.data?.setPoolShares) expect(`${q.data.setPoolShares.field} ${q.data.setPoolShares.message}`).toMatch(/reserved/);
    expect(await (await fetch(`${server.url}/config/tools/cad_tool/shares`)).json()).toEqual({ tool: 'cad_tool', shares: [] });
  });

  it('"My borrows" follows the typed name before this page borrowed anything', async () => {
    const held = await postJson(`${server.url}/licenses/borrow`, { tool: 'simulation', user: 'ada' });
    expect(held.status).toBe(200);
    const page = await open('/');
    const mine = page.getByTestId('my-borrows');
    expect(await mine.innerText()).not.toContain('as ada');
    await page.getByTestId('borrow-user').pressSequentially('ada');
    await expect.poll(() => mine.locator('h3').innerText(), WAIT).toContain('as ada');
    await expect.poll(() => mine.getByTestId('my-borrow').count(), WAIT).toBe(1);
    expect(await mine.getByTestId('my-borrow').getAttribute('data-tool')).toBe('simulation');
    // Trailing space or not, it is the same person.
    await page.getByTestId('borrow-user').press('Space');
    await expect.poll(() => mine.getByTestId('my-borrow').count(), WAIT).toBe(1);
    await postJson(`${server.url}/licenses/return`, { id: held.json.id });
  });

  it('no "a analysis": the borrow outcome and the line read naturally', async () => {
    const page = await open('/');
    await page.getByTestId('borrow-user').fill('ivy');
    await page.getByTestId('borrow-tool').selectOption('analysis');
    await page.getByRole('button', { name: 'Borrow', exact: true }).click();
    await expect.poll(() => page.getByTestId('borrow-outcome').innerText(), WAIT).toBe('You borrowed an analysis seat.');
    // Fill analysis, wait in line, and be handed the seat someone returns.
    const other = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'otto' });
    expect(other.status).toBe(200);
    await page.getByTestId('borrow-wait').check();
    await page.getByRole('button', { name: 'Borrow', exact: true }).click();
    await page.getByTestId('my-ticket').waitFor(WAIT);
    expect((await postJson(`${server.url}/licenses/return`, { id: other.json.id })).status).toBe(200);
    await expect
      .poll(() => page.getByTestId('borrow-outcome').innerText(), WAIT)
      .toContain('you were handed an analysis seat from the line');
    await expect.poll(() => page.locator('body').innerText(), WAIT).toContain('ivy was handed an analysis seat from the line');
    expect(await page.locator('body').innerText()).not.toMatch(/\ba (analysis|[aeiou]\w*) seat/i);
  });
});
