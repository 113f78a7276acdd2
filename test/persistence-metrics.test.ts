// /metrics shows exactly what a known sequence of operations should produce (in-process, a
// fresh server each). That data survives a restart of a real server process is proved by
// test/e2e/persistence-restart.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** Three analysis borrows (the third denied), two unknown tools, one return. */
async function runKnownSequence(url: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await postJson(`${url}/licenses/borrow`, { tool: 'analysis', user: `m${i}` })).json.id);
  await postJson(`${url}/licenses/borrow`, { tool: 'random-tool-1', user: 'x' });
  await postJson(`${url}/licenses/borrow`, { tool: 'random-tool-2', user: 'x' });
  await postJson(`${url}/licenses/return`, { id: ids[0] });
}

const metric = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('persistence and metrics', () => {
  it('exposes every pool gauge from start-up, before any borrow', async () => {
    const inProcess = await startInProcess();
    s = inProcess;
    const text = await (await inProcess.fetch(`${s.url}/metrics`)).text();
    expect(metric(text, 'licenses_borrowed{tool="cad_tool"}')).toBe(0);
    expect(metric(text, 'license_pool_seats{tool="simulation"}')).toBe(3);
    expect(metric(text, 'license_pool_commit{tool="analysis"}')).toBe(1);
    expect(metric(text, 'license_pool_max_overage{tool="cad_tool"}')).toBe(1);
    expect(metric(text, 'license_overage_price_per_license{tool="cad_tool"}')).toBe(100);
    expect(text).toContain('# TYPE license_borrow_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('counts a known sequence exactly, without a label per unknown tool', async () => {
    const inProcess = await startInProcess();
    s = inProcess;
    await runKnownSequence(s.url);
    const text = await (await inProcess.fetch(`${s.url}/metrics`)).text();
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
});
