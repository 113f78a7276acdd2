// The controlled clock that statement and billing tests rely on (helpers/clock-preload.mjs):
// the server's idea of "now" is the instant the test sets, and real time again when cleared.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, postJson, type RunningServer, startServer } from './helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ clock: true });
});
afterAll(async () => {
  await server?.stop();
});

it('a borrow made while the test clock says 2026-03-15 10:00 is recorded at that instant', async () => {
  server.setClock('2026-03-15T10:00:00Z');
  const borrow = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'clocked' });
  expect(borrow.status).toBe(200);
  const b = borrow.json as { borrowed_at: string; id: string };
  expect(new Date(b.borrowed_at).toISOString()).toBe('2026-03-15T10:00:00.000Z');
  server.setClock(null);
  const ret = await postJson(`${server.url}/licenses/return`, { id: b.id });
  expect(ret.status).toBe(200);
  const events = await gql<{ events: { nodes: { type: string; at: string }[] } }>(
    server.url,
    '{ events(tool: "cad_tool", first: 5) { nodes { type at } } }',
  );
  const at = (type: string) => Date.parse(events.data!.events.nodes.find((e) => e.type === type)!.at);
  expect(at('BORROWED')).toBe(Date.parse('2026-03-15T10:00:00Z'));
  // Cleared: the return is stamped with the real time, which is after the pretended one.
  expect(Math.abs(at('RETURNED') - Date.now())).toBeLessThan(60_000);
});
