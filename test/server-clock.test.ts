// The clock the server takes (createFloatline(config, { clock }), server/clock.ts): what a
// user sees of time — borrow and event stamps, a lease's expiry, the sweep releasing it, a
// heartbeat refused after it, a queue ticket's lease — follows the clock, not the wall.
// Hours of clock pass in milliseconds of test.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, postJson } from './helpers/server.ts';
import { type InProcessServer, startInProcess } from './helpers/in-process.ts';
import { TestClock } from './helpers/clock.ts';

const clock = new TestClock('2026-03-15T10:00:00Z');
let server: InProcessServer;
beforeAll(async () => {
  // No background timers: the test runs the sweep's tick itself, after moving the clock.
  server = await startInProcess({ clock, timers: false });
});
afterAll(async () => {
  await server?.stop();
});

it('a borrow and its return are stamped with the clock, in the answer and in the history', async () => {
  clock.set('2026-03-15T10:00:00Z');
  const borrow = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'clocked' });
  expect(borrow.status).toBe(200);
  expect(borrow.json.borrowed_at).toBe('2026-03-15T10:00:00.000Z');
  clock.advance(90 * 60_000);
  expect((await postJson(`${server.url}/licenses/return`, { id: borrow.json.id })).status).toBe(200);
  const events = await gql<{ events: { nodes: { type: string; at: string; user: string }[] } }>(
    server.url,
    '{ events(tool: "cad_tool", first: 5) { nodes { type at user } } }',
  );
  const at = (type: string) => events.data!.events.nodes.find((e) => e.user === 'clocked' && e.type === type)!.at;
  expect(at('BORROWED')).toBe('2026-03-15T10:00:00.000Z');
  expect(at('RETURNED')).toBe('2026-03-15T11:30:00.000Z');
});

it('a lease runs out when the clock passes it: renewed before, swept and refused after', async () => {
  clock.set('2026-03-15T12:00:00Z');
  const borrow = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'leased', lease_seconds: 60 });
  expect(borrow.status).toBe(200);
  expect(borrow.json.expires_at).toBe('2026-03-15T12:01:00.000Z');
  clock.advance(50_000);
  const renewed = await postJson(`${server.url}/licenses/heartbeat`, { id: borrow.json.id });
  expect(renewed.status).toBe(200);
  expect(renewed.json.expires_at).toBe('2026-03-15T12:01:50.000Z');
  // The sweep at 12:01:49 finds nothing overdue; at 12:01:51 it releases the seat.
  clock.set('2026-03-15T12:01:49Z');
  expect(await server.floatline.licenses.sweepLeases()).toBe(0);
  clock.set('2026-03-15T12:01:51Z');
  expect(await server.floatline.licenses.sweepLeases()).toBe(1);
  const status = await (await server.fetch('/licenses/analysis/status')).json();
  expect(status).toMatchObject({ borrowed: 0 });
  expect((await postJson(`${server.url}/licenses/heartbeat`, { id: borrow.json.id })).status).toBe(410);
});

it('a waiter whose ticket lease lapses on the clock leaves the line', async () => {
  clock.set('2026-03-15T14:00:00Z');
  const held = await Promise.all(['h1', 'h2'].map((user) => postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user })));
  for (const h of held) expect(h.status).toBe(200);
  const waiter = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'w', queue: true, lease_seconds: 60 });
  expect(waiter.status).toBe(202);
  clock.advance(61_000);
  await server.floatline.licenses.sweepLeases();
  const ticket = await (await server.fetch(`/queue/${waiter.json.ticket_id}`)).json();
  expect(ticket.state).not.toBe('waiting');
});
