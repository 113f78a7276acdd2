// DNS rebinding in a real browser. The attacker's name first points at the attacker's server,
// which sends its page; then the name is re-pointed at Floatline, and the page's own-origin
// requests reach Floatline at http://evil.example:<port> — same-origin for the browser, so
// it would read the answers too. Here Debian's Chromium resolves evil.example to 127.0.0.1
// (--host-resolver-rules "MAP evil.example 127.0.0.1"), where the attacker's server answers
// on a port first; it then closes and Floatline starts on that same port. (The page must come
// from a loopback server: Chromium refuses a page from elsewhere requests to loopback.)
// Floatline must answer 421 (ALLOWED_HOSTS) and lend no seat. The same page, loaded the same
// way from a name in ALLOWED_HOSTS, does borrow: the refusal is the Host check's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { launchChromium, watchPageErrors } from '../helpers/browser.ts';

const ALLOWED = 'licenses.corp.example';

let floatline: RunningServer;
let browser: Browser;
/** The attacker's page as each name served it, before the name pointed at Floatline. */
const pages = new Map<string, Page>();
const errors: string[] = [];

/** The attacker's page: once the name is rebound (the test calls attack()), it borrows and
 *  reads the pools through its own origin. */
const PAGE = `<!doctype html><html><head><title>attacker</title></head><body><script>
window.attack = async () => {
  const results = {};
  try {
    const borrow = await fetch('/licenses/borrow', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cad_tool', user: 'mallory' }),
    });
    results.borrow = { status: borrow.status, body: await borrow.text() };
    const status = await fetch('/licenses/status');
    results.status = { status: status.status, body: await status.text() };
  } catch (e) { results.error = String(e); }
  return results;
};
</script></body></html>`;

interface Answer {
  status: number;
  body: string;
}

beforeAll(async () => {
  browser = await launchChromium([`--host-resolver-rules=MAP evil.example 127.0.0.1, MAP ${ALLOWED} 127.0.0.1`]);
  // The attacker's server: both names first reach it, and it sends the page.
  const attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const port = (attacker.address() as AddressInfo).port;
  for (const name of ['evil.example', ALLOWED]) {
    const page = await browser.newPage();
    watchPageErrors(page, errors);
    await page.goto(`http://${name}:${port}/`);
    expect(await page.title()).toBe('attacker');
    pages.set(name, page);
  }
  // The rebinding: the attacker's server goes, Floatline answers at the same address and port.
  attacker.closeAllConnections();
  await new Promise((resolve) => attacker.close(resolve));
  floatline = await startServer({ port, env: { ALLOWED_HOSTS: ALLOWED } });
});

afterAll(async () => {
  await browser?.close();
  await floatline?.stop();
});

/** What the page loaded from `name` got from its own origin, now Floatline. */
async function attackFrom(name: string): Promise<{ borrow: Answer; status: Answer; error?: string }> {
  const got = await pages
    .get(name)!
    .evaluate(() => (window as unknown as { attack(): Promise<{ borrow: Answer; status: Answer; error?: string }> }).attack());
  expect(errors).toEqual([]);
  return got;
}

/** cad_tool's seats and borrows, as the server's own address shows them. */
async function seats(): Promise<{ borrowed: number; borrows: unknown[] }> {
  const status = (await (await fetch(`${floatline.url}/licenses/status`)).json()) as { tool: string; borrowed: number }[];
  const borrows = (await (await fetch(`${floatline.url}/borrows`)).json()) as unknown[];
  return { borrowed: status.find((p) => p.tool === 'cad_tool')!.borrowed, borrows };
}

/** http_misdirected_refused_total{transport="http"}, from /metrics. */
async function misdirected(): Promise<number> {
  const text = await (await fetch(`${floatline.url}/metrics`)).text();
  return Number(/^http_misdirected_refused_total\{transport="http"\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

describe('a page on a name rebound to this server', () => {
  it('is answered 421 on its borrow and its read, and no seat is taken', async () => {
    const before = await seats();
    expect(before.borrowed).toBe(0);
    const refusedBefore = await misdirected();
    const got = await attackFrom('evil.example');
    // The requests reached Floatline (the browser raised no error: same-origin) and were refused.
    expect(got.error).toBeUndefined();
    expect(got.borrow.status).toBe(421);
    expect(JSON.parse(got.borrow.body).detail).toContain('ALLOWED_HOSTS');
    expect(JSON.parse(got.borrow.body).detail).toContain('evil.example');
    expect(got.status.status).toBe(421);
    expect(got.status.body).not.toContain('cad_tool');
    expect(await seats()).toEqual(before);
    // Both refusals counted: the borrow and the read (Chromium tries a 421 once more on a new connection).
    expect((await misdirected()) - refusedBefore).toBeGreaterThanOrEqual(2);
  });

  it('borrows from a name in ALLOWED_HOSTS, the same page reaching the same address', async () => {
    const before = (await seats()).borrowed;
    const got = await attackFrom(ALLOWED);
    expect(got.error).toBeUndefined();
    expect(got.borrow.status, got.borrow.body).toBe(200);
    const seat = JSON.parse(got.borrow.body) as { id: string; tool: string; user: string };
    expect([seat.tool, seat.user]).toEqual(['cad_tool', 'mallory']);
    expect(got.status.status).toBe(200);
    expect((await seats()).borrowed).toBe(before + 1);
    // Given back, so no other test sees it.
    const ret = await fetch(`${floatline.url}/licenses/return`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: seat.id }),
    });
    expect(ret.status).toBe(200);
  });
});
