// GraphiQL at /graphql works in a browser with no internet: everything it loads comes
// from Floatline itself, and a query typed into it returns the pools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './helpers/server.ts';
import { launchChromium, screenshot, watchPageErrors } from './helpers/browser.ts';

let s: RunningServer;
let browser: Browser;
beforeAll(async () => { [s, browser] = await Promise.all([startServer(), launchChromium()]); });
afterAll(async () => { await browser?.close(); await s?.stop(); });

describe('GraphiQL', () => {
  it('loads only from Floatline and runs a query from the editor', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const foreign: string[] = [];
    watchPageErrors(page, errors);
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['blob:', 'data:'].includes(url.protocol) && url.host !== new URL(s.url).host) foreign.push(r.url());
    });
    const query = encodeURIComponent('{ pools { tool total } }');
    await page.goto(`${s.url}/graphql?query=${query}`);
    await page.getByRole('button', { name: /execute query/i }).first().click({ timeout: 30_000 });
    await expect.poll(async () => page.locator('.result-window, .graphiql-response').first().innerText(), { timeout: 20_000 })
      .toContain('cad_tool');
    await screenshot(page, 'graphiql.png');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
