// The talk at /presentation, driven in Debian's Chromium against a real server: it loads
// cleanly, every slide renders and fits, the keyboard works, the live slide follows a borrow
// made here, the print layout builds, and the queries on the slides name real metrics and
// log events. Needs `npm run build` first (npm test does that).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gql, ROOT, startServer, type RunningServer } from '../helpers/server.ts';
import { launchChromium } from '../helpers/browser.ts';

const OUT = join(ROOT, 'test-output');
const SLIDES_SRC = join(ROOT, 'slides');

declare const Reveal: {
  isReady(): boolean;
  getTotalSlides(): number;
  slide(h: number, v?: number): void;
  getIndices(slide?: HTMLElement): { h: number; v: number };
  getCurrentSlide(): HTMLElement;
  isOverview(): boolean;
  getSlideNotes(slide?: HTMLElement): string | null;
  hasPlugin(id: string): boolean;
};

let server: RunningServer;
let browser: Browser;
let page: Page;
/** Console errors, page errors, failed or off-host requests: each one fails the test it happens in. */
let problems: string[] = [];

async function openDeck(p: Page, path = '/presentation') {
  const res = await p.goto(server.url + path);
  expect(res?.status()).toBe(200);
  await p.waitForFunction(() => Reveal?.isReady());
}

function watch(p: Page) {
  const host = new URL(server.url).host;
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith('http') && u.host !== host) problems.push(`request to another host: ${r.url()}`);
  });
  p.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/slides/index.html'))) {
    throw new Error('dist/slides/index.html is missing: run `npm run build:slides` (npm test builds first)');
  }
  mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  watch(page);
  await openDeck(page);
});

