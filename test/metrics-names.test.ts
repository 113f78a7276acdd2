// A real scrape of /metrics, after traffic on every kind of metric (borrows and refusals,
// REST and GraphQL requests, a subscription), is accepted by Prometheus's own linter:
// `promtool check metrics` (names, types, suffixes, help texts). A missing promtool is a
// failure: scripts/ensure-test-tools.sh installs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { gql, postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcess({ listen: true });
});
afterAll(async () => {
  await s?.stop();
});

describe('/metrics', () => {
  it('passes promtool check metrics', async () => {
    const b = await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: 'lint' });
    expect(b.status).toBe(200);
    await postJson(`${s.url}/licenses/borrow`, { tool: 'nope', user: 'lint' });
    await postJson(`${s.url}/licenses/return`, { id: b.json.id });
    expect((await gql(s.url, '{ pools { tool } }')).data.pools).toHaveLength(3);
    const scrape = await fetch(`${s.url}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/^license_pool_seats\{tool="analysis"\} 2$/m);
    expect(text).not.toMatch(/^license_pool_total/m);

    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.error, 'promtool runs (scripts/ensure-test-tools.sh installs it)').toBeUndefined();
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
