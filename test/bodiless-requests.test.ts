// Requests with no body that still say `Content-Type: application/json` (what many HTTP
// wrappers send on every request): an empty body is no body, not a JSON decode error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeEach(async () => {
  s = await startInProcess();
});
afterEach(async () => {
  await s?.stop();
});

const JSON_TYPE = { 'content-type': 'application/json' };

describe('bodiless requests with Content-Type: application/json', () => {
  it('DELETE with an empty JSON body leaves the line and retires a pool', async () => {
    for (let i = 0; i < 2; i++) expect((await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: `u${i}` })).status).toBe(200);
    const queued = await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: 'waiter', queue: true });
    expect(queued.status).toBe(202);
    const left = await s.fetch(`/queue/${queued.json.ticket_id}`, { method: 'DELETE', headers: JSON_TYPE, body: '' });
    expect(left.status).toBe(200);
    expect(await left.json()).toMatchObject({ ticket_id: queued.json.ticket_id, state: 'cancelled' });

    const created = await postJson(`${s.url}/config/tools`, {
      tool: 'spare',
      total: 1,
      commit: 1,
      max_overage: 0,
      commit_price: 1,
      overage_price_per_license: 1,
    });
    expect(created.status).toBe(201);
    // No body at all, only the header (fetch sends Content-Length: 0).
    const retired = await s.fetch('/config/tools/spare', { method: 'DELETE', headers: JSON_TYPE });
    expect(retired.status).toBe(200);
    expect(await retired.json()).toEqual({ status: 'ok', tool: 'spare' });
  });

  it('POST with an empty JSON body signs out, and whitespace counts as empty', async () => {
    const out = await s.fetch('/auth/logout', { method: 'POST', headers: JSON_TYPE, body: '' });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ status: 'ok' });
    const blank = await s.fetch('/auth/logout', { method: 'POST', headers: JSON_TYPE, body: ' \n' });
    expect(blank.status).toBe(200);
  });

  it('a route that needs a body still names what is missing, and malformed JSON is still refused', async () => {
    const empty = await s.fetch('/licenses/return', { method: 'POST', headers: JSON_TYPE, body: '' });
    expect(empty.status).toBe(422);
    expect(JSON.stringify(await empty.json())).toMatch(/body/);
    const malformed = await s.fetch('/licenses/return', { method: 'POST', headers: JSON_TYPE, body: '{"id": ' });
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toMatchObject({ detail: [{ loc: ['body'], type: 'json_invalid' }] });
  });
});
