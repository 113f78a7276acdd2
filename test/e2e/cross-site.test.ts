// No cross-site writes, reads only for listed origins, security headers everywhere.
// A real Floatline at http://127.0.0.1:<p1> and a second tiny HTTP server playing two
// other sites: http://localhost:<p2> (an attacker, cross-site) and http://127.0.0.1:<p2>
// (a partner page listed in CORS_ORIGINS). Debian's Chromium loads their pages.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { assertClientBuilt, launchChromium, watchPageErrors } from '../helpers/browser.ts';

const WAIT = { timeout: 20_000, interval: 100 };

let floatline: RunningServer;
let other: Server;
let otherPort: number;
let browser: Browser;

const BORROW = 'mutation { borrowLicense(tool: "cad_tool", user: "mallory") { __typename } }';
const BUDGET =
  'mutation { updateBudget(input: {tool: "cad_tool", total: 99, commit: 90, maxOverage: 9, commitPrice: 1, overagePricePerLicense: 1}) { __typename } }';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The attacker's page: forms that submit themselves, no-cors fetches, credentialed reads,
 *  a WebSocket that tries a mutation, a mutation in an <img> GET (Yoga runs mutations only
 *  over POST) and a frame of /config. Results land in window.results. */
function attackPage(f: string): string {
  const form = (id: string, action: string, enctype: string, fields: [string, string][]) =>
    `<iframe name="${id}-t" width="10" height="10"></iframe><form id="${id}" target="${id}-t" method="POST" action="${f}${action}" enctype="${enctype}">` +
    fields.map(([n, v]) => `<input type="hidden" name="${escapeAttr(n)}" value="${escapeAttr(v)}">`).join('') +
    '</form>';
  return `<!doctype html><html><body>
${form('gql-urlencoded-borrow', '/graphql', 'application/x-www-form-urlencoded', [['query', BORROW]])}
${form('gql-urlencoded-budget', '/graphql', 'application/x-www-form-urlencoded', [['query', BUDGET]])}
${form('gql-multipart-budget', '/graphql', 'multipart/form-data', [
  ['operations', JSON.stringify({ query: BUDGET })],
  ['map', '{}'],
])}
${form('rest-text-borrow', '/licenses/borrow', 'text/plain', [['{"tool":"cad_tool","user":"mallory","pad":"', '"}']])}
${form('rest-urlencoded-borrow', '/licenses/borrow', 'application/x-www-form-urlencoded', [['{"tool":"cad_tool","user":"mallory"}', '']])}
<img alt="" src="${f}/graphql?query=${encodeURIComponent(BORROW)}">
<iframe id="framed" src="${f}/config" width="300" height="200"></iframe>
<script>
const F = ${JSON.stringify(f)};
const results = {};
async function read(url, init) {
  try { const r = await fetch(url, init); return 'read: ' + (await r.text()).slice(0, 200); } catch (e) { return 'blocked'; }
}
function webSocketAttack() {
  return new Promise((resolve) => {
    const ws = new WebSocket(F.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }));
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: ${JSON.stringify(BORROW)} } }));
      if (msg.type === 'next') resolve('mutation ran: ' + JSON.stringify(msg.payload));
    };
    ws.onerror = () => resolve('refused');
    ws.onclose = () => resolve('closed');
  });
}
(async () => {
  for (const form of document.querySelectorAll('form')) form.submit();
  const text = { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' } };
  results.noCorsRest = await fetch(F + '/licenses/borrow', { ...text, body: JSON.stringify({ tool: 'cad_tool', user: 'mallory' }) }).then((r) => r.type, (e) => 'error ' + e);
  results.noCorsGraphql = await fetch(F + '/graphql', { ...text, body: JSON.stringify({ query: ${JSON.stringify(BORROW)} }) }).then((r) => r.type, (e) => 'error ' + e);
  results.readGraphql = await read(F + '/graphql?query=' + encodeURIComponent('{ pools { tool borrowed } }'), { credentials: 'include' });
  results.readGraphqlPost = await read(F + '/graphql', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ pools { tool } }' }) });
  results.readStatus = await read(F + '/licenses/status', { credentials: 'include' });
  results.webSocket = await webSocketAttack();
  window.results = results;
})();
</script></body></html>`;
}

