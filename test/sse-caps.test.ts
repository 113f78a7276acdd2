// Event streams are capped like WebSockets: per client address and per signed-in identity,
// refused with 429 + Retry-After before the operation runs, counted in
// sse_refusals_total{reason}; a closed stream frees its place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { waitFor } from './helpers/wait.ts';

const ADMIN = 'an-admin-token-long-enough-123';
const SUB = 'subscription { poolChanged { tool } }';

interface Stream {
  status: number;
  body: string;
  retryAfter: string | null;
  close(): void;
}

async function open(s: InProcessServer, headers: Record<string, string> = {}): Promise<Stream> {
  const abort = new AbortController();
  const r = await fetch(`${s.url}/graphql`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: SUB }),
  });
  const body = r.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await r.text();
  return { status: r.status, body, retryAfter: r.headers.get('retry-after'), close: () => abort.abort() };
}

async function gauge(s: InProcessServer, text: RegExp): Promise<number> {
  const m = text.exec(await (await fetch(`${s.url}/metrics`)).text());
  return Number(m?.[1] ?? Number.NaN);
}
const openStreams = (s: InProcessServer) => gauge(s, /^graphql_subscriptions_open\{transport="sse"\} (\d+)/m);

describe('SSE caps per address', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({ listen: true, timers: false, env: { SSE_MAX_STREAMS_PER_ADDRESS: '3' } });
  });
  afterAll(() => s?.stop());

  it('refuses the stream over the cap with 429, and admits again once one closes', async () => {
    const streams = [await open(s), await open(s), await open(s)];
    expect(streams.map((x) => x.status)).toEqual([200, 200, 200]);
    const refused = await open(s);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('10');
    expect(JSON.parse(refused.body).errors[0]).toMatchObject({
      message: expect.stringMatching(/Too many open event streams from this address \(at most 3\)/),
      extensions: { code: 'RATE_LIMITED' },
    });
    expect(await gauge(s, /^sse_refusals_total\{reason="streams_per_address"\} (\d+)/m)).toBe(1);
    // Queries and mutations over plain JSON are not streams: never refused by the cap.
    const q = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ pools { tool } }"}',
    });
    expect(q.status).toBe(200);
    streams[0]!.close();
    await waitFor(async () => (await openStreams(s)) === 2, 10_000, 'the closed stream to end');
    const again = await open(s);
    expect(again.status).toBe(200);
    for (const x of [...streams, again]) x.close();
    await waitFor(async () => (await openStreams(s)) === 0, 10_000, 'every stream to end');
  });
});

describe('SSE caps per identity', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({
      listen: true,
      timers: false,
      env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN, SSE_MAX_STREAMS_PER_IDENTITY: '2', SSE_MAX_STREAMS_PER_ADDRESS: '100' },
    });
  });
  afterAll(() => s?.stop());

  it("one user's streams are capped; another user's are not affected", async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    const created = await fetch(`${s.url}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ name: 'viewer', user: 'vera', role: 'viewer' }),
    });
    const vera = { authorization: `Bearer ${((await created.json()) as { token: string }).token}` };
    const mine = [await open(s, vera), await open(s, vera)];
    expect(mine.map((x) => x.status)).toEqual([200, 200]);
    const refused = await open(s, vera);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).errors[0].message).toMatch(/Too many open event streams for vera \(at most 2\)/);
    expect(await gauge(s, /^sse_refusals_total\{reason="streams_per_identity"\} (\d+)/m)).toBe(1);
    const other = await open(s, admin);
    expect(other.status).toBe(200);
    for (const x of [...mine, other]) x.close();
  });
});
