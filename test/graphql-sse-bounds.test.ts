// graphql-sse's single-connection reservations (PUT /graphql/stream) are bounded: each takes a
// place under the SSE caps (SSE_MAX_STREAMS_PER_ADDRESS / _PER_IDENTITY) until a stream opens
// it or it lapses (SSE_STREAM_RESERVATION_MS); over the cap a PUT is 429 with Retry-After and a
// GraphQL error, counted in sse_refusals_total. The plugin itself keeps them forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { waitFor } from './helpers/wait.ts';

const TOKEN = 'x-graphql-event-stream-token';

async function metric(s: InProcessServer, pattern: RegExp): Promise<number> {
  const m = pattern.exec(await (await fetch(`${s.url}/metrics`)).text());
  return Number(m?.[1] ?? Number.NaN);
}
const reservations = (s: InProcessServer) => metric(s, /^sse_stream_reservations (\d+)/m);
const refusals = (s: InProcessServer) => metric(s, /^sse_refusals_total\{reason="streams_per_address"\} (\d+)/m);

const reserve = (s: InProcessServer) => fetch(`${s.url}/graphql/stream`, { method: 'PUT' });

describe('graphql-sse reservations are capped per address', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    // A long expiry: nothing lapses during this test.
    s = await startInProcess({
      listen: true,
      timers: false,
      env: { SSE_MAX_STREAMS_PER_ADDRESS: '3', SSE_STREAM_RESERVATION_MS: '600000' },
    });
  });
  afterAll(() => s?.stop());

  it('refuses PUTs past the cap with 429, and an opened reservation keeps its place until it closes', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await reserve(s);
      expect(r.status).toBe(201);
      tokens.push(await r.text());
    }
    for (let i = 0; i < 5; i++) {
      const refused = await reserve(s);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('10');
      expect(JSON.parse(await refused.text()).errors[0]).toMatchObject({
        message: expect.stringMatching(/Too many open event streams from this address \(at most 3\)/),
        extensions: { code: 'RATE_LIMITED' },
      });
    }
    expect(await refusals(s)).toBe(5);
    expect(await reservations(s)).toBe(3);

    // Opening a reservation moves its place to the stream (no second place taken, none
    // freed): a new reservation is still refused while all three are held.
    const abort = new AbortController();
    const opened = await fetch(`${s.url}/graphql/stream`, {
      signal: abort.signal,
      headers: { accept: 'text/event-stream', [TOKEN]: tokens[0]! },
    });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await reservations(s)).toBe(2);
    expect((await reserve(s)).status).toBe(429);

    // The stream closes: its place is free for a new reservation.
    abort.abort();
    await waitFor(async () => (await reserve(s)).status === 201, 10_000, 'the closed stream to free its place');
  });
});

describe('an unused graphql-sse reservation lapses', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({ listen: true, timers: false, env: { SSE_MAX_STREAMS_PER_ADDRESS: '2', SSE_STREAM_RESERVATION_MS: '300' } });
  });
  afterAll(() => s?.stop());

  it('frees its place and its token after SSE_STREAM_RESERVATION_MS', async () => {
    const first = await reserve(s);
    expect(first.status).toBe(201);
    const token = await first.text();
    expect((await reserve(s)).status).toBe(201);
    expect((await reserve(s)).status).toBe(429);

    await waitFor(async () => (await reservations(s)) === 0, 10_000, 'both reservations to lapse');
    // The plugin no longer knows the token: an operation for it finds no stream.
    await waitFor(
      async () => {
        const r = await fetch(`${s.url}/graphql/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN]: token },
          body: JSON.stringify({ query: '{ version }', extensions: { operationId: '1' } }),
        });
        return r.status === 404;
      },
      10_000,
      'the plugin to drop the lapsed stream',
    );
    // And the places are free again.
    expect((await reserve(s)).status).toBe(201);
    expect((await reserve(s)).status).toBe(201);
  });
});

describe('graphql-sse reservations are capped per identity (AUTH_MODE=required)', () => {
  const ADMIN = 'an-admin-token-long-enough-456';
  const auth = { authorization: `Bearer ${ADMIN}` };
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({
      listen: true,
      timers: false,
      env: {
        AUTH_MODE: 'required',
        FLOATLINE_ADMIN_TOKEN: ADMIN,
        SSE_MAX_STREAMS_PER_IDENTITY: '2',
        SSE_MAX_STREAMS_PER_ADDRESS: '100',
        SSE_STREAM_RESERVATION_MS: '300',
      },
    });
  });
  afterAll(() => s?.stop());

  it('refuses the identity past its cap, and its reservations lapse', async () => {
    const put = () => fetch(`${s.url}/graphql/stream`, { method: 'PUT', headers: auth });
    const first = await put();
    expect(first.status).toBe(201);
    const token = await first.text();
    expect((await put()).status).toBe(201);
    const refused = await put();
    expect(refused.status).toBe(429);
    expect(JSON.parse(await refused.text()).errors[0].message).toMatch(/Too many open event streams for .* \(at most 2\)/);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^sse_refusals_total\{reason="streams_per_identity"\} 1$/m);
    await waitFor(async () => (await reservations(s)) === 0, 10_000, 'the reservations to lapse');
    await waitFor(
      async () => {
        const r = await fetch(`${s.url}/graphql/stream`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', [TOKEN]: token },
          body: JSON.stringify({ query: '{ version }', extensions: { operationId: '1' } }),
        });
        return r.status === 404;
      },
      10_000,
      'the plugin to drop the lapsed stream',
    );
    expect((await put()).status).toBe(201);
  });
});
