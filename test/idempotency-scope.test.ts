// Idempotency keys belong to their borrower: another user's key cannot be squatted (a
// second user's borrow with it gets its own seat) nor probed (no 422 tells that it is
// taken). A retry still answers the retrier's own borrow or place in line. SQLite and
// PostgreSQL (the key is stored, unique per user).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessServer } from './helpers/in-process.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';

async function borrow(s: InProcessServer, body: Record<string, unknown>) {
  const r = await s.fetch('/licenses/borrow', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as any };
}

describe.each(DATABASES)('idempotency keys per user, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { timers: false });
  });
  afterAll(() => s?.stop());

  it('the same key from two users is two borrows; each retry answers its own', async () => {
    const bob = await borrow(s, { tool: 'cad_tool', user: 'bob', idempotency_key: 'bobkey' });
    expect(bob.status).toBe(200);
    const mallory = await borrow(s, { tool: 'simulation', user: 'mallory', idempotency_key: 'bobkey' });
    expect(mallory.status).toBe(200);
    expect(mallory.json).toMatchObject({ tool: 'simulation', user: 'mallory' });
    expect(mallory.json.id).not.toBe(bob.json.id);
    const bobAgain = await borrow(s, { tool: 'cad_tool', user: 'bob', idempotency_key: 'bobkey' });
    expect(bobAgain.json).toEqual(bob.json);
    const malloryAgain = await borrow(s, { tool: 'simulation', user: 'mallory', idempotency_key: 'bobkey' });
    expect(malloryAgain.json).toEqual(mallory.json);
    // Your own key for another tool is still refused.
    const reused = await borrow(s, { tool: 'analysis', user: 'bob', idempotency_key: 'bobkey' });
    expect(reused.status).toBe(422);
    expect(reused.json.detail[0]).toMatchObject({ loc: ['body', 'idempotency_key'], type: 'idempotency_key_reused' });
    const status = (await (await s.fetch('/licenses/status')).json()) as { tool: string; borrowed: number }[];
    expect(Object.fromEntries(status.map((p) => [p.tool, p.borrowed]))).toMatchObject({ cad_tool: 1, simulation: 1, analysis: 0 });
  });

  it('places in line are per user too', async () => {
    for (const user of ['a1', 'a2']) expect((await borrow(s, { tool: 'analysis', user })).status).toBe(200);
    const first = await borrow(s, { tool: 'analysis', user: 'w1', queue: true, idempotency_key: 'line' });
    const second = await borrow(s, { tool: 'analysis', user: 'w2', queue: true, idempotency_key: 'line' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.ticket_id).not.toBe(first.json.ticket_id);
    expect(second.json).toMatchObject({ user: 'w2', position: 2 });
    const retry = await borrow(s, { tool: 'analysis', user: 'w2', queue: true, idempotency_key: 'line' });
    expect(retry.json.ticket_id).toBe(second.json.ticket_id);
  });
});
