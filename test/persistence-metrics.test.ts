// Data survives a restart of the server process, and /metrics shows exactly what a
// known sequence of operations should produce.
import { afterAll, describe, expect, it } from 'vitest';
import { postJson, startServer, type RunningServer } from './helpers/server.ts';

let s: RunningServer | undefined;
afterAll(async () => { await s?.stop(); });

const metric = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('persistence and metrics', () => {
  it('exposes every pool gauge from start-up, before any borrow', async () => {
    s = await startServer();
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(metric(text, 'licenses_borrowed{tool="cad_tool"}')).toBe(0);
    expect(metric(text, 'license_pool_total{tool="simulation"}')).toBe(3);
    expect(metric(text, 'license_pool_commit{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_pool_max_overage{tool="cad_tool"}')).toBe(1);
    expect(metric(text, 'license_overage_price_per_license{tool="cad_tool"}')).toBe(100);
    expect(text).toContain('# TYPE license_borrow_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('counts a known sequence exactly, without a label per unknown tool', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await postJson(`${s!.url}/licenses/borrow`, { tool: 'analysis', user: `m${i}` })).json.id);
    await postJson(`${s!.url}/licenses/borrow`, { tool: 'random-tool-1', user: 'x' });
    await postJson(`${s!.url}/licenses/borrow`, { tool: 'random-tool-2', user: 'x' });
    await postJson(`${s!.url}/licenses/return`, { id: ids[0] });
    const text = await (await fetch(`${s!.url}/metrics`)).text();
    expect(metric(text, 'license_borrow_attempts_total{tool="analysis"}')).toBe(3);
    expect(metric(text, 'license_borrow_success_total{tool="analysis"}')).toBe(2);
    expect(metric(text, 'license_borrow_failure_total{tool="analysis",reason="exhausted"}')).toBe(1);
    expect(metric(text, 'license_borrow_failure_total{tool="unknown",reason="unknown_tool"}')).toBe(2);
    expect(metric(text, 'license_borrow_duration_seconds_count{tool="analysis"}')).toBe(3);
    expect(metric(text, 'licenses_borrowed{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_returns_total{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_overage_cost{tool="analysis"}')).toBe(100);
    expect(metric(text, 'license_overage_charges_total{tool="analysis"}')).toBe(1);
    expect(text).not.toContain('random-tool');
    expect(metric(text, 'http_requests_total{method="POST",route="/licenses/borrow",status_code="200"}')).toBe(2);
    expect(metric(text, 'http_requests_total{method="POST",route="/licenses/borrow",status_code="404"}')).toBe(2);
  });

  it('keeps borrows, charges, budgets and history across a restart', async () => {
    await fetch(`${s!.url}/config/budget`, { method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cad_tool', total: 7, commit: 5, max_overage: 2, commit_price: 1200, overage_price_per_license: 80 }) });
    const before = await (await fetch(`${s!.url}/licenses/status`)).json();
    const borrowsBefore = await (await fetch(`${s!.url}/borrows`)).json();
    s = await s!.restart();
    expect(await (await fetch(`${s.url}/licenses/status`)).json()).toEqual(before);
    expect(await (await fetch(`${s.url}/borrows`)).json()).toEqual(borrowsBefore);
    expect((await (await fetch(`${s.url}/overage-charges`)).json() as any).charges).toHaveLength(1);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(metric(text, 'licenses_borrowed{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_pool_total{tool="cad_tool"}')).toBe(7);
    expect(metric(text, 'license_overage_cost{tool="analysis"}')).toBe(100);
    // Seeding on restart inserted nothing and overwrote nothing.
    expect(s.logs.find((l) => l.event === 'database_ready')).toMatchObject({ migrations_applied: [], tools_seeded: [] });
  });
});
