// A subscriber who goes away lets go of everything: the subscription ends (the open gauge
// falls back), and a queue ticket kept in line by its queueTicket subscription is no longer
// renewed, so it lapses within its lease and a freed seat goes to nobody who vanished.
// Over SSE (the fetch aborted: the TCP connection closes) and WebSocket (the socket dropped
// without a goodbye), on SQLite and PostgreSQL (the lapse is stored). In the end-to-end tier:
// the renewal loop is a real timer, so only real seconds passing with nobody renewing prove it
// stopped (a 5 s lease, the shortest allowed).
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessServer } from '../helpers/in-process.ts';
import { DATABASES, startOn } from '../helpers/each-database.ts';
import { subscribeSse } from '../helpers/live.ts';
import { waitFor } from '../helpers/wait.ts';

const TICKET = 'subscription($id: ID!) { queueTicket(id: $id) { id state position } }';

async function openGauge(s: InProcessServer, transport: 'sse' | 'ws'): Promise<number> {
  const text = await (await s.fetch('/metrics')).text();
  const m = new RegExp(`^graphql_subscriptions_open\\{transport="${transport}"\\} (\\d+)`, 'm').exec(text);
  return Number(m?.[1] ?? 0);
}

async function post(s: InProcessServer, path: string, body: unknown) {
  const r = await s.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as any };
}

/** A ticket's state as the line shows it, without asking for the ticket (which renews it). */
async function waiting(s: InProcessServer, tool: string): Promise<string[]> {
  const r = await s.fetch(`/queue?tool=${tool}`);
  return ((await r.json()) as { ticket_id: string }[]).map((t) => t.ticket_id);
}

/** A socket that goes away without a close frame: a laptop lid closed, a process killed. */
function dropAfterFirst(baseUrl: string, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.type === 'connection_ack')
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: TICKET, variables: { id } } }));
      if (msg.type === 'next') {
        ws.terminate();
        resolve();
      }
    });
    ws.on('error', reject);
  });
}

describe.each(DATABASES)('a vanished subscriber, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { listen: true });
  });
  afterAll(() => s?.stop());

  it.each(['sse', 'ws'] as const)(
    'over %s: the queueTicket subscription ends and its ticket lapses',
    async (transport) => {
      const tool = `line_${transport}`;
      expect(
        (await post(s, '/config/tools', { tool, total: 1, commit: 1, max_overage: 0, commit_price: 1, overage_price_per_license: 1 }))
          .status,
      ).toBe(201);
      const held = await post(s, '/licenses/borrow', { tool, user: 'holder' });
      expect(held.status).toBe(200);
      const queued = await post(s, '/licenses/borrow', { tool, user: 'waiter', queue: true, lease_seconds: 5 });
      expect(queued.status).toBe(202);
      const id = queued.json.ticket_id as string;
      const before = await openGauge(s, transport);

      if (transport === 'sse') {
        const sub = subscribeSse(s.url, TICKET, { id });
        expect(await sub.next()).toMatchObject({ id, state: 'WAITING' });
        expect(await openGauge(s, 'sse')).toBe(before + 1);
        sub.close();
      } else {
        await dropAfterFirst(s.url, id);
      }

      // The subscription is let go: nothing open for it stays behind.
      await waitFor(
        async () => (await openGauge(s, transport)) === before,
        10_000,
        `graphql_subscriptions_open{transport="${transport}"} back to ${before}`,
      );
      // No one renews the ticket any more: it lapses within its 5 s lease (the sweep ends it).
      await waitFor(async () => !(await waiting(s, tool)).includes(id), 20_000, 'the vanished waiter to leave the line');
      const ticket = await s.fetch(`/queue/${id}`);
      expect(((await ticket.json()) as { state: string }).state).toBe('expired');
      // A freed seat goes to no one who vanished.
      expect((await post(s, '/licenses/return', { id: held.json.id })).status).toBe(200);
      const status = (await (await s.fetch(`/licenses/${tool}/status`)).json()) as { borrowed: number };
      expect(status.borrowed).toBe(0);
    },
    60_000,
  );

  it.each([
    ['pool', 'subscription { poolChanged { tool } }'],
    ['observed pool', 'subscription { observedPoolChanged { source feature } }'],
  ])('an SSE %s subscription ends when its client goes away', async (_what, query) => {
    const before = await openGauge(s, 'sse');
    const sub = subscribeSse(s.url, query);
    await sub.ready;
    await waitFor(async () => (await openGauge(s, 'sse')) === before + 1, 10_000, 'the subscription to open');
    sub.close();
    await waitFor(async () => (await openGauge(s, 'sse')) === before, 10_000, 'the subscription to end');
  });
});
