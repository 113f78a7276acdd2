// Streams opened before their credential was revoked: a graphql-ws socket and an
// SSE subscription, on real server processes with real clients. The revoking process ends
// them at once (its cache period is set long, so only the immediate path can pass); another
// process on the same database ends them within AUTH_CACHE_SECONDS (1 s there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { subscribeSse, subscribeWs } from '../helpers/live.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

let s: RunningServer;
let other: RunningServer;

beforeAll(async () => {
  // s caches lookups for 60 s: a stream there can end within the test only by the revocation itself.
  s = await startServer({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN, AUTH_CACHE_SECONDS: '60' } });
  other = await startServer({
    dbPath: s.dbPath,
    env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN, AUTH_CACHE_SECONDS: '1' },
  });
});
afterAll(async () => {
  await other?.stop();
  await s?.stop();
});

async function token(user: string): Promise<{ secret: string; id: string }> {
  const r = await postJson(`${s.url}/auth/tokens`, { name: `live ${user}`, user, role: 'viewer' }, { headers: admin });
  expect(r.status, r.text).toBe(201);
  return { secret: r.json.token as string, id: r.json.id as string };
}

/** A WebSocket and an SSE subscription on `base`, both proven live by one borrow's event. */
async function openStreams(base: string, secret: string) {
  let closedWith = 0;
  const ws = subscribeWs(base, 'subscription { poolChanged(tool: "cad_tool") { tool borrowed } }', undefined, {
    connectionParams: { authorization: `Bearer ${secret}` },
    onClosed: (c) => (closedWith = c),
  });
  const sse = subscribeSse(base, 'subscription { licenseEvents(tool: "cad_tool") { type user } }', undefined, { headers: bearer(secret) });
  await Promise.all([ws.ready, sse.ready]);
  // Both are subscribed once they see an event (retry the borrow until each has one).
  await expect
    .poll(
      async () => {
        const b = await postJson(`${base}/licenses/borrow`, { tool: 'cad_tool', user: 'probe' }, { headers: admin });
        await postJson(`${base}/licenses/return`, { id: b.json.id }, { headers: admin });
        return ws.received.length > 0 && sse.received.length > 0;
      },
      { timeout: 10_000, interval: 100 },
    )
    .toBe(true);
  return { ws, sse, closedWith: () => closedWith };
}

const revoke = async (id: string) => {
  const r = await fetch(`${s.url}/auth/tokens/${id}`, { method: 'DELETE', headers: admin });
  expect(r.status).toBe(200);
};

describe('streams end when their credential is revoked', () => {
  it('on the revoking process at once: WebSocket closed with 4401, SSE ended with UNAUTHENTICATED', async () => {
    const t = await token('lena');
    const { ws, sse, closedWith } = await openStreams(s.url, t.secret);
    // A second token's streams must survive the first one's revocation.
    const keep = await token('otto');
    const kept = await openStreams(s.url, keep.secret);

    const started = Date.now();
    await revoke(t.id);
    await Promise.all([ws.ended, sse.ended]);
    expect(Date.now() - started).toBeLessThan(1000); // the cache period here is 60 s
    expect(closedWith()).toBe(4401);
    expect(sse.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // The other credential's streams still deliver.
    const before = kept.sse.received.length;
    const b = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: 'probe' }, { headers: admin });
    await kept.sse.next((_e) => kept.sse.received.length > before);
    await postJson(`${s.url}/licenses/return`, { id: b.json.id }, { headers: admin });
    expect(kept.closedWith()).toBe(0);
    kept.ws.close();
    kept.sse.close();

    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/auth_refusals_total\{reason="revoked_while_open"\} 2/);
  });

  it('on another process within AUTH_CACHE_SECONDS', async () => {
    const t = await token('maja');
    const { ws, sse, closedWith } = await openStreams(other.url, t.secret);
    const started = Date.now();
    await revoke(t.id);
    await Promise.all([ws.ended, sse.ended]);
    // 1 s period on `other` (+ the lookup and the close handshake); never at once there.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(closedWith()).toBe(4401);
    expect(sse.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    // And a new socket with the revoked token is refused at connection_init.
    let refused = 0;
    const again = subscribeWs(other.url, 'subscription { poolChanged { tool } }', undefined, {
      connectionParams: { authorization: `Bearer ${t.secret}` },
      onClosed: (c) => (refused = c),
    });
    await again.ended;
    expect(refused).toBe(4403);
  });
});
