// The deck tells today's story, in Chromium against a real server: slides on the line, leases
// and a release with a reason, sign-in, teams and their costs and the CLI in CI; "Floatline in
// one picture" draws today's architecture (not "borrow · return · budget / SQLite via
// Prisma"); and on the live slide "A job waits in line, on stage" a job joining the full pool's
// line shows as "1 waiting" with the feed naming it, the seat it is handed, and a seat an
// admin releases with the reason given.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchPageErrors } from '../helpers/browser';
import { postJson, type RunningServer, startServer } from '../helpers/server';

const WAIT = { timeout: 20_000 };
let server: RunningServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

type RevealApi = {
  isReady(): boolean;
  getTotalSlides(): number;
  slide(h: number): void;
  getCurrentSlide(): HTMLElement;
  getIndices(s?: HTMLElement): { h: number };
};

async function show(id: string): Promise<void> {
  await page.evaluate((id) => {
    const R = (window as unknown as { Reveal: RevealApi }).Reveal;
    R.slide(R.getIndices(document.getElementById(id) ?? undefined).h);
  }, id);
  await page.waitForFunction((id) => (window as unknown as { Reveal: RevealApi }).Reveal.getCurrentSlide().id === id, id);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  watchPageErrors(page, errors);
  await page.goto(`${server.url}/presentation`);
  await page.waitForFunction(() => (window as unknown as { Reveal?: RevealApi }).Reveal?.isReady());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  expect(errors).toEqual([]);
});

describe("the deck tells today's story", () => {
  it('has slides on the line, leases and release, sign-in, teams and costs, and the CLI in CI', async () => {
    // Every slide's words, hidden ones included, without the speaker notes.
    const { headings, text } = await page.evaluate(() => {
      const sections = [...document.querySelectorAll('.reveal .slides > section')];
      const words = (e: Element) => {
        const copy = e.cloneNode(true) as Element;
        for (const n of copy.querySelectorAll('aside.notes')) n.remove();
        return (copy.textContent ?? '').replace(/\s+/g, ' ');
      };
      return { headings: sections.map((s) => s.querySelector('h2')?.textContent ?? ''), text: sections.map(words).join(' ') };
    });
    for (const topic of [/waits in line/i, /released with a reason/i, /sign-in/i, /teams and their costs/i, /CLI in CI/i]) {
      expect(
        headings.some((h) => topic.test(h)),
        `a slide headed ${topic}`,
      ).toBe(true);
    }
    for (const words of [
      'queue',
      'lease',
      'Release',
      'reason',
      'AUTH_MODE=required',
      'API token',
      'seat-hours',
      'commit price',
      'floatline run',
      'FLOATLINE_TOKEN',
      '--wait',
    ]) {
      expect(text).toContain(words);
    }
  });

  it('"Floatline in one picture" shows today\'s architecture', async () => {
    const text = await page.evaluate(() => {
      const slide = [...document.querySelectorAll('.reveal .slides > section')].find(
        (s) => s.querySelector('h2')?.textContent === 'Floatline in one picture',
      );
      return (slide?.querySelector('.flow')?.textContent ?? '').replace(/\s+/g, ' ');
    });
    expect(text).not.toContain('borrow · return · budget');
    expect(text).not.toContain('SQLite via Prisma');
    for (const part of ['floatline CLI', 'sign-in', 'line', 'release', 'team shares', 'costs', 'PostgreSQL', 'change feed', 'Redis'])
      expect(text).toContain(part);
  });

  it('on stage: a job joins the line, is handed the seat, and an admin release shows its reason', async () => {
    await show('line');
    await page.locator('#line [data-live-state="live"]').waitFor(WAIT);
    const pool = page.locator('#line .live-pools [data-tool="analysis"]');
    const feed = page.locator('#line [data-live-events]');
    const held: string[] = [];
    for (const user of ['ana', 'ben']) {
      const r = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user });
      expect(r.status, r.text).toBe(200);
      held.push(r.json.id);
    }
    const queued = await postJson(`${server.url}/licenses/borrow`, {
      tool: 'analysis',
      user: 'ci-nightly',
      queue: true,
      lease_seconds: 600,
    });
    expect(queued.status, queued.text).toBe(202);
    await expect.poll(() => pool.locator('.pool-state').innerText(), WAIT).toMatch(/1 waiting/i);
    await expect.poll(() => feed.innerText(), WAIT).toContain('ci-nightly is waiting in line for analysis');
    await screenshot(page, 'deck-line-waiting.png');

    const released = await postJson(`${server.url}/licenses/revoke`, { id: held[0], reason: 'job hung since Friday' });
    expect(released.status, released.text).toBe(200);
    await expect
      .poll(() => feed.innerText(), WAIT)
      .toContain('ana’s analysis seat released by an admin: “job hung since Friday”'.replace('’', "'"));
    await expect.poll(() => feed.innerText(), WAIT).toContain('ci-nightly was handed an analysis seat from the line');
    await expect.poll(() => pool.getAttribute('data-borrowed'), WAIT).toBe('2');
    await page.waitForTimeout(1800); // the highlight fades before the picture
    await screenshot(page, 'deck-line-granted.png');
  });
});
