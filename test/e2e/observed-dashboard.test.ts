// End to end: an admin registers a source through the Budgets page's form (the server's field
// errors shown under the fields), a real Floatline process polls a fake `lmutil` found on PATH
// (a script that prints whatever the test last wrote), the dashboard in Chromium shows the
// observed pool beside the native ones and follows it live as the output changes, the history
// records the inferred check-out (and the usage report counts it), a down server turns the card
// stale, and removing the source from the page takes its pool away.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClientBuilt, launchChromium, openLivePage, screenshot } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/observed/${name}`, import.meta.url), 'utf8');
const bin = mkdtempSync(join(tmpdir(), 'floatline-fake-lmutil-'));
const output = join(bin, 'lmstat.txt');
writeFileSync(join(bin, 'lmutil'), `#!/bin/sh\ncat '${output}'\ngrep -q "Error getting status" '${output}' && exit 1\nexit 0\n`);
chmodSync(join(bin, 'lmutil'), 0o755);

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  assertClientBuilt();
  writeFileSync(output, fixture('lmstat-v9.txt'));
  server = await startServer({ env: { PATH: `${bin}:${process.env.PATH}` } });
  browser = await launchChromium();
  ({ context, page } = await openLivePage(browser, `${server.url}/`, errors));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const card = () => page.locator('[data-testid="observed-pool"][data-source="ansys-lic"][data-feature="ansys"]');

describe('observed FlexNet pools on the dashboard', () => {
  it('registers the source through the form, polls lmutil from PATH and shows the pool beside the native ones, then follows it live', async () => {
    await page.getByRole('link', { name: 'Budgets' }).click();
    const form = page.getByTestId('observed-source-form');
    await form.getByLabel('Name').fill('ansys-lic');
    await form.getByLabel('Kind').selectOption('flexnet');
    await form.getByLabel('Command').fill('lmutil lmstat -a -c 27000@lic9 | grep ansys');
    await form.getByLabel('Interval (seconds)').fill('2');
    const fieldError = (field: string) => form.locator(`[data-testid="field-error"][data-field="${field}"]`);
    // The server checks each field and names the one it refuses: first the interval's bounds...
    await form.getByRole('button', { name: 'Register' }).click();
    expect(await fieldError('intervalSeconds').innerText()).toBe('interval_seconds must be an integer from 5 to 86400');
    // ...then a command that would need a shell.
    await form.getByLabel('Interval (seconds)').fill('5');
    await form.getByRole('button', { name: 'Register' }).click();
    await fieldError('command').waitFor();
    expect(await fieldError('command').innerText()).toBe("command runs without a shell: quote the character '|' if it is meant literally");
    expect(await fieldError('intervalSeconds').count()).toBe(0);
    await screenshot(page, 'observed-source-form-errors.png');

    await form.getByLabel('Command').fill('lmutil lmstat -a -c 27000@lic9');
    await form.getByRole('button', { name: 'Register' }).click();
    expect(await form.getByTestId('created').innerText()).toBe('Registered ansys-lic');
    const listed = page.locator('[data-testid="observed-admin"] [data-testid="observed-source"][data-source="ansys-lic"]');
    await listed.waitFor();
    expect(await listed.innerText()).toContain('runs lmutil lmstat -a -c 27000@lic9 every 5 s');
    // The first poll's snapshot reaches the list live: up.
    await page.locator('[data-testid="observed-admin"] [data-source="ansys-lic"][data-up="true"]').waitFor({ timeout: 20_000 });
    const sources = (await (await fetch(`${server.url}/observed/sources`)).json()) as any;
    expect(sources.sources.map((x: any) => [x.name, x.kind, x.command, x.interval_seconds])).toEqual([
      ['ansys-lic', 'flexnet', 'lmutil lmstat -a -c 27000@lic9', 5],
    ]);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await card().waitFor({ timeout: 20_000 });
    expect(await card().getByTestId('observed-in-use').innerText()).toMatch(/^1 in use of 3/);
    expect(await card().innerText()).toContain('Observed');
    expect(await page.locator('[data-testid="pool-card"]').count()).toBe(3); // the native pools are still there

    // Two more engineers check ansys out: the next poll shows 3 of 3 without a reload.
    writeFileSync(
      output,
      fixture('lmstat-v9.txt')
        .replace('Total of 1 license in use', 'Total of 3 licenses in use')
        .replace(
          '    kwong cluster07 /dev/tty (v2026.0) (lic9/27000 101), start Mon 12/7 8:02',
          '    kwong cluster07 /dev/tty (v2026.0) (lic9/27000 101), start Mon 12/7 8:02\n    mlee ws4 ws4 (v2026.0) (lic9/27000 102), start Mon 12/7 9:40, 2 licenses',
        ),
    );
    await page.waitForFunction(
      () => document.querySelector('[data-feature="ansys"] [data-testid="observed-in-use"]')?.textContent?.includes('3 in use of 3'),
      null,
      { timeout: 20_000 },
    );
    expect(await card().innerText()).toContain('mlee');
    await screenshot(page, 'observed-dashboard.png');

    const events = await waitFor(
      async () => {
        const res = (await (await fetch(`${server.url}/observed/events?source=ansys-lic`)).json()) as any;
        return res.events.find((e: any) => e.user === 'mlee');
      },
      10_000,
      'the inferred check-out of mlee',
    );
    expect(events).toMatchObject({ kind: 'out', feature: 'ansys', licenses: 2, origin: 'snapshot' });
    // And a usage report: the observed pool as ansys-lic/ansys, mlee holding 2 seats.
    const now = Date.now();
    const window = `from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}`;
    const report = (await (await fetch(`${server.url}/reports/usage?${window}&group_by=user&tool=ansys-lic/ansys`)).json()) as any;
    const mlee = report.rows.find((row: any) => row.group === 'mlee');
    expect(mlee).toMatchObject({ tool: 'ansys-lic/ansys', peak_seats: 2 });
    expect(mlee.seat_hours).toBeGreaterThan(0);
  });

  it('marks the card stale when the license server goes down', async () => {
    writeFileSync(output, fixture('lmstat-down.txt'));
    await page.locator('[data-testid="observed-pool"][data-feature="ansys"][data-stale="true"]').waitFor({ timeout: 20_000 });
    expect(await card().innerText()).toContain('Stale');
    await screenshot(page, 'observed-dashboard-stale.png');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('license_observed_source_up{source="ansys-lic"} 0');
    expect(await page.locator('[data-testid="observed-source"][data-source="ansys-lic"]').getAttribute('data-up')).toBe('false');
  });

  it('removes the source from the Budgets page: it leaves the list, and its pool leaves the dashboard', async () => {
    await page.getByRole('link', { name: 'Budgets' }).click();
    const admin = page.getByTestId('observed-admin');
    await admin.getByRole('button', { name: 'Remove ansys-lic' }).click();
    await admin.getByRole('button', { name: 'Yes, remove ansys-lic' }).click();
    await admin.locator('[data-source="ansys-lic"]').waitFor({ state: 'detached' });
    expect(await admin.innerText()).toContain('None registered yet.');
    expect(((await (await fetch(`${server.url}/observed/sources`)).json()) as any).sources).toEqual([]);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('[data-testid="pool-card"]').first().waitFor();
    expect(await card().count()).toBe(0);
    expect(await page.locator('[data-testid="observed-source"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