afterEach(() => {
  const seen = problems;
  problems = [];
  expect(seen).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the deck at /presentation', () => {
  it('loads from this server only, with the title slide first', async () => {
    expect(await page.evaluate(() => Reveal.getIndices().h)).toBe(0);
    const title = await page.locator('.reveal .slides > section.present h1').textContent();
    expect(title).toContain('From commit to signal');
    // Assets come from /presentation/..., not from a CDN.
    const assets = await page.evaluate(() =>
      [...document.querySelectorAll('script[src], link[href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href')),
    );
    for (const a of assets) expect(a).toMatch(/^\/presentation\//);
    // A way back to the dashboard.
    expect(await page.locator('.reveal a[href="/"]').count()).toBeGreaterThan(0);
    await page.waitForTimeout(600); // let the fade-in finish before the picture
    await page.screenshot({ path: join(OUT, 'presentation-title.png') });
    expect(statSync(join(OUT, 'presentation-title.png')).size).toBeGreaterThan(10_000);
  });

  it('renders every slide inside the frame, with a heading, a slide number and speaker notes', async () => {
    const total = await page.evaluate(() => Reveal.getTotalSlides());
    expect(total).toBeGreaterThanOrEqual(15);
    for (let i = 0; i < total; i++) {
      const r = await page.evaluate((i) => {
        Reveal.slide(i);
        const s = Reveal.getCurrentSlide();
        const frame = s.getBoundingClientRect();
        const heading = s.querySelector('h1, h2');
        const outside = [...s.querySelectorAll<HTMLElement>('*')]
          .filter((e) => !e.closest('aside.notes'))
          .filter((e) => {
            const b = e.getBoundingClientRect();
            return b.width > 0 && (b.bottom > frame.bottom + 1 || b.right > frame.right + 1);
          })
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').slice(0, 40)}`);
        const clipped = [...s.querySelectorAll<HTMLElement>('pre')]
          .filter((p) => p.scrollWidth > p.clientWidth + 1)
          .map((p) => (p.textContent ?? '').slice(0, 40));
        return {
          visible: frame.width > 100 && frame.height > 100 && getComputedStyle(s).visibility !== 'hidden',
          heading: heading?.textContent?.trim() ?? '',
          outside,
          clipped,
          number: document.querySelector('.reveal .slide-number')?.textContent?.replace(/\s+/g, '') ?? '',
          notes: (Reveal.getSlideNotes() ?? '').trim().length,
        };
      }, i);
      const where = `slide ${i + 1} "${r.heading}"`;
      expect(r.visible, where).toBe(true);
      expect(r.heading.length, `${where} has a heading`).toBeGreaterThan(0);
      expect(r.outside, `${where}: content below or beside the slide`).toEqual([]);
      expect(r.clipped, `${where}: code wider than its box`).toEqual([]);
      expect(r.number, where).toBe(`${i + 1}/${total}`);
      expect(r.notes, `${where} has speaker notes`).toBeGreaterThan(0);
    }
  });

  it('moves between slides with the arrow keys and opens the overview', async () => {
    await page.evaluate(() => Reveal.slide(0));
    const at = () => page.evaluate(() => Reveal.getIndices().h);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Reveal.getIndices().h === 1);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Reveal.getIndices().h === 2);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => Reveal.getIndices().h === 1);
    expect(await at()).toBe(1);
    // Speaker notes (S opens the speaker view) come from reveal's notes plugin.
    expect(await page.evaluate(() => Reveal.hasPlugin('notes'))).toBe(true);
    await page.keyboard.press('o');
    await page.waitForFunction(() => Reveal.isOverview());
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !Reveal.isOverview());
  });

  it('opens the speaker view with the notes of the current slide (S)', async () => {
    await page.evaluate(() => Reveal.slide(2));
    const notes = await page.evaluate(() => Reveal.getSlideNotes() ?? '');
    const [speaker] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    try {
      await expect
        .poll(() => speaker.locator('.speaker-controls-notes').textContent(), { timeout: 15_000 })
        .toContain(
          notes
            .replace(/<[^>]+>/g, '')
            .trim()
            .slice(0, 30),
        );
    } finally {
      await speaker.close();
    }
  });

  it('shows a borrow made elsewhere on the live slide, through the subscription', async () => {
    // Through reveal's API, not the URL hash: after the slides before it the hash may already
    // read #/live, and setting it again fires no hashchange.
    await page.evaluate(() => {
      const { h, v } = Reveal.getIndices(document.getElementById('live') ?? undefined);
      Reveal.slide(h, v);
    });
    await page.waitForFunction(() => Reveal.getCurrentSlide().id === 'live');
    await page.waitForSelector('#live [data-live-state="live"]');
    const row = page.locator('#live .live-pools [data-tool="cad_tool"]');
    await row.waitFor();
    const before = Number(await row.getAttribute('data-borrowed'));
    expect(Number.isInteger(before)).toBe(true);

    const res = await gql(
      server.url,
      `mutation { borrowLicense(tool: "cad_tool", user: "deck-test") { __typename ... on Borrow { id } } }`,
    );
    expect(res.data?.borrowLicense.__typename).toBe('Borrow');

    await page.waitForFunction(
      (n) => document.querySelector('#live .live-pools [data-tool="cad_tool"]')?.getAttribute('data-borrowed') === String(n),
      before + 1,
      { timeout: 15_000 },
    );
    await expect.poll(() => row.locator('.pool-count').textContent()).toContain(`${before + 1} / 5`);
    expect(await row.locator('.seat.taken').count()).toBe(before + 1);
    expect(await page.locator('#live [data-live-last]').textContent()).toContain('cad_tool');
    await page.waitForTimeout(1800); // the row's highlight fades out before the picture
    await page.screenshot({ path: join(OUT, 'presentation-live.png') });
    expect(statSync(join(OUT, 'presentation-live.png')).size).toBeGreaterThan(10_000);
  });

  it('lays out one page per slide for print to PDF (?print-pdf)', async () => {
    const printPage = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watch(printPage);
    try {
      await openDeck(printPage, '/presentation?print-pdf');
      const total = await printPage.evaluate(() => Reveal.getTotalSlides());
      await printPage.waitForFunction((n) => document.querySelectorAll('.reveal .pdf-page').length >= n, total);
      expect(await printPage.locator('.reveal .pdf-page .slide-number').count()).toBeGreaterThanOrEqual(total);
      // reveal.js sets the @page size itself; printing with it gives one PDF page per slide.
      const pdf = await printPage.pdf({ preferCSSPageSize: true, printBackground: true });
      writeFileSync(join(OUT, 'presentation.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBe(total);
    } finally {
      await printPage.close();
    }
  });
});

