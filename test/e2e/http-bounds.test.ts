// Bounded HTTP, as a client sees it: GraphiQL is a small page with cached, compressed
// assets; text answers are compressed but live streams are not; no source maps in
// production; slow requests are cut off; one WebSocket client cannot hold unbounded
// subscriptions or connections; /frontend-error is capped, rate-limited and counts what it
// drops; and a 5 MB body gets a 413 that Node's fetch can read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { gql, postJson, startServer, ROOT, SERVER_ARGS, type RunningServer } from '../helpers/server.ts';
import { subscribeSse } from '../helpers/live.ts';
import { assertClientBuilt, launchChromium, watchPageErrors } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait.ts';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP exchange with node:http (no automatic decompression), so headers and bytes are as sent. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function decoded(r: Raw): Buffer {
  const enc = r.headers['content-encoding'];
  return enc === 'br' ? brotliDecompressSync(r.body) : enc === 'gzip' ? gunzipSync(r.body) : r.body;
}

async function metric(s: RunningServer, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

let s: RunningServer; // short timeouts and small frontend-error limits
let wsServer: RunningServer; // small WebSocket caps
let prod: RunningServer; // NODE_ENV=production
const PROBE_MAP = join(ROOT, 'dist/client/assets/http-bounds-probe.js.map');

beforeAll(async () => {
  mkdirSync(join(ROOT, 'dist/client/assets'), { recursive: true });
  writeFileSync(PROBE_MAP, '{"version":3,"sources":["secret.ts"],"mappings":""}');
  [s, wsServer, prod] = await Promise.all([
    startServer({
      env: {
        REQUEST_TIMEOUT_MS: '1500',
        HEADERS_TIMEOUT_MS: '1000',
        FRONTEND_ERRORS_PER_MINUTE: '3',
        FRONTEND_ERROR_BODY_LIMIT_BYTES: '4096',
      },
    }),
    startServer({ env: { WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', WS_MAX_CONNECTIONS_PER_ADDRESS: '2' } }),
    startServer({ env: { NODE_ENV: 'production' } }),
  ]);
}, 60_000);
afterAll(async () => {
  rmSync(PROBE_MAP, { force: true });
  await Promise.all([s?.stop(), wsServer?.stop(), prod?.stop()]);
});

describe('GraphiQL page', () => {
  it('is a small shell without inline script whose assets are cached and compressed', async () => {
    const page = await raw(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(page.body.length).toBeLessThan(4096); // was ~9 MB
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is external (CSP script-src 'self')
    const urls = [...html.matchAll(/(?:src|href)="(\/graphiql-assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.map((u) => u.split('/').pop())).toEqual(expect.arrayContaining(['favicon.ico', 'graphiql.css', 'boot.js', 'graphiql.js']));

    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', undefined],
    ] as const) {
      const js = await raw(`${s.url}${urls.find((u) => u.endsWith('/graphiql.js'))}`, { headers: { 'accept-encoding': accept } });
      expect(js.status).toBe(200);
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.headers['content-encoding']).toBe(encoding);
      const text = decoded(js).toString();
      expect(text).toContain('renderYogaGraphiQL');
      if (encoding) expect(js.body.length).toBeLessThan(text.length / 3);
    }
    // The Monaco workers the boot file points at are same-origin files.
    const boot = await raw(`${s.url}${urls.find((u) => u.endsWith('/boot.js'))}`);
    for (const worker of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      expect(boot.body.toString()).toContain(worker);
      const w = await raw(`${s.url}${urls.find((u) => u.endsWith('/boot.js'))!.replace('boot.js', worker)}`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(w.status).toBe(200);
      expect(w.headers['content-encoding']).toBe('gzip');
    }
    // Another version's URL is not served from this one's cache.
    expect((await raw(`${s.url}/graphiql-assets/0000000000000000/graphiql.js`)).status).toBe(404);
  });
});

describe('compression', () => {
  it('compresses text answers above 1 KB: metrics, REST JSON, GraphQL JSON, dashboard and deck', async () => {
    const metrics = await raw(`${s.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(metrics.headers['content-encoding']).toBe('gzip');
    expect(decoded(metrics).toString()).toContain('http_requests_total');

    const openapi = await raw(`${s.url}/openapi.json`, { headers: { 'accept-encoding': 'br' } });
    expect(openapi.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decoded(openapi).toString()).paths['/licenses/borrow']).toBeDefined();

    // The GraphQL fast path (JSON POST, no Origin) and Yoga's own path (GET) both compress.
    const query = '{ __schema { types { name kind } } }';
    const post = await raw(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
      body: JSON.stringify({ query }),
    });
    expect(post.status).toBe(200);
    expect(post.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decoded(post).toString()).data.__schema.types.length).toBeGreaterThan(10);
    const get = await raw(`${s.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'application/json', 'accept-encoding': 'gzip' },
    });
    expect(get.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decoded(get).toString()).data.__schema.types.length).toBeGreaterThan(10);

    // Small answers stay as they are; curl without Accept-Encoding gets plain JSON.
    const small = await raw(`${s.url}/healthz`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    const plain = await raw(`${s.url}/openapi.json`);
    expect(plain.headers['content-encoding']).toBeUndefined();

    const built = readdirSync(join(ROOT, 'dist/client/assets')).find((f) => f.endsWith('.js') && f.startsWith('index-'));
    expect(built, 'dashboard build (npm run build)').toBeDefined();
    const asset = await raw(`${s.url}/assets/${built}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers['cache-control']).toContain('immutable');
    const deck = await raw(`${s.url}/presentation/`, { headers: { 'accept-encoding': 'br' } });
    expect(deck.status).toBe(200);
    expect(deck.headers['content-encoding']).toBe('br');
    expect(decoded(deck).toString()).toContain('<html');
  });

  it('does not compress or hold back an SSE subscription', async () => {
    // Headers of the stream itself, with a client that would accept compression.
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const req = httpRequest(
        `${s.url}/graphql`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'gzip, br' },
        },
        (res) => {
          resolve(res.headers);
          res.destroy();
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'subscription { poolChanged(tool: "cad_tool") { tool borrowed } }' }));
    });
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect([undefined, 'none', 'identity']).toContain(headers['content-encoding']); // Yoga marks streams 'none'

    const sub = subscribeSse<{ tool: string; borrowed: number }>(s.url, 'subscription { poolChanged(tool: "cad_tool") { tool borrowed } }');
    await sub.ready;
    try {
      // Borrow until an event arrives (the subscription may register just after `ready`).
      await waitFor(
        async () => {
          await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: 'sse-check' });
          return sub.received.length > 0 ? true : undefined;
        },
        10_000,
        'an SSE event',
        { intervalMs: 50 },
      );
      expect(sub.received[0]!.tool).toBe('cad_tool');
    } finally {
      sub.close();
    }
  });
});

describe('source maps', () => {
  it('are never served in production, and the client build makes none', async () => {
    expect((await raw(`${s.url}/assets/http-bounds-probe.js.map`)).status).toBe(200); // development serves what is there
    const res = await raw(`${prod.url}/assets/http-bounds-probe.js.map`);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('secret.ts');
    const built = readdirSync(join(ROOT, 'dist/client/assets')).filter((f) => f.endsWith('.js'));
    expect(built.length).toBeGreaterThan(0);
    for (const f of built) {
      expect(readdirSync(join(ROOT, 'dist/client/assets'))).not.toContain(`${f}.map`);
      const js = await raw(`${prod.url}/assets/${f}`);
      expect(js.status).toBe(200);
      expect(js.body.toString()).not.toContain('sourceMappingURL');
    }
  });
});

describe('timeouts', () => {
  /** Opens a socket, writes `data`, never writes more; resolves with what the server sent before closing. */
  function stall(port: number, data: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(data));
      let got = '';
      sock.setEncoding('utf8').on('data', (c: string) => {
        got += c;
      });
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
      // Node's default would hold it ~300 s; the test's own timeout is the deadline.
    });
  }

  it('answers 408 and closes a request whose body stalls', async () => {
    const answer = await stall(
      s.port,
      'POST /licenses/borrow HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"tool":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('closes a connection whose headers stall', async () => {
    const answer = await stall(s.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
  }, 15_000);
});

describe('WebSocket caps', () => {
  const wsUrl = () => `${wsServer.url.replace(/^http/, 'ws')}/graphql`;

  function open(): Promise<{ ws: WebSocket; messages: any[] }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(), 'graphql-transport-ws');
      const messages: any[] = [];
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m));
        messages.push(msg);
        if (msg.type === 'connection_ack') resolve({ ws, messages });
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c;
        });
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused ${res.statusCode}`), { statusCode: res.statusCode, body })));
      });
      ws.on('error', reject);
    });
  }
  const closed = (ws: WebSocket) =>
    new Promise<void>((r) => {
      if (ws.readyState === WebSocket.CLOSED) r();
      else ws.once('close', () => r());
    });

  it('refuses subscriptions over the per-connection cap with a clear error and counts it', async () => {
    const { ws, messages } = await open();
    try {
      const q = 'subscription { poolChanged(tool: "cad_tool") { tool borrowed } }';
      for (const id of ['1', '2', '3', '4']) ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: q } }));
      const refused = await waitFor(
        () => messages.find((m) => m.type === 'error' && m.id === '4'),
        10_000,
        'an error for the 4th subscription',
        { intervalMs: 50 },
      );
      expect(refused.payload[0].message).toMatch(/Too many operations on this connection \(at most 3\)/);
      expect(refused.payload[0].extensions.code).toBe('SUBSCRIPTION_LIMIT');
      expect(messages.filter((m) => m.type === 'error' && m.id !== '4')).toEqual([]);
      expect(await metric(wsServer, 'websocket_refusals_total', 'reason="subscriptions_per_connection"')).toBeGreaterThanOrEqual(1);

      // Completing one frees a place: a new subscription is accepted and gets events.
      ws.send(JSON.stringify({ id: '1', type: 'complete' }));
      ws.send(JSON.stringify({ id: '5', type: 'subscribe', payload: { query: q } }));
      await waitFor(
        async () => {
          await postJson(`${wsServer.url}/licenses/borrow`, { tool: 'cad_tool', user: 'ws-cap' });
          return messages.find((m) => m.type === 'next' && m.id === '5');
        },
        10_000,
        'an event on subscription 5',
        { intervalMs: 50 },
      );
      expect(messages.find((m) => m.type === 'error' && m.id === '5')).toBeUndefined();
    } finally {
      ws.close();
      await closed(ws);
    }
  });

  it('refuses connections over the per-address cap with 429 and counts it', async () => {
    const first = await open();
    const second = await open();
    const refused = await open().then(
      () => undefined,
      (e: { statusCode?: number; body?: string }) => e,
    );
    expect(refused?.statusCode).toBe(429);
    expect(refused?.body).toMatch(/Too many WebSocket connections from this address \(at most 2\)/);
    expect(await metric(wsServer, 'websocket_refusals_total', 'reason="connections_per_address"')).toBeGreaterThanOrEqual(1);
    second.ws.close();
    await closed(second.ws);
    // Once one closes, the address may connect again.
    const again = await waitFor(
      () =>
        open().then(
          (c) => c,
          () => undefined,
        ),
      10_000,
      'a connection after one closed',
      { intervalMs: 50 },
    );
    for (const c of [first, again]) {
      c.ws.close();
      await closed(c.ws);
    }
  });
});

