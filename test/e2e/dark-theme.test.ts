// The dark theme follows the system setting (prefers-color-scheme), emulated in Chromium:
// with "dark" every page — the dashboard's with their tables, charts and cards filled, the
// DevOps overview and the deck with its live slide — has a dark background and text that
// keeps its contrast (WCAG AA: 4.5:1, 3:1 for large text) against what is behind it,
// SVG chart labels included; with "light" the same pages stay light. Screenshots of each in
// dark go to test-output/dark-*.png.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser';
import { ADMIN_TOKEN, DASHBOARD_PAGES, type FilledServer, startFilledServer } from './ui-fixtures';

const WAIT = { timeout: 20_000 };
let server: FilledServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

async function open(scheme: 'dark' | 'light', path: string, ready: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    colorScheme: scheme,
    extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, errors);
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor(WAIT);
  return page;
}

interface Reading {
  background: number;
  poor: string[];
  checked: number;
}

/** The page's background luminance, and every visible text whose contrast is below AA. */
function readContrast(page: Page, within = 'body'): Promise<Reading> {
  return page.evaluate((within) => {
    const parse = (c: string) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = '1'] = m[1]!.split(/[ ,/]+/).filter(Boolean);
      return { r: Number(r), g: Number(g), b: Number(b), a: Number(a) };
    };
    const lum = (c: { r: number; g: number; b: number }) => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
    };
    /** The colour behind an element: the first opaque-enough background up the tree. */
    const behind = (el: Element | null): { r: number; g: number; b: number } => {
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg.a > 0.5) return bg;
      }
      return parse(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255 };
    };
    const root = document.querySelector(within)!;
    const poor: string[] = [];
    let checked = 0;
    for (const el of root.querySelectorAll<HTMLElement | SVGElement>('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
      if (!own) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (
        box.width === 0 ||
        box.height === 0 ||
        style.visibility === 'hidden' ||
        el.closest('.visually-hidden, aside.notes, [disabled], [aria-hidden="true"]')
      )
        continue;
      if (Number(style.opacity) < 0.5) continue;
      const isSvg = el instanceof SVGElement;
      const fg = parse(isSvg ? style.fill : style.color);
      if (!fg) continue;
      const bg = behind(isSvg ? el.closest('svg')!.parentElement : el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      checked++;
      if (ratio < (large ? 3 : 4.5))
        poor.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`,
        );
    }
    const body = parse(getComputedStyle(document.body).backgroundColor);
    const background = body && body.a > 0 ? lum(body) : lum(behind(document.documentElement));
    return { background, poor: [...new Set(poor)].slice(0, 15), checked };
  }, within);
}

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

const shotName = (path: string) => (path === '/' ? 'dashboard' : path.slice(1).replace(/\W+/g, '-'));

describe('prefers-color-scheme: dark', () => {
  for (const { path, ready } of [...DASHBOARD_PAGES, { path: '/overview', ready: 'main h1' }]) {
    it(`${path} is dark and every text reads`, async () => {
      const page = await open('dark', path, ready);
      await screenshot(page, `dark-${shotName(path)}.png`);
      const r = await readContrast(page);
      expect(r.background, 'background luminance').toBeLessThan(0.05);
      expect(r.checked).toBeGreaterThan(10);
      expect(r.poor, `${path}: text below AA contrast`).toEqual([]);
    });
  }

  it('the dashboard on a phone with its menu open is dark and reads', async () => {
    const page = await open('dark', '/costs', '[data-testid="statement-line"]', 390);
    await page.getByRole('button', { name: 'Menu' }).click();
    await screenshot(page, 'dark-phone-costs.png');
    const r = await readContrast(page);
    expect(r.background).toBeLessThan(0.05);
    expect(r.poor).toEqual([]);
  });

  it('the deck is dark: the title, the picture and the live slides read', async () => {
    const page = await open('dark', '/presentation', '.reveal .slides section');
    await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady());
    for (const id of ['title', 'today', 'line', 'live']) {
      await page.evaluate((id) => {
        const R = (window as unknown as { Reveal: { getIndices(s?: HTMLElement): { h: number }; slide(h: number): void } }).Reveal;
        R.slide(R.getIndices(document.getElementById(id) ?? undefined).h);
      }, id);
      await page.waitForFunction((id) => document.querySelector('.reveal .slides > section.present')?.id === id, id);
      if (id === 'line' || id === 'live') await page.locator(`#${id} [data-live-state="live"]`).waitFor(WAIT);
      await page.waitForTimeout(400); // the fade between slides, before reading colours
      await screenshot(page, `dark-deck-${id}.png`);
      const r = await readContrast(page, '.reveal .slides > section.present');
      expect(r.background, id).toBeLessThan(0.05);
      expect(r.poor, `deck slide ${id}`).toEqual([]);
    }
  });
});

describe('prefers-color-scheme: light', () => {
  for (const [path, ready] of [
    ['/costs', '[data-testid="statement-line"]'],
    ['/overview', 'main h1'],
    ['/presentation', '.reveal .slides section'],
  ] as const) {
    it(`${path} stays light`, async () => {
      const page = await open('light', path, ready);
      const r = await readContrast(page);
      expect(r.background).toBeGreaterThan(0.7);
    });
  }
});