/** A page on an origin listed in CORS_ORIGINS: it may read and write through CORS. */
function partnerPage(f: string): string {
  return `<!doctype html><html><body><script>
const F = ${JSON.stringify(f)};
(async () => {
  const results = {};
  try {
    results.status = await (await fetch(F + '/licenses/status')).json();
    const borrow = await fetch(F + '/licenses/borrow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tool: 'simulation', user: 'partner' }) });
    results.borrowStatus = borrow.status;
    results.borrow = await borrow.json();
    results.requestId = borrow.headers.get('x-request-id');
    const ret = await fetch(F + '/licenses/return', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: results.borrow.id }) });
    results.returnStatus = ret.status;
  } catch (e) { results.error = String(e); }
  window.results = results;
})();
</script></body></html>`;
}

beforeAll(async () => {
  assertClientBuilt();
  other = createServer((req, res) => {
    const page = req.url === '/attack' ? attackPage(floatline.url) : req.url === '/partner' ? partnerPage(floatline.url) : null;
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(page ?? 'not here');
  });
  // Both address families: Chromium may reach "localhost" over ::1.
  await new Promise<void>((resolve) => other.listen(0, resolve));
  otherPort = (other.address() as AddressInfo).port;
  [floatline, browser] = await Promise.all([startServer({ env: { CORS_ORIGINS: `http://127.0.0.1:${otherPort}` } }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await floatline?.stop();
  await new Promise((resolve) => other?.close(resolve));
});

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(floatline.url + path);
  expect(res.status, path).toBe(200);
  return res.json();
}

/** Everything an attack could change, as a user would read it. */
async function snapshot() {
  return {
    status: await getJson('/licenses/status'),
    budget: await getJson('/config/budget'),
    borrows: await getJson('/borrows'),
  };
}

/** An HTTP request with headers fetch would not let us set (Origin), returning status,
 *  headers and body. */
function rawRequest(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(floatline.url + path, { method, headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => {
          text += c;
        })
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** http_cross_site_refused_total by "transport route", from /metrics. */
async function refusedMetric(): Promise<Record<string, number>> {
  const text = await (await fetch(`${floatline.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^http_cross_site_refused_total\{transport="(\w+)",route="([^"]+)"\} (\d+)$/gm))
    out[`${m[1]} ${m[2]}`] = Number(m[3]);
  return out;
}

const refusals = (transport: string, route?: string) =>
  floatline.logs.filter((l) => l.event === 'cross_site_refused' && l.transport === transport && (route === undefined || l.route === route));

describe('a page on another site', () => {
  it('cannot borrow, change a budget or read answers: forms, no-cors fetches, credentialed reads, WebSocket', async () => {
    const before = await snapshot();
    const countedBefore = await refusedMetric();
    const http403s = () => floatline.logs.filter((l) => l.event === 'http_request' && l.status_code === 403 && l.method === 'POST').length;
    const writes = () =>
      floatline.logs.filter(
        (l) => l.event === 'http_request' && l.method === 'POST' && ['/graphql', '/licenses/borrow'].includes(String(l.route)),
      ).length;
    const refusedBefore = { http: refusals('http').length, ws: refusals('websocket').length, status403: http403s(), writes: writes() };
    const page = await browser.newPage();
    const errors: string[] = [];
    watchPageErrors(page, errors);
    await page.goto(`http://localhost:${otherPort}/attack`);
    await page.waitForFunction(() => (window as unknown as { results?: object }).results !== undefined, null, { timeout: WAIT.timeout });
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, string> }).results);
    // Every write reached the server (5 forms, 2 no-cors fetches) ...
    await expect.poll(() => writes() - refusedBefore.writes, WAIT).toBeGreaterThanOrEqual(7);
    // ... and nothing changed: no seat taken, no budget rewritten, no borrow recorded.
    expect(await snapshot()).toEqual(before);

    // The reads were blocked by the browser (no CORS headers for this origin), the socket never opened.
    expect(results.readGraphql).toBe('blocked');
    expect(results.readGraphqlPost).toBe('blocked');
    expect(results.readStatus).toBe('blocked');
    expect(results.webSocket).not.toMatch(/mutation ran/);

    // /config cannot be framed: its frame holds no dashboard.
    const framed = page.frames().filter((fr) => fr !== page.mainFrame() && fr.url().startsWith(floatline.url));
    for (const fr of framed)
      expect(
        await fr
          .locator('#app')
          .count()
          .catch(() => 0),
      ).toBe(0);
    expect(page.frames().some((fr) => fr.url().startsWith(`${floatline.url}/config`) && fr.url() !== 'about:blank')).toBe(false);

    // The server answered 403 to every write: 4 to /graphql (3 forms, 1 no-cors fetch),
    // 3 to /licenses/borrow (2 forms, 1 no-cors fetch), and refused the WebSocket upgrade.
    await expect.poll(() => refusals('http', '/graphql').length, WAIT).toBeGreaterThanOrEqual(4);
    await expect.poll(() => refusals('http', '/licenses/borrow').length, WAIT).toBeGreaterThanOrEqual(3);
    expect(refusals('http').length - refusedBefore.http).toBe(7);
    expect(refusals('websocket').length - refusedBefore.ws).toBe(1);
    for (const l of refusals('http').slice(refusedBefore.http)) expect(l.origin).toBe(`http://localhost:${otherPort}`);
    await expect.poll(() => http403s() - refusedBefore.status403, WAIT).toBe(7);
    const counted = await refusedMetric();
    expect(counted['http /graphql']! - (countedBefore['http /graphql'] ?? 0)).toBe(4);
    expect(counted['http /licenses/borrow']! - (countedBefore['http /licenses/borrow'] ?? 0)).toBe(3);
    expect(counted['websocket /graphql']! - (countedBefore['websocket /graphql'] ?? 0)).toBe(1);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('listed in CORS_ORIGINS may read and write through CORS', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${otherPort}/partner`);
    await page.waitForFunction(() => (window as unknown as { results?: object }).results !== undefined, null, { timeout: WAIT.timeout });
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.error).toBeUndefined();
    expect((results.status as { tool: string }[]).map((p) => p.tool)).toContain('simulation');
    expect(results.borrowStatus).toBe(200);
    expect(results.borrow).toMatchObject({ tool: 'simulation', user: 'partner' });
    expect(results.requestId).toBeTruthy(); // exposed to the listed origin
    expect(results.returnStatus).toBe(200);
    await page.close();
  });
});

describe('plain HTTP', () => {
  it('an allowed origin gets CORS headers (no credentials); any other origin gets none and a 403 on writes', async () => {
    const partner = `http://127.0.0.1:${otherPort}`;
    const preflight = await rawRequest('OPTIONS', '/config/budget', {
      origin: partner,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(partner);
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('PUT');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const read = await rawRequest('GET', '/licenses/status', { origin: partner });
    expect(read.headers['access-control-allow-origin']).toBe(partner);
    const gqlRead = await rawRequest(
      'POST',
      '/graphql',
      { origin: partner, 'content-type': 'application/json' },
      JSON.stringify({ query: '{ pools { tool } }' }),
    );
    expect(gqlRead.status).toBe(200);
    expect(gqlRead.headers['access-control-allow-origin']).toBe(partner);
    expect(gqlRead.headers['access-control-allow-credentials']).toBeUndefined();

    for (const origin of ['https://evil.example', 'null', `http://localhost:${floatline.port}`]) {
      const r = await rawRequest('GET', '/graphql?query=%7B%20version%20%7D', { origin });
      expect(r.status, origin).toBe(200);
      expect(r.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(r.headers['access-control-allow-credentials'], origin).toBeUndefined();
      const w = await rawRequest(
        'POST',
        '/licenses/borrow',
        { origin, 'content-type': 'text/plain' },
        '{"tool":"cad_tool","user":"mallory"}',
      );
      expect(w.status, origin).toBe(403);
      expect(JSON.parse(w.body).detail).toMatch(/^Cross-site request refused: Origin .* CORS_ORIGINS$/);
    }
    const budget = await rawRequest(
      'PUT',
      '/config/budget',
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      JSON.stringify({ tool: 'cad_tool', total: 99, commit: 90, max_overage: 9, commit_price: 1, overage_price_per_license: 1 }),
    );
    expect(budget.status).toBe(403);
    expect(JSON.parse(budget.body).detail).toContain('Sec-Fetch-Site: cross-site');
    expect(JSON.stringify(await getJson('/config/budget'))).not.toContain('99');
  });

  it("curl and scripts (no Origin) keep working, including the seed's form-encoded `curl -d`", async () => {
    const curl = await rawRequest(
      'POST',
      '/licenses/borrow',
      { 'content-type': 'application/x-www-form-urlencoded' },
      '{"tool":"cad_tool","user":"alice"}',
    );
    expect(curl.status).toBe(200);
    const { id } = JSON.parse(curl.body) as { id: string };
    const ret = await rawRequest(
      'POST',
      '/licenses/return',
      { 'content-type': 'application/x-www-form-urlencoded' },
      JSON.stringify({ id }),
    );
    expect(ret.status).toBe(200);
    const gql = await rawRequest(
      'POST',
      '/graphql',
      { 'content-type': 'application/json' },
      JSON.stringify({ query: 'mutation { borrowLicense(tool: "analysis", user: "script") { ... on Borrow { id } } }' }),
    );
    expect(gql.status).toBe(200);
    const borrowId = (JSON.parse(gql.body) as { data: { borrowLicense: { id: string } } }).data.borrowLicense.id;
    expect(
      (await rawRequest('POST', '/licenses/return', { 'content-type': 'application/json' }, JSON.stringify({ id: borrowId }))).status,
    ).toBe(200);
    // A browser on Floatline's own origin (the dashboard) is not cross-site.
    const own = await rawRequest(
      'POST',
      '/graphql',
      { origin: floatline.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      JSON.stringify({ query: '{ version }' }),
    );
    expect(own.status).toBe(200);
  });

  it('refuses a WebSocket upgrade from another site; same-origin and Origin-less upgrades open', async () => {
    const upgrade = (origin?: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${floatline.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', origin ? { origin } : {});
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => {
          resolve(`status ${res.statusCode}`);
          ws.terminate();
        });
        ws.on('error', (e) => resolve(`error ${e.message}`));
      });
    expect(await upgrade('https://evil.example')).toBe('status 403');
    expect(await upgrade(floatline.url)).toBe('open');
    expect(await upgrade(`http://127.0.0.1:${otherPort}`)).toBe('open');
    expect(await upgrade()).toBe('open');
  });

  it('a bad CORS_ORIGINS stops start-up with exit code 2 and a message naming it', async () => {
    await expect(startServer({ env: { CORS_ORIGINS: 'https://dash.example.com,*' } })).rejects.toThrow(
      /exited \(2\)[\s\S]*CORS_ORIGINS must be a comma-separated list of origins.*got "\*"/,
    );
  });

  it('sends security headers on pages, API answers, errors and static files', async () => {
    const answers: [string, Record<string, string>][] = [
      ['/', {}],
      ['/config', {}],
      ['/presentation', {}],
      ['/presentation/deck.js', {}],
      ['/graphql', { accept: 'text/html' }],
      ['/graphql?query=%7Bversion%7D', {}],
      ['/licenses/status', {}],
      ['/no-such-page', {}],
      ['/licenses/nope/status', {}],
      ['/docs/', {}],
    ];
    for (const [path, headers] of answers) {
      const r = await rawRequest('GET', path, headers);
      const csp = String(r.headers['content-security-policy']);
      // The deck may be framed by itself only (reveal's speaker view shows it in frames).
      const deck = path.startsWith('/presentation');
      expect(csp, path).toContain(deck ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(r.headers['x-frame-options'], path).toBe(deck ? 'SAMEORIGIN' : 'DENY');
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      expect(r.headers['referrer-policy'], path).toBe('no-referrer');
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      // No page may run inline script: GraphiQL included (its scripts are static files).
      expect(scriptSrc, path).not.toContain('unsafe-inline');
    }
    // The guard's CORS plugin (a catch-all OPTIONS route) leaves 404 and 405 as they were.
    expect((await rawRequest('GET', '/no-such-page', {})).status).toBe(404);
    expect((await rawRequest('OPTIONS', '/no-such-page', {})).status).toBe(404);
    expect((await rawRequest('DELETE', '/licenses/status', {})).status).toBe(405);
    const refused = await rawRequest('POST', '/licenses/borrow', { origin: 'https://evil.example' }, '{}');
    expect(refused.status).toBe(403);
    expect(refused.headers['x-frame-options']).toBe('DENY');
  });
});

describe('every page under the Content-Security-Policy in Chromium', () => {
  async function openWatched(path: string): Promise<{ page: Page; violations: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text().slice(0, 300));
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
    await page.exposeFunction('reportViolation', (v: string) => {
      violations.push(v);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(
          `${e.violatedDirective} blocked ${e.blockedURI.slice(0, 100)}`,
        ),
      );
    });
    await page.goto(floatline.url + path);
    return { page, violations };
  }

  it('the dashboard (/ and /config) goes live over its WebSocket with no violations', async () => {
    for (const path of ['/', '/config']) {
      const { page, violations } = await openWatched(path);
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: WAIT.timeout });
      if (path === '/config') await expect.poll(() => page.getByTestId('budget-form').count(), WAIT).toBe(3);
      else await expect.poll(() => page.locator('[data-testid="pool-card"]').count(), WAIT).toBe(3);
      expect(violations, path).toEqual([]);
      await page.close();
    }
  });

  it('the deck runs, its live slide follows the subscription (SSE) and its speaker view opens, with no violations', async () => {
    const { page, violations } = await openWatched('/presentation#/live');
    await page.waitForSelector('html[data-deck-ready="true"]', { timeout: WAIT.timeout });
    await page.waitForSelector('#live [data-live-state="live"]', { timeout: WAIT.timeout });
    // The speaker view is an about:blank window written by reveal's notes plugin: it
    // inherits the deck's policy, and its inline script is allowed by hash only.
    const [speaker] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
    speaker.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(`speaker view: ${m.text().slice(0, 300)}`);
    });
    await speaker.locator('#current-slide iframe').waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => speaker.locator('#connection-status').isVisible(), WAIT).toBe(false); // the view's script ran and connected
    expect(violations).toEqual([]);
    await speaker.close();
    await page.close();
  });

  it('the REST docs (/docs) render with no violations', async () => {
    const { page, violations } = await openWatched('/docs/');
    await page.locator('.swagger-ui .info').waitFor({ timeout: WAIT.timeout });
    await page.locator('.opblock').first().waitFor({ timeout: WAIT.timeout });
    expect(violations).toEqual([]);
    await page.close();
  });

  it('GraphiQL runs a query with scripts and workers from Floatline only, with no violations', async () => {
    const { page, violations } = await openWatched(`/graphql?query=${encodeURIComponent('{ pools { tool } }')}`);
    await page
      .getByRole('button', { name: /execute query/i })
      .first()
      .click({ timeout: 30_000 });
    await expect.poll(async () => page.locator('.result-window, .graphiql-response').first().innerText(), WAIT).toContain('cad_tool');
    expect(violations).toEqual([]);
    await page.close();
  });
});