describe('/frontend-error limits', () => {
  it('refuses big reports with 413, rate-limits per address with 429 + Retry-After (REST and GraphQL share it) and counts drops', async () => {
    const big = await postJson(`${s.url}/frontend-error`, { message: 'x', stack: 'y'.repeat(45_000) });
    expect(big.status).toBe(413);
    expect(big.json.detail).toMatch(/too large.*at most 4096/);
    expect((await postJson(`${s.url}/frontend-error`, { message: 'one' })).status).toBe(200);
    expect((await gql(s.url, 'mutation { reportFrontendError(input: { message: "two" }) }')).data.reportFrontendError).toBe(true);
    const limited = await postJson(`${s.url}/frontend-error`, { message: 'three' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.detail).toMatch(/Too many frontend error reports/);
    const viaGraphql = (await gql(s.url, 'mutation { reportFrontendError(input: { message: "four" }) }')) as {
      errors?: { extensions?: { code?: string } }[];
    };
    expect(viaGraphql.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // The server writes its log asynchronously: wait for both lines, then check nothing else came.
    await s.waitForLog((l) => l.event === 'frontend_error' && l.error_message === 'two');
    expect(s.logs.filter((l) => l.event === 'frontend_error').map((l) => l.error_message)).toEqual(['one', 'two']);
    expect(await metric(s, 'frontend_errors_dropped_total', 'reason="rate_limited"')).toBe(2);
    expect(await metric(s, 'frontend_errors_dropped_total', 'reason="too_large"')).toBe(1);
  });
});

describe('the dashboard error reporter', () => {
  it('stays quiet once the server says it is over the limit: no REST fallback, no further reports', async () => {
    assertClientBuilt();
    const [server, browser] = await Promise.all([startServer({ env: { FRONTEND_ERRORS_PER_MINUTE: '2' } }), launchChromium()]);
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      watchPageErrors(page, pageErrors);
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      const reports: string[] = [];
      let answered = 0;
      const isReport = (r: import('playwright-core').Request) =>
        r.method() === 'POST' && r.url().endsWith('/graphql') && (r.postData() ?? '').includes('reportFrontendError');
      page.on('request', (r) => {
        if (r.url().endsWith('/frontend-error')) reports.push('rest');
        else if (isReport(r)) reports.push('graphql');
      });
      page.on('requestfinished', (r) => {
        if (isReport(r) || r.url().endsWith('/frontend-error')) answered += 1;
      });
      await page.goto(server.url);
      for (let i = 1; i <= 3; i++) {
        await page.evaluate((n) => {
          setTimeout(() => {
            throw new Error(`limit test ${n}`);
          }, 0);
        }, i);
        // One at a time: the next error only after the server answered this report.
        await waitFor(() => (answered >= i ? true : undefined), 10_000, `report ${i} answered`, { intervalMs: 50 });
      }
      for (let i = 4; i <= 5; i++) {
        // The error fires, its handler runs, and a report (if any) is issued within the
        // following tasks: wait for those to pass in the page, then look at the requests.
        await page.evaluate(
          (n) =>
            new Promise<void>((resolve) => {
              setTimeout(() => {
                throw new Error(`limit test ${n}`);
              }, 0);
              setTimeout(() => setTimeout(() => setTimeout(resolve, 0), 0), 0);
            }),
          i,
        );
      }
      await waitFor(
        () => (server.logs.filter((l) => l.event === 'frontend_error').length === 2 ? true : undefined),
        10_000,
        '2 reports logged',
        { intervalMs: 50 },
      );
      expect(reports).toEqual(['graphql', 'graphql', 'graphql']); // the third was refused; then the reporter paused
      expect(await metric(server, 'frontend_errors_dropped_total', 'reason="rate_limited"')).toBe(1);
      expect(pageErrors.filter((m) => !m.includes('limit test'))).toEqual([]);
      expect(consoleErrors.filter((m) => !m.includes('limit test'))).toEqual([]);
    } finally {
      await browser.close();
      await server.stop();
    }
  }, 60_000);
});

describe('413 for a large body', () => {
  it('reaches Node fetch and curl as a readable 413', async () => {
    const body = JSON.stringify({ tool: 'cad_tool', user: 'x'.repeat(5 * 1024 * 1024) });
    // Several times, with a known length and chunked: before, Node closed the socket while
    // the client was still sending and fetch failed with EPIPE (often, not every time).
    for (const chunked of [false, false, false, true, true]) {
      const res = await fetch(`${s.url}/licenses/borrow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(chunked ? { body: new Blob([body]).stream(), duplex: 'half' } : { body }),
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/Request body is too large/);
    }
    // A body under the limit, chunked, still works.
    const small = await fetch(`${s.url}/licenses/borrow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
      body: new Blob([JSON.stringify({ tool: 'cad_tool', user: 'chunked' })]).stream(),
    } as RequestInit);
    expect(small.status).toBe(200);

    const file = join(mkdtempSync(join(tmpdir(), 'floatline-413-')), 'body.json');
    writeFileSync(file, body);
    const curl = spawnSync(
      'curl',
      [
        '-s',
        '-o',
        '-',
        '-w',
        '\n%{http_code}',
        '-H',
        'content-type: application/json',
        '--data-binary',
        `@${file}`,
        `${s.url}/licenses/borrow`,
      ],
      { encoding: 'utf8' },
    );
    expect(curl.error, 'curl must be installed').toBeUndefined();
    const [text, code] = curl.stdout.split('\n');
    expect(code).toBe('413');
    expect(JSON.parse(text!).detail).toMatch(/Request body is too large/);
  });
});

describe('configuration', () => {
  it('stops with exit code 2 and names the variable when a bound is not valid', () => {
    for (const [env, message] of [
      [{ WS_MAX_CONNECTIONS_PER_ADDRESS: 'many' }, /WS_MAX_CONNECTIONS_PER_ADDRESS must be a whole number/],
      [
        { REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '9000' },
        /HEADERS_TIMEOUT_MS \(9000\) must not be larger than REQUEST_TIMEOUT_MS \(5000\)/,
      ],
    ] as const) {
      const run = spawnSync(process.execPath, SERVER_ARGS, {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          LICENSE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'floatline-')), 'l.db'),
          ...env,
        },
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
