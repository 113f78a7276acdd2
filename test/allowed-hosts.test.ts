// DNS rebinding: a page on a domain the attacker re-points at this server reaches it as
// same-origin, sending its own name as Host. Every door answers such a Host 421 before
// anything runs, in open and required mode; localhost, IP literals, PUBLIC_URL's host and
// ALLOWED_HOSTS keep working. Real sockets: the Host header is sent exactly as given.
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

interface Answer {
  status: number;
  body: string;
}

function send(
  port: number,
  host: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { host, ...(body ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          // An SSE stream that was let in never ends by itself: its head is the answer.
          if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function upgrade(port: number, host: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', { headers: { host } });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(String(res.statusCode));
      res.destroy();
    });
    ws.on('error', () => resolve('error'));
  });
}

const BORROW = JSON.stringify({ tool: 'cad_tool', user: 'mallory' });
const GQL = JSON.stringify({ query: 'mutation { borrowLicense(tool: "cad_tool", user: "mallory") { __typename } }' });

describe.each(['open', 'required'] as const)('Host allow-list, AUTH_MODE=%s', (mode) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({
      listen: true,
      timers: false,
      env: {
        AUTH_MODE: mode,
        ALLOWED_HOSTS: 'floatline.example.com, *.corp.example, pinned.example:9443',
        PUBLIC_URL: 'https://licenses.example.org',
        ...(mode === 'required' ? { FLOATLINE_ADMIN_TOKEN: 'an-admin-token-long-enough-123' } : {}),
      },
    });
  });
  afterAll(() => s?.stop());

  it('refuses a rebinding Host with 421 on every door, before anything runs', async () => {
    const evil = `evil.example:${s.port}`;
    const doors: [string, string, string?][] = [
      ['POST', '/licenses/borrow', BORROW],
      ['GET', '/licenses/status'],
      ['POST', '/graphql', GQL],
      ['GET', `/graphql?query=${encodeURIComponent('subscription { poolChanged { tool } }')}`],
      ['GET', '/'],
      ['GET', '/healthz'],
      ['GET', '/metrics'],
      ['GET', '/no-such-route'],
    ];
    for (const [method, path, body] of doors) {
      const a = await send(s.port, evil, method, path, body, { origin: `http://${evil}`, accept: 'text/event-stream, application/json' });
      expect(a.status, `${method} ${path}`).toBe(421);
      expect(JSON.parse(a.body).detail).toContain('ALLOWED_HOSTS');
      expect(JSON.parse(a.body).detail).toContain('evil.example');
    }
    expect(await upgrade(s.port, evil)).toBe('421');
    // Nothing was borrowed.
    const status = await send(s.port, `127.0.0.1:${s.port}`, 'GET', '/licenses/status', undefined, {
      authorization: 'Bearer an-admin-token-long-enough-123',
    });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body).find((p: { tool: string }) => p.tool === 'cad_tool').borrowed).toBe(0);
  });

  it('refuses look-alikes of the allowed names', async () => {
    for (const host of [
      'floatline.example.com.evil.example',
      'evilfloatline.example.com',
      'corp.example',
      `pinned.example:${s.port}`,
      'localhost.evil.example',
      'licenses.example.org.evil.example',
      'a b',
    ]) {
      expect((await send(s.port, host, 'GET', '/healthz')).status, JSON.stringify(host)).toBe(421);
    }
    expect(await upgrade(s.port, 'x.evil.example')).toBe('421');
  });

  it('serves localhost, IP literals, PUBLIC_URL and ALLOWED_HOSTS', async () => {
    for (const host of [
      `localhost:${s.port}`,
      'LocalHost.',
      `dash.localhost:${s.port}`,
      `127.0.0.1:${s.port}`,
      `[::1]:${s.port}`,
      '10.42.0.17:8000',
      'licenses.example.org',
      `floatline.example.com:${s.port}`,
      'FLOATLINE.example.com',
      'a.corp.example',
      'b.a.corp.example:8000',
      'pinned.example:9443',
    ]) {
      expect((await send(s.port, host, 'GET', '/healthz')).status, host).toBe(200);
    }
    expect(await upgrade(s.port, `localhost:${s.port}`)).toBe('open');
  });

  it('counts refusals in http_misdirected_refused_total', async () => {
    await send(s.port, 'counted.evil.example', 'GET', '/healthz');
    const metrics = await send(s.port, 'localhost', 'GET', '/metrics');
    expect(metrics.body).toMatch(/http_misdirected_refused_total\{transport="http"\} [1-9]/);
    expect(metrics.body).toMatch(/http_misdirected_refused_total\{transport="ws"\} [1-9]/);
  });
});

describe('Host allow-list defaults', () => {
  it('without ALLOWED_HOSTS, only localhost and IP literals are served', async () => {
    const s = await startInProcess({ listen: true, timers: false });
    try {
      expect((await send(s.port, `127.0.0.1:${s.port}`, 'POST', '/licenses/borrow', BORROW)).status).toBe(200);
      const rebound = await send(s.port, `evil.example:${s.port}`, 'POST', '/licenses/borrow', BORROW, {
        origin: `http://evil.example:${s.port}`,
      });
      expect(rebound.status).toBe(421);
    } finally {
      await s.stop();
    }
  });

  it('refuses a malformed ALLOWED_HOSTS at start-up, naming it', async () => {
    await expect(startInProcess({ env: { ALLOWED_HOSTS: 'https://x.example/' } })).rejects.toThrow(/ALLOWED_HOSTS must be/);
  });
});
