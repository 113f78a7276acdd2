// /overview: the DevOps comparison page the original shipped as overview.html, written in
// docs/overview.md and built into dist/overview/. It answers as HTML with the comparison and
// the loop, loads no script, and is reachable by a link from the dashboard and from the deck.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, startServer, type RunningServer } from '../helpers/server.ts';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser.ts';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  assertClientBuilt();
  if (!existsSync(join(ROOT, 'dist/overview/index.html')))
    throw new Error('dist/overview is missing: run `npm run build` (npm test does it for you)');
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/overview', () => {
  it('answers HTML with the comparison and the loop, and no script', async () => {
    const res = await fetch(`${server.url}/overview`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const topic of ['Error resolution', 'Telemetry', 'Ownership', 'Speed', 'Environments', 'Learning']) {
      expect(html).toContain(`<strong>${topic}</strong>`);
    }
    for (const step of ['Commit', 'CI', 'Test', 'Build', 'Deploy', 'Observe']) expect(html).toContain(`<strong>${step}.</strong>`);
    expect(html).toContain('.github/workflows/ci.yml');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = await fetch(`${server.url}/overview/overview.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('is linked from the dashboard and from the deck, and every link on it resolves', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    watchPageErrors(page, errors);
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'DevOps overview' }).click();
    await page.waitForURL(`${server.url}/overview`);
    await expect.poll(() => page.locator('h1').innerText()).toContain('cloud DevOps loop');
    await screenshot(page, 'overview.png');

    // Every same-origin link on the page answers 200 to a browser (GraphiQL wants Accept: text/html).
    const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')!))]);
    expect(hrefs).toEqual(expect.arrayContaining(['/', '/presentation', '/metrics', '/version']));
    for (const href of hrefs)
      expect([href, (await fetch(`${server.url}${href}`, { headers: { accept: 'text/html' } })).status]).toEqual([href, 200]);

    await page.goto(`${server.url}/presentation`);
    await page.locator('section#title a[href="/overview"]').click();
    await page.waitForURL(`${server.url}/overview`);
    await expect.poll(() => page.locator('h1').innerText()).toContain('cloud DevOps loop');
    expect(errors).toEqual([]);
    await page.close();
  });
});
