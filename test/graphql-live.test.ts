// GraphQL subscriptions over real sockets (SSE and WebSocket) on a real server process,
// receiving changes made through REST by another client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './helpers/server.ts';
import { type InProcessServer as RunningServer, startInProcess } from './helpers/in-process.ts';
import { subscribeSse, subscribeWs } from './helpers/live.ts';
import { waitFor } from './helpers/wait.ts';

let s: RunningServer;
beforeAll(async () => {
  s = await startInProcess({ listen: true });
});
afterAll(async () => {
  await s?.stop();
});

/** Polls /metrics until the open-subscription gauges read as expected (or times out). */
async function waitForOpenSubscriptions(ws: number, sse: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    async () => {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      return (
        text.includes(`graphql_subscriptions_open{transport="ws"} ${ws}\n`) &&
        text.includes(`graphql_subscriptions_open{transport="sse"} ${sse}\n`)
      );
    },
    timeoutMs,
    `subscriptions open to reach ws=${ws} sse=${sse}`,
    { intervalMs: 20 },
  );
}

describe('GraphQL subscriptions', () => {
  it('pushes a REST borrow to SSE and WebSocket subscribers, pool and activity feed', async () => {
    const sseAll = subscribeSse(s.url, 'subscription { poolChanged { tool borrowed available } }');
    const sseOne = subscribeSse(s.url, 'subscription($t: String) { poolChanged(tool: $t) { tool borrowed } }', { t: 'simulation' });
    const wsPool = subscribeWs(s.url, 'subscription { poolChanged(tool: "cad_tool") { tool borrowed overage } }');
    const wsFeed = subscribeWs(s.url, 'subscription { licenseEvents { type tool user } }');
    await Promise.all([sseAll.ready, sseOne.ready, wsPool.ready, wsFeed.ready]);
    await waitForOpenSubscriptions(2, 2); // the WS subscribe messages have landed

    const b = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: 'live' });
    expect(b.status).toBe(200);
    expect(await sseAll.next((p) => p.tool === 'cad_tool')).toEqual({ tool: 'cad_tool', borrowed: 1, available: 4 });
    expect(await wsPool.next()).toEqual({ tool: 'cad_tool', borrowed: 1, overage: 0 });
    expect(await wsFeed.next()).toEqual({ type: 'BORROWED', tool: 'cad_tool', user: 'live' });
    expect(sseOne.received).toEqual([]); // filtered to another tool

    await postJson(`${s.url}/licenses/return`, { id: b.json.id });
    expect(await wsFeed.next((e) => e.type === 'RETURNED')).toEqual({ type: 'RETURNED', tool: 'cad_tool', user: 'live' });

    // A subscription to one tool hears that tool only, whether it is named by a variable
    // or inline: a simulation change between two cad_tool changes must not reach wsPool,
    // and sseOne must hear simulation's borrow and return and nothing else.
    const b2 = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: 'live' });
    const sim = await postJson(`${s.url}/licenses/borrow`, { tool: 'simulation', user: 'live' });
    await postJson(`${s.url}/licenses/return`, { id: b2.json.id });
    await postJson(`${s.url}/licenses/return`, { id: sim.json.id });
    await wsPool.next((p) => p.borrowed === 0);
    await sseOne.next((p) => p.borrowed === 0);
    expect(wsPool.received.map((p) => p.tool)).toEqual(['cad_tool', 'cad_tool', 'cad_tool', 'cad_tool']);
    expect(sseOne.received).toEqual([
      { tool: 'simulation', borrowed: 1 },
      { tool: 'simulation', borrowed: 0 },
    ]);

    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/graphql_subscriptions_open\{transport="ws"\} 2/);
    expect(metrics).toMatch(/graphql_subscriptions_open\{transport="sse"\} 2/);
    for (const sub of [sseAll, sseOne, wsPool, wsFeed]) sub.close();
  });

  it('answers a subscription to an unknown tool with an error and ends it', async () => {
    const sse = subscribeSse(s.url, 'subscription { poolChanged(tool: "nope") { tool } }');
    const ws = subscribeWs(s.url, 'subscription($t: String) { licenseEvents(tool: $t) { type } }', { t: 'nope' });
    const ended = await Promise.race([
      Promise.all([sse.ended, ws.ended]).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    expect(ended, 'both subscriptions end within 10 s').toBe(true);
    for (const sub of [sse, ws]) {
      expect(sub.errors).toEqual([
        expect.objectContaining({ message: 'Tool not found: nope', extensions: expect.objectContaining({ code: 'TOOL_NOT_FOUND' }) }),
      ]);
      expect(sub.received).toEqual([]);
    }
    sse.close();
    ws.close();
  });
});