describe('the queries on the slides', () => {
  const markdown = readdirSync(SLIDES_SRC)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(SLIDES_SRC, f), 'utf8'))
    .join('\n');
  const blocks = (lang: string) => [...markdown.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!.trim());

  it('name only metrics that Floatline exports', async () => {
    await gql(server.url, `mutation { borrowLicense(tool: "simulation", user: "deck-test") { __typename } }`);
    const exposition = await (await fetch(`${server.url}/metrics`)).text();
    const promql = blocks('promql');
    expect(promql.length).toBeGreaterThanOrEqual(5);
    const names = new Set(
      promql.flatMap((q) => q.match(/\b(?:licenses?|http)_[a-z_]+\b/g) ?? []).map((n) => n.replace(/_(bucket|count|sum)$/, '')),
    );
    expect(names.size).toBeGreaterThanOrEqual(5);
    for (const name of names) expect(exposition, `metric ${name}`).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
  });

  it('name only recording rules that prometheus/rules defines', () => {
    const rules = readdirSync(join(ROOT, 'prometheus/rules'))
      .map((f) => readFileSync(join(ROOT, 'prometheus/rules', f), 'utf8'))
      .join('\n');
    const recorded = new Set([...markdown.matchAll(/\b[a-z_]+:[a-z_]+:[a-z0-9_]+\b/g)].map((m) => m[0]));
    expect(recorded.size).toBeGreaterThan(0);
    for (const name of recorded) expect(rules, `recording rule ${name}`).toContain(`record: ${name}`);
    for (const alert of markdown.matchAll(/alert: (\w+)/g)) expect(rules).toContain(`alert: ${alert[1]}`);
  });

  it('are valid PromQL (promtool check rules)', () => {
    if (!existsSync('/usr/bin/promtool')) throw new Error('promtool is missing: apt-get install prometheus');
    const dir = mkdtempSync(join(tmpdir(), 'deck-promql-'));
    const rules = blocks('promql').map(
      (q, i) =>
        `      - record: deck:query_${i}:check\n        expr: |\n${q
          .split('\n')
          .map((l) => `          ${l}`)
          .join('\n')}`,
    );
    writeFileSync(join(dir, 'deck.yml'), `groups:\n  - name: deck\n    rules:\n${rules.join('\n')}\n`);
    execFileSync('/usr/bin/promtool', ['check', 'rules', join(dir, 'deck.yml')], { stdio: 'pipe' });
  });

  it('filter LogQL on log fields and events that Floatline writes', async () => {
    // Exhaust analysis (2 seats) so that a borrow_denied line exists.
    for (let i = 0; i < 3; i++) await gql(server.url, `mutation { borrowLicense(tool: "analysis", user: "deck-test") { __typename } }`);
    const denied = await server.waitForLog((l) => l.event === 'borrow_denied' && l.tool === 'analysis');
    expect(denied).toMatchObject({ level: 'warn', service: 'floatline', reason: 'exhausted', user: 'deck-test' });
    expect(typeof denied.request_id).toBe('string');
    const logql = blocks('logql');
    expect(logql.length).toBeGreaterThanOrEqual(2);
    for (const q of logql) {
      expect(q).toMatch(/^\{job="license-server"\} \| json/);
      for (const [, field, value] of q.matchAll(/\| ([a-z_]+)="([^"<…]*)"/g)) {
        expect(
          server.logs.some((l) => String(l[field!]) === value),
          `a log line with ${field}="${value}"`,
        ).toBe(true);
      }
    }
  });
});

describe('the live slide when the server restarts', () => {
  it('shows that it is reconnecting, then follows the pools again', async () => {
    // A page of its own, not watched: while the server shuts down and is away, the browser logs
    // refused and 503 requests, which are expected here. The shared page would log them too.
    await page.close();
    const live = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      await openDeck(live, '/presentation#/live');
      await live.waitForSelector('#live [data-live-state="live"]');
      const { port, dbPath } = server;
      await server.stop();
      await live.waitForSelector('#live [data-live-state="reconnecting"]', { timeout: 15_000 });
      server = await startServer({ port, dbPath });
      await live.waitForSelector('#live [data-live-state="live"]', { timeout: 30_000 });
      const row = live.locator('#live .live-pools [data-tool="simulation"]');
      const before = Number(await row.getAttribute('data-borrowed'));
      const res = await gql(server.url, `mutation { borrowLicense(tool: "simulation", user: "deck-test") { __typename } }`);
      expect(res.data?.borrowLicense.__typename).toBe('Borrow');
      await live.waitForFunction(
        (n) => document.querySelector('#live .live-pools [data-tool="simulation"]')?.getAttribute('data-borrowed') === String(n),
        before + 1,
        { timeout: 15_000 },
      );
    } finally {
      await live.close();
    }
  }, 150_000); // two server start-ups on a busy CI machine
});
