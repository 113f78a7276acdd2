// GraphiQL at /graphql works in a browser with no internet: everything it loads comes
// from Floatline itself, and a query typed into it returns the pools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { launchChromium, screenshot, watchPageErrors } from '../helpers/browser.ts';

let s: RunningServer;
let browser: Browser;
beforeAll(async () => {
  [s, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

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
    await page
      .getByRole('button', { name: /execute query/i })
      .first()
      .click({ timeout: 30_000 });
    await expect
      .poll(async () => page.locator('.result-window, .graphiql-response').first().innerText(), { timeout: 20_000 })
      .toContain('cad_tool');
    await screenshot(page, 'graphiql.png');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  // The page is a small shell and its scripts are external files, so a strict policy
  // without 'unsafe-inline' or blob: for scripts and workers does not break it.
  it("runs under a Content-Security-Policy of script-src 'self'", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const violations: string[] = [];
    const workers: string[] = [];
    watchPageErrors(page, errors);
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    page.on('worker', (w) => workers.push(w.url()));
    const csp =
      "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";
    await page.route(/\/graphql(\?.*)?$/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': csp } });
    });
    const query = encodeURIComponent('{ pools { tool } }');
    await page.goto(`${s.url}/graphql?query=${query}`);
    await page
      .getByRole('button', { name: /execute query/i })
      .first()
      .click({ timeout: 30_000 });
    await expect
      .poll(async () => page.locator('.result-window, .graphiql-response').first().innerText(), { timeout: 20_000 })
      .toContain('cad_tool');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(workers.length).toBeGreaterThan(0); // Monaco's language workers started
    expect(workers.every((w) => w.startsWith(`${s.url}/graphiql-assets/`))).toBe(true);
  });
});
