// Every page at a phone's width (390 px) with its tables filled: nothing makes the page
// scroll sideways, the top navigation's links are all reachable (a compact menu, not a row of
// tall pills running off screen), and wide tables fit their cards. At desktop width the
// statement's share column never wraps. Screenshots of each page at both widths go to
// test-output/ (phone-*.png, desktop-*.png).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';
import { ADMIN_TOKEN, DASHBOARD_PAGES, type FilledServer, overflow, startFilledServer } from './ui-fixtures';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 1000 };
const WAIT = { timeout: 15_000 };

let server: FilledServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

async function open(viewport: { width: number; height: number }, path: string, ready: string): Promise<Page> {
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, errors);
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor(WAIT);
  return page;
}

const shotName = (path: string) => (path === '/' ? 'dashboard' : path.slice(1).replace(/\W+/g, '-'));

beforeAll(async () => {
  assertClientBuilt();
  [server, browser] = await Promise.all([startFilledServer(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  expect(errors).toEqual([]);
});

describe('at 390 px (a phone)', () => {
  for (const { path, ready } of [...DASHBOARD_PAGES, { path: '/overview', ready: 'main h1' }]) {
    it(`${path} does not scroll sideways`, async () => {
      const page = await open(PHONE, path, ready);
      await screenshot(page, `phone-${shotName(path)}.png`);
      const o = await overflow(page);
      expect(o.scrollWidth, `${path}: ${o.widest.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
    });
  }

  it('every slide of the deck fits, and its text stays readable', async () => {
    const page = await open(PHONE, '/presentation', '.reveal .slides section');
    await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady());
    const total = await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides(): number } }).Reveal.getTotalSlides());
    for (let i = 0; i < total; i++) {
      const r = await page.evaluate((i) => {
        const Reveal = (window as unknown as { Reveal: { slide(h: number): void; getCurrentSlide(): HTMLElement } }).Reveal;
        Reveal.slide(i);
        const slide = Reveal.getCurrentSlide();
        // The smallest text a reader meets on this slide, as drawn (reveal scales the slide).
        const scale = slide.getBoundingClientRect().width / slide.offsetWidth || 1;
        const sizes = [...slide.querySelectorAll<HTMLElement>('p, li, td, th, code, .pool-name, .pool-state')]
          .filter((e) => !e.closest('aside.notes') && e.getBoundingClientRect().width > 0 && (e.textContent ?? '').trim())
          .map((e) => Number.parseFloat(getComputedStyle(e).fontSize) * scale);
        return {
          heading: slide.querySelector('h1, h2')?.textContent?.trim() ?? '',
          smallest: sizes.length ? Math.min(...sizes) : 99,
          scrollWidth: document.documentElement.scrollWidth,
        };
      }, i);
      await page.waitForTimeout(350); // the fade between slides, before the picture
      await screenshot(page, `phone-deck-${String(i + 1).padStart(2, '0')}.png`);
      expect(r.scrollWidth, `slide ${i + 1} "${r.heading}"`).toBeLessThanOrEqual(PHONE.width);
      expect(r.smallest, `slide ${i + 1} "${r.heading}": smallest text in px`).toBeGreaterThanOrEqual(11);
    }
  }, 120_000);

  it('the top navigation reaches every page through a compact menu, without tall pills', async () => {
    const page = await open(PHONE, '/', '[data-testid="borrows-table"]');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = ['Dashboard', 'Budgets', 'Teams', 'Costs', 'API tokens', 'Slides', 'DevOps overview'];
    const header = await page.locator('header.topbar').boundingBox();
    expect(header!.height, 'the top bar stays one compact row').toBeLessThanOrEqual(64);
    await page.getByRole('button', { name: 'Menu' }).click();
    for (const name of links) {
      const link = nav.getByRole('link', { name, exact: true });
      await link.waitFor({ state: 'visible', ...WAIT });
      const box = (await link.boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(PHONE.width);
      expect(box.height, `${name} is a menu row, not a tall pill`).toBeLessThanOrEqual(48);
    }
    await screenshot(page, 'phone-menu-open.png');
    expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await nav.getByRole('link', { name: 'Costs', exact: true }).click();
    await page.locator('[data-testid="statement-line"]').first().waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('the statement tables and the borrows table fit inside their cards', async () => {
    for (const [path, table, card] of [
      ['/costs', '.statement-lines', '[data-testid="statement"]'],
      ['/', '[data-testid="borrows-table"]', 'section.card'],
    ] as const) {
      const page = await open(PHONE, path, table);
      const fits = await page.locator(table).evaluateAll(
        (tables, card) =>
          tables.map((t) => {
            const box = t.closest(card)!.getBoundingClientRect();
            const own = t.getBoundingClientRect();
            return {
              inside: own.left >= box.left - 1 && own.right <= box.right + 1,
              width: Math.round(own.width),
              card: Math.round(box.width),
            };
          }),
        card,
      );
      for (const f of fits) expect(f, path).toMatchObject({ inside: true });
      // Every column of a statement is still there to read: Overage and Total included.
      if (path === '/costs') {
        for (const label of ['Overage', 'Total']) {
          const cell = page.locator('[data-testid="statement-line"]').first().locator(`[data-label="${label}"]`);
          const box = (await cell.boundingBox())!;
          expect(box.x + box.width, label).toBeLessThanOrEqual(PHONE.width);
        }
      }
    }
  });
});

describe('at desktop width', () => {
  for (const { path, ready } of [...DASHBOARD_PAGES, { path: '/overview', ready: 'main h1' }]) {
    it(`${path} renders (screenshot)`, async () => {
      const page = await open(DESKTOP, path, ready);
      await screenshot(page, `desktop-${shotName(path)}.png`);
      expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(DESKTOP.width);
    });
  }

  it('a share such as "100.0 %" stays on one line', async () => {
    const page = await open(DESKTOP, '/costs', '[data-testid="statement-line"]');
    const shares = await page.locator('[data-testid="statement-line"] td[data-label="Share"]').evaluateAll((cells) =>
      cells.map((c) => ({
        text: c.textContent?.trim(),
        lines: Math.round(c.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(c).lineHeight)),
      })),
    );
    expect(shares.length).toBeGreaterThan(0);
    for (const s of shares) expect(s, String(s.text)).toMatchObject({ lines: 1 });
  });
});
