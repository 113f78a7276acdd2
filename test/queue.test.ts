// The fair queue and force-release, in-process (createFloatline) on SQLite and PostgreSQL with a
// TestClock: a borrow that asks to wait gets a ticket (202), the seat a return frees goes to the
// head of the line in the same transaction, a waiter that stops polling loses its place when the
// clock passes its ticket's lease, the line survives a restart (a new Floatline on the same
// database), and an admin's revocation frees a seat and tells the holder why. Each Floatline
// also listens on loopback: the tickets are followed over SSE and WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './helpers/clock.ts';
import { DATABASES, keptDatabaseOn } from './helpers/each-database.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { subscribeSse, subscribeWs } from './helpers/live.ts';
import { gql, postJson } from './helpers/server.ts';

describe.each(DATABASES)('the queue on %s', (db) => {
  let s: InProcessServer;
  const clock = new TestClock('2026-03-10T08:00:00Z');
  let database: Awaited<ReturnType<typeof keptDatabaseOn>>;
  /** The Floatline's loopback address, for the SSE and WebSocket subscriptions alone. */
  let liveUrl: string;
  /** A Floatline on this test's database, called without a socket but for the subscriptions;
   *  the background sweep is off (the test runs it after moving the clock). */
  const start = async () => {
    const server = await startInProcess({ ...database.options, clock, timers: false });
    liveUrl = `http://127.0.0.1:${await server.floatline.listen(0, '127.0.0.1')}`;
    return server;
  };
  beforeAll(async () => {
    database = await keptDatabaseOn(db, 'floatline-queue');
    s = await start();
  });
  afterAll(async () => {
    await s?.stop();
    await database?.drop();
  });

  const json = { 'content-type': 'application/json' };
  const borrow = (body: Record<string, unknown>) => postJson(`${s.url}/licenses/borrow`, body);
  const giveBack = (id: string) => postJson(`${s.url}/licenses/return`, { id });
  const ticket = async (id: string) => {
    const r = await s.fetch(`/queue/${id}`);
    return { status: r.status, json: (await r.json()) as any };
  };
  const line = async (tool: string) => (await (await s.fetch(`/queue?tool=${tool}`)).json()) as any[];
  const status = async (tool: string) => (await (await s.fetch(`/licenses/${tool}/status`)).json()) as any;
  const createPool = (tool: string, total: number, extra: Record<string, unknown> = {}) =>
    postJson(`${s.url}/config/tools`, {
      tool,
      total,
      commit: total,
      max_overage: 0,
      commit_price: 100,
      overage_price_per_license: 10,
      ...extra,
    });
  describe('a fair queue', () => {
    it('1 seat: A holds, B and C queue (1, 2), D without queue is refused; A returns → B granted at once and hears it, C moves to 1; C goes silent → its ticket expires (15 s lease); the line survives a restart', async () => {
      expect((await createPool('solver1', 1)).status).toBe(201);
      const a = await borrow({ tool: 'solver1', user: 'alice' });
      expect(a.status).toBe(200);
      const b = await borrow({ tool: 'solver1', user: 'bob', queue: true, lease_seconds: 60, host: 'node-b' });
      const c = await borrow({ tool: 'solver1', user: 'carol', queue: true, lease_seconds: 15 });
      expect(b.status).toBe(202);
      expect(Object.keys(b.json).slice(0, 6)).toEqual(['ticket_id', 'tool', 'user', 'position', 'queued_at', 'expires_at']);
      expect(b.json).toMatchObject({ tool: 'solver1', user: 'bob', position: 1, state: 'waiting', host: 'node-b' });
      expect(c.json).toMatchObject({ position: 2, state: 'waiting' });
      expect(Date.parse(c.json.expires_at) - Date.parse(c.json.queued_at)).toBe(15_000);

      // Nobody jumps the line: 409 with today's message, and the status says why there is no free seat.
      const d = await borrow({ tool: 'solver1', user: 'dave' });
      expect(d).toMatchObject({ status: 409, json: { detail: 'No licenses available for solver1' } });
      expect(await status('solver1')).toMatchObject({ borrowed: 1, lendable: 0, queued: 2 });
      expect((await line('solver1')).map((t) => [t.user, t.position])).toEqual([
        ['bob', 1],
        ['carol', 2],
      ]);

      // B follows its ticket over SSE, C over WebSocket.
      const bSub = subscribeSse(liveUrl, 'subscription($id: ID!) { queueTicket(id: $id) { state position borrow { id user } } }', {
        id: b.json.ticket_id,
      });
      const cSub = subscribeWs(liveUrl, 'subscription($id: ID!) { queueTicket(id: $id) { state position } }', { id: c.json.ticket_id });
      await bSub.next((v) => v.state === 'WAITING');
      await cSub.next((v) => v.position === 2);

      expect((await giveBack(a.json.id)).status).toBe(200);
      // Granted in the return's own transaction: the seat is bob's before anyone else could ask.
      const granted = await bSub.next((v) => v.state === 'GRANTED', 1000);
      expect(granted.borrow).toMatchObject({ user: 'bob' });
      expect(await status('solver1')).toMatchObject({ borrowed: 1, lendable: 0, queued: 1 });
      expect((await cSub.next((v) => v.position === 1)).state).toBe('WAITING');
      cSub.close(); // carol goes silent: no poll, no subscription
      const polled = await ticket(b.json.ticket_id);
      expect(polled.json).toMatchObject({ state: 'granted', position: null, borrow: { user: 'bob', host: 'node-b' } });
      expect(Date.parse(polled.json.borrow.expires_at) - Date.parse(polled.json.borrow.borrowed_at)).toBe(60_000);

      // The line survives a restart of the server.
      const e = await borrow({ tool: 'solver1', user: 'erin', queue: true, lease_seconds: 120 });
      expect(e.json.position).toBe(2);
      await s.stop();
      s = await start();
      expect((await line('solver1')).map((t) => t.user)).toEqual(['carol', 'erin']);

      // carol's 15 s lease lapses (she stopped polling before the restart): she leaves the line and erin moves up.
      // Watched through the line (GET /queue/<id> would renew her ticket: it is how a waiter stays in line).
      clock.advance(14_000);
      await s.floatline.licenses.sweepLeases();
      expect((await line('solver1')).map((t) => t.user)).toEqual(['carol', 'erin']);
      clock.advance(2_000);
      await s.floatline.licenses.sweepLeases();
      expect((await line('solver1')).map((t) => t.user)).toEqual(['erin']);
      const gone = (await ticket(c.json.ticket_id)).json;
      expect(gone.state).toBe('expired');
      expect(gone).toMatchObject({ position: null, expires_at: null, borrow: null });
      expect((await line('solver1')).map((t) => [t.user, t.position])).toEqual([['erin', 1]]);
      await s.waitForLog((l) => l.event === 'left_queue' && l.ticket_id === c.json.ticket_id && l.reason === 'expired');

      // erin leaves the line herself; bob gives the seat back; the pool is empty and can go.
      const left = await s.fetch(`/queue/${e.json.ticket_id}`, { method: 'DELETE' });
      expect(left.status).toBe(200);
      expect(await left.json()).toMatchObject({ state: 'cancelled' });
      expect((await giveBack(polled.json.borrow.id)).status).toBe(200);
      expect(await status('solver1')).toMatchObject({ borrowed: 0, lendable: 1, queued: 0 });
      const types = (
        await gql(s.url, '{ events(tool: "solver1", first: 50) { edges { node { type user leftBecause } } } }')
      ).data.events.edges
        .map((x: any) => x.node)
        .reverse();
      expect(types.map((x: any) => `${x.type}:${x.user ?? ''}${x.leftBecause ? `:${x.leftBecause}` : ''}`)).toEqual([
        'POOL_CREATED:',
        'BORROWED:alice',
        'QUEUED:bob',
        'QUEUED:carol',
        'DENIED:dave',
        'RETURNED:alice',
        'GRANTED:bob',
        'QUEUED:erin',
        'LEFT_QUEUE:carol:expired',
        'LEFT_QUEUE:erin:cancelled',
        'RETURNED:bob',
      ]);
      bSub.close();
    });

    it('a borrow with queue: true takes a free seat at once (200); a retry with its key answers the same ticket, then the granted borrow', async () => {
      expect((await createPool('solver2', 1)).status).toBe(201);
      const first = await borrow({ tool: 'solver2', user: 'ann', queue: true });
      expect(first.status).toBe(200);
      const waiting = await Promise.all(
        Array.from({ length: 10 }, () => borrow({ tool: 'solver2', user: 'ben', queue: true, idempotency_key: 'ben-job-1' })),
      );
      expect(new Set(waiting.map((r) => `${r.status} ${r.json.ticket_id}`)).size).toBe(1);
      expect(waiting[0]).toMatchObject({ status: 202, json: { position: 1 } });
      expect(await status('solver2')).toMatchObject({ queued: 1 });
      await giveBack(first.json.id);
      const again = await borrow({ tool: 'solver2', user: 'ben', queue: true, idempotency_key: 'ben-job-1' });
      expect(again.status).toBe(200);
      expect((await ticket(waiting[0]!.json.ticket_id)).json.borrow_id).toBe(again.json.id);
      // Leaving after the grant is refused: the seat is the waiter's, to return.
      const late = await s.fetch(`/queue/${waiting[0]!.json.ticket_id}`, { method: 'DELETE' });
      expect(late.status).toBe(409);
      expect(((await late.json()) as any).detail).toContain(again.json.id);
      await giveBack(again.json.id);
    });

    it('a budget that grows seats the line at once; a pool with waiters cannot be retired', async () => {
      expect((await createPool('solver3', 1)).status).toBe(201);
      const held = await borrow({ tool: 'solver3', user: 'h' });
      const w1 = await borrow({ tool: 'solver3', user: 'w1', queue: true });
      const w2 = await borrow({ tool: 'solver3', user: 'w2', queue: true });
      expect((await s.fetch(`/config/tools/solver3`, { method: 'DELETE' })).status).toBe(409);
      const grown = await s.fetch(`/config/budget`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ tool: 'solver3', total: 2, commit: 2, max_overage: 0, commit_price: 100, overage_price_per_license: 10 }),
      });
      expect(grown.status).toBe(200);
      expect(await status('solver3')).toMatchObject({ borrowed: 2, queued: 1, lendable: 0 });
      expect((await ticket(w1.json.ticket_id)).json.state).toBe('granted');
      expect((await ticket(w2.json.ticket_id)).json).toMatchObject({ state: 'waiting', position: 1 });
      const refused = await s.fetch(`/config/tools/solver3`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as any).detail).toMatch(/2 seat\(s\) are borrowed and 1 ticket\(s\) wait/);
      await s.fetch(`/queue/${w2.json.ticket_id}`, { method: 'DELETE' });
      await giveBack(held.json.id);
      await giveBack((await ticket(w1.json.ticket_id)).json.borrow_id);
      expect((await s.fetch(`/config/tools/solver3`, { method: 'DELETE' })).status).toBe(200);
    });

    it('GraphQL: borrowLicense(queue: true) answers a QueueTicket; cancelQueueTicket; unknown tickets', async () => {
      expect((await createPool('solver4', 1)).status).toBe(201);
      const held = await borrow({ tool: 'solver4', user: 'h' });
      const q = await gql(
        s.url,
        'mutation { borrowLicense(tool: "solver4", user: "g", queue: true) { __typename ... on QueueTicket { id position state } } }',
      );
      expect(q.data.borrowLicense).toMatchObject({ __typename: 'QueueTicket', position: 1, state: 'WAITING' });
      const plain = await gql(
        s.url,
        'mutation { borrowLicense(tool: "solver4", user: "x") { __typename ... on NoLicenseAvailable { reason } } }',
      );
      expect(plain.data.borrowLicense).toEqual({ __typename: 'NoLicenseAvailable', reason: 'EXHAUSTED' });
      const listed = await gql(s.url, '{ queue(tool: "solver4") { totalCount edges { node { user position } } } }');
      expect(listed.data.queue).toEqual({ totalCount: 1, edges: [{ node: { user: 'g', position: 1 } }] });
      const cancelled = await gql(
        s.url,
        `mutation { cancelQueueTicket(id: "${q.data.borrowLicense.id}") { __typename ... on QueueTicket { state position } } }`,
      );
      expect(cancelled.data.cancelQueueTicket).toEqual({ __typename: 'QueueTicket', state: 'CANCELLED', position: null });
      const unknown = await gql(s.url, 'mutation { cancelQueueTicket(id: "nope") { __typename ... on TicketNotFound { message } } }');
      expect(unknown.data.cancelQueueTicket).toEqual({ __typename: 'TicketNotFound', message: 'Queue ticket not found' });
      expect(await ticket('nope')).toEqual({ status: 404, json: { detail: 'Queue ticket not found' } });
      expect((await s.fetch(`/queue?tool=plotter`)).status).toBe(404);
      expect((await s.fetch(`/queue`)).status).toBe(422);
      await giveBack(held.json.id);
    });
  });

  describe('force-release', () => {
    it('revoke frees the seat for the line, records the reason; the holder’s heartbeat is 410 naming the revocation', async () => {
      expect((await createPool('solver5', 1)).status).toBe(201);
      const held = await borrow({ tool: 'solver5', user: 'stuck', lease_seconds: 600 });
      const waiter = await borrow({ tool: 'solver5', user: 'next', queue: true });
      const before = await (await s.fetch(`/metrics`)).text();
      expect(before).toMatch(/license_seats_held\{tool="solver5",lease="with_lease"\} 1/);
      expect(before).toMatch(/license_queue_length\{tool="solver5"\} 1/);

      expect(await postJson(`${s.url}/licenses/revoke`, { id: held.json.id })).toMatchObject({ status: 422 });
      const r = await postJson(`${s.url}/licenses/revoke`, { id: held.json.id, reason: 'job hung on node 7' });
      expect(r).toMatchObject({
        status: 200,
        json: { status: 'ok', id: held.json.id, tool: 'solver5', user: 'stuck', reason: 'job hung on node 7' },
      });
      expect(await postJson(`${s.url}/licenses/revoke`, { id: held.json.id, reason: 'again' })).toMatchObject({ status: 404 });
      const beat = await postJson(`${s.url}/licenses/heartbeat`, { id: held.json.id });
      expect(beat.status).toBe(410);
      expect(beat.json.detail).toBe('This borrow was revoked by an admin and its seat released: job hung on node 7');
      const g = await gql(s.url, `mutation { heartbeat(id: "${held.json.id}") { __typename ... on BorrowRevoked { reason } } }`);
      expect(g.data.heartbeat).toEqual({ __typename: 'BorrowRevoked', reason: 'job hung on node 7' });
      expect((await ticket(waiter.json.ticket_id)).json.state).toBe('granted');

      const events = (await gql(s.url, '{ events(tool: "solver5", first: 10) { edges { node { type revocationReason } } } }')).data.events
        .edges;
      expect(events.map((e: any) => e.node)).toContainEqual({ type: 'REVOKED', revocationReason: 'job hung on node 7' });
      await s.waitForLog((l) => l.event === 'seat_revoked' && l.borrow_id === held.json.id && l.reason === 'job hung on node 7');
      const after = await (await s.fetch(`/metrics`)).text();
      expect(after).toMatch(/license_revocations_total\{tool="solver5"\} 1/);
      expect(after).toMatch(/license_queue_wait_seconds_count\{tool="solver5"\} 1/);

      const viaGraphql = await gql(
        s.url,
        `mutation { revokeBorrow(id: "${(await ticket(waiter.json.ticket_id)).json.borrow_id}", reason: "maintenance") {
        __typename ... on Revocation { reason borrow { user } } } }`,
      );
      expect(viaGraphql.data.revokeBorrow).toEqual({ __typename: 'Revocation', reason: 'maintenance', borrow: { user: 'next' } });
      expect(await status('solver5')).toMatchObject({ borrowed: 0, queued: 0, lendable: 1 });
    });
  });
});
