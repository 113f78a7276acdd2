// Debian's Chromium driven by playwright-core. A missing browser is a failure, never a skip:
// the dashboard tests are the only check that the page a user sees actually works.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const OUTPUT_DIR = join(ROOT, 'test-output');

/** `extraArgs`: more switches, e.g. --host-resolver-rules to point a made-up name at this machine. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** The built dashboard must exist: `npm test` builds it first. */
export function assertClientBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/client/index.html'))) {
    throw new Error('dist/client is missing: run `npm run build:client` (npm test does it for you)');
  }
}

/** Collects errors the page throws, so a test can fail on them with the message. */
export function watchPageErrors(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(error.message));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A new window on `url` whose page errors are collected into `errors`, once its live
 *  connection says Live (the subscriptions are up, so later pushes are seen). */
export async function openLivePage(
  browser: Browser,
  url: string,
  errors: string[],
  height = 1000,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height } });
  const page = await context.newPage();
  watchPageErrors(page, errors);
  await page.goto(url);
  await page.locator('[data-testid="connection"][data-state="live"]').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
  return { context, page };
}
