// With REDIS_URL, live updates cross processes: a borrow served by one Floatline process
// reaches the subscribers of another that shares its database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { subscribeSse, subscribeWs } from '../helpers/live.ts';
import { redisAnswers, redisUrl } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait.ts';

const REDIS_URL = redisUrl(); // TEST_REDIS_URL, the machine's, or a throwaway redis-server
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  if (!(await redisAnswers(REDIS_URL))) throw new Error(`Redis does not answer at ${REDIS_URL} (set TEST_REDIS_URL)`);
  a = await startServer({ env: { REDIS_URL } });
  b = await startServer({ env: { REDIS_URL }, dbPath: a.dbPath });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('live updates through Redis', () => {
  it('delivers a borrow made on one process to SSE and WebSocket subscribers of the other', async () => {
    const tool = 'analysis';
    const sse = subscribeSse(a.url, `subscription { poolChanged(tool: "${tool}") { tool borrowed } }`);
    const feed = subscribeWs(a.url, `subscription { licenseEvents(tool: "${tool}") { type user at } }`);
    await Promise.all([sse.ready, feed.ready]);
    // Both subscriptions are registered on a (the WS subscribe message has landed).
    await waitFor(
      async () => {
        const text = await (await fetch(`${a.url}/metrics`)).text();
        return (
          text.includes('graphql_subscriptions_open{transport="ws"} 1\n') &&
          text.includes('graphql_subscriptions_open{transport="sse"} 1\n')
        );
      },
      10_000,
      'both subscriptions to open on a',
      { intervalMs: 20 },
    );
    const user = `redis-${Date.now()}`;
    expect((await postJson(`${b.url}/licenses/borrow`, { tool, user })).status).toBe(200);
    expect(await sse.next((p) => p.borrowed >= 1)).toMatchObject({ tool });
    const event = await feed.next((e) => e.user === user);
    expect(event.type).toBe('BORROWED');
    expect(new Date(event.at).toISOString()).toBe(event.at); // dates survive the JSON hop
    expect(a.logs.some((l) => l.event === 'redis_connected')).toBe(true);
    sse.close();
    feed.close();
  });
});
