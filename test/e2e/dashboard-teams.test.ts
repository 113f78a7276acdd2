// The teams page (/shares) in Chromium against a real server: an admin creates a
// team, sets its members and its share of a pool; a refused share shows the server's reason;
// a member's borrow shows up as what the team holds, without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { postJson, startServer, type RunningServer } from '../helpers/server';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser';

const WAIT = { timeout: 15_000 };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const team = (name: string): Locator => page.locator(`[data-testid="team-card"][data-team="${name}"]`);
const sharesForm = (tool: string): Locator => page.locator(`[data-testid="shares-form"][data-tool="${tool}"]`);

beforeAll(async () => {
  assertClientBuilt();
  server = await startServer();
  browser = await launchChromium();
  ({ context, page } = await openLivePage(browser, `${server.url}/`, pageErrors, 1200));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor(WAIT);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('teams page', () => {
  it('is reached from the navigation at /shares and starts empty', async () => {
    expect(new URL(page.url()).pathname).toBe('/shares');
    await expect.poll(() => page.getByTestId('no-teams').innerText(), WAIT).toBe('No teams yet.');
    expect(await page.title()).toBe('Teams — Floatline');
  });

  it('creates a team and sets its members; a refused name shows the server reason', async () => {
    const form = page.getByTestId('create-team-form');
    await form.getByLabel('Team name').fill('Bad Name');
    await form.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => form.locator('[data-testid="field-error"]').innerText(), WAIT).toMatch(/name/i);
    await form.getByLabel('Team name').fill('powertrain');
    await form.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => team('powertrain').count(), WAIT).toBe(1);
    await team('powertrain').getByRole('button', { name: 'Edit members' }).click();
    await team('powertrain').getByLabel('Members (one per line)').fill('alice\nbob, carol');
    await team('powertrain').getByRole('button', { name: 'Save members' }).click();
    await expect.poll(() => team('powertrain').getByTestId('team-members').innerText(), WAIT).toBe('alice, bob, carol');
    // The server holds the same members.
    const teams = (await (await fetch(`${server.url}/teams`)).json()) as { name: string; members: string[] }[];
    expect(teams.find((t) => t.name === 'powertrain')?.members.sort()).toEqual(['alice', 'bob', 'carol']);
  });

  it('sets a pool share and shows the refusal of shares that cannot hold', async () => {
    const form = sharesForm('cad_tool');
    await form.getByLabel('powertrain reserved in cad_tool').fill('6');
    await form.getByRole('button', { name: 'Save shares' }).click();
    await expect.poll(() => form.getByTestId('shares-error').innerText(), WAIT).toMatch(/reserv/i);
    await form.getByLabel('powertrain reserved in cad_tool').fill('2');
    await form.getByLabel('powertrain maximum in cad_tool').fill('3');
    await form.getByRole('button', { name: 'Save shares' }).click();
    await expect.poll(() => form.getByTestId('shares-saved').count(), WAIT).toBe(1);
    await expect.poll(() => form.getByTestId('reserved-sum').innerText(), WAIT).toBe('2 of 5 seats reserved');
    const shares = (await (await fetch(`${server.url}/config/tools/cad_tool/shares`)).json()) as { shares: unknown[] };
    expect(JSON.stringify(shares)).toContain('"reserved":2');
    expect(JSON.stringify(shares)).toContain('"max":3');
  });

  it("shows a member's borrow as what the team holds, live", async () => {
    const holding = team('powertrain').locator('[data-testid="team-holding"][data-tool="cad_tool"]');
    await expect.poll(() => holding.getByTestId('held').innerText(), WAIT).toBe('0');
    const borrow = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'bob' });
    expect(borrow.status).toBe(200);
    await expect.poll(() => holding.getByTestId('held').innerText(), WAIT).toBe('1');
    await screenshot(page, 'teams-page.png');
    expect(pageErrors).toEqual([]);
  });
});
