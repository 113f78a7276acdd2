// AUTH_MODE=required as a person meets it in Chromium, against a real identity provider
// (oidc-provider): the sign-in card is a padded card, not text against its border; the deck's
// live slide signed out says sign-in is needed and links to it (instead of "reconnecting"
// forever), and after signing in through that link it is live and follows a borrow; a plain
// user sees no admin-only "Release" button, an admin does and releases a seat with a reason.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';
import { freePort, startIssuer, type TestIssuer } from '../helpers/oidc';
import { postJson, type RunningServer, startServer } from '../helpers/server';

const WAIT = { timeout: 20_000 };
const ADMIN_TOKEN = 'required-ui-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let server: RunningServer;
let issuer: TestIssuer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  return page;
}

/** At the provider's login form (any password): signs in as `login`, back at Floatline. */
async function loginAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(issuer.issuer), WAIT);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([consent.waitFor(WAIT).then(() => consent.click()), page.waitForURL((u) => u.href.startsWith(server.url), WAIT)]);
  await page.waitForURL((u) => u.href.startsWith(server.url), WAIT);
}

async function signIn(login: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/`);
  await page.getByTestId('sign-in').click();
  await loginAtProvider(page, login);
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor(WAIT);
  return page;
}

beforeAll(async () => {
  assertClientBuilt();
  const port = await freePort();
  issuer = await startIssuer([`http://127.0.0.1:${port}/auth/callback`]);
  [server, browser] = await Promise.all([
    startServer({ port, env: { ...issuer.env(`http://127.0.0.1:${port}`), FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } }),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await issuer?.close();
  expect(pageErrors).toEqual([]);
});

describe('required mode in the browser', () => {
  it('the sign-in card keeps its text off its border, on desktop and on a phone', async () => {
    for (const [viewport, name] of [
      [{ width: 1280, height: 800 }, 'desktop'],
      [{ width: 390, height: 844 }, 'phone'],
    ] as const) {
      const page = await newPage(viewport);
      await page.goto(`${server.url}/`);
      const card = page.getByTestId('sign-in-page');
      await card.waitFor(WAIT);
      const outer = (await card.boundingBox())!;
      for (const part of [card.locator('h1'), card.locator('p'), page.getByTestId('sign-in')]) {
        const box = (await part.boundingBox())!;
        expect(box.x - outer.x, `${name}: space left of the text`).toBeGreaterThanOrEqual(16);
        expect(outer.x + outer.width - (box.x + box.width), `${name}: space right of the text`).toBeGreaterThanOrEqual(16);
      }
      const heading = (await card.locator('h1').boundingBox())!;
      expect(heading.y - outer.y, `${name}: space above the heading`).toBeGreaterThanOrEqual(16);
      await screenshot(page, `required-sign-in-${name}.png`);
    }
  });

  it("the deck's live slide says sign-in is needed, links to it, and is live once signed in", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/presentation#/live`);
    const badge = page.locator('#live [data-live-state]');
    await expect.poll(() => badge.getAttribute('data-live-state'), WAIT).toBe('signed-out');
    expect(await badge.innerText()).toMatch(/sign-in needed/i);
    const note = page.locator('#live [data-live-sign-in]');
    expect(await note.innerText()).toContain('signed-in people only');
    // It stays that way: no "reconnecting" loop behind it.
    await page.waitForTimeout(2500);
    expect(await badge.getAttribute('data-live-state')).toBe('signed-out');
    await screenshot(page, 'required-deck-signed-out.png');

    await note.getByRole('link', { name: 'Sign in' }).click();
    await loginAtProvider(page, 'admin-anna');
    expect(new URL(page.url()).pathname).toBe('/presentation');
    await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady());
    await page.evaluate(() => {
      const R = (window as unknown as { Reveal: { getIndices(s?: HTMLElement): { h: number }; slide(h: number): void } }).Reveal;
      R.slide(R.getIndices(document.getElementById('live') ?? undefined).h);
    });
    await page.locator('#live [data-live-state="live"]').waitFor(WAIT);
    const row = page.locator('#live .live-pools [data-tool="simulation"]');
    await row.waitFor(WAIT);
    const before = Number(await row.getAttribute('data-borrowed'));
    const borrowed = await postJson(`${server.url}/licenses/borrow`, { tool: 'simulation', user: 'deck-viewer' }, { headers: admin });
    expect(borrowed.status, borrowed.text).toBe(200);
    await expect.poll(() => row.getAttribute('data-borrowed'), WAIT).toBe(String(before + 1));
    await screenshot(page, 'required-deck-signed-in.png');
  });

  it('a plain user sees no Release button; an admin sees it and releases a seat with a reason', async () => {
    const held = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'hung-job' }, { headers: admin });
    expect(held.status, held.text).toBe(200);

    const user = await signIn('ursula');
    const row = user.locator(`[data-testid="borrow-row"][data-borrow-id="${held.json.id}"]`);
    await row.waitFor(WAIT);
    expect(await user.getByRole('button', { name: /^Release/ }).count()).toBe(0);
    await screenshot(user, 'required-user-no-release.png');

    const boss = await signIn('admin-anna');
    const adminRow = boss.locator(`[data-testid="borrow-row"][data-borrow-id="${held.json.id}"]`);
    await adminRow.getByRole('button', { name: /^Release/ }).click();
    await boss.getByLabel(/Reason for releasing/).fill('job hung since Friday');
    await boss.getByRole('button', { name: 'Release seat' }).click();
    await expect.poll(() => adminRow.count(), WAIT).toBe(0);
    // The plain user's page follows: the row leaves there too.
    await expect.poll(() => row.count(), WAIT).toBe(0);
  });
});
