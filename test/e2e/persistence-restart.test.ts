// Data survives a restart of the server process (a real one): borrows, charges, budgets,
// history and the metrics computed from them; seeding on restart changes nothing.
import { metric, runKnownSequence } from '../helpers/known-sequence.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

let s: RunningServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('persistence', () => {
  it('keeps borrows, charges, budgets and history across a restart', async () => {
    let server = await startServer();
    s = server;
    await runKnownSequence(server.url);
    await fetch(`${server.url}/config/budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cad_tool', total: 7, commit: 5, max_overage: 2, commit_price: 1200, overage_price_per_license: 80 }),
    });
    const before = await (await fetch(`${server.url}/licenses/status`)).json();
    const borrowsBefore = await (await fetch(`${server.url}/borrows`)).json();
    server = await server.restart();
    s = server;
    expect(await (await fetch(`${server.url}/licenses/status`)).json()).toEqual(before);
    expect(await (await fetch(`${server.url}/borrows`)).json()).toEqual(borrowsBefore);
    expect(((await (await fetch(`${server.url}/overage-charges`)).json()) as any).charges).toHaveLength(1);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(metric(text, 'licenses_borrowed{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_pool_seats{tool="cad_tool"}')).toBe(7);
    expect(metric(text, 'license_overage_cost{tool="analysis"}')).toBe(100);
    // Seeding on restart inserted nothing and overwrote nothing.
    expect(server.logs.find((l) => l.event === 'database_ready')).toMatchObject({ migrations_applied: [], tools_seeded: [] });
  });
});
