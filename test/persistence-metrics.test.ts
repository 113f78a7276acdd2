// /metrics shows exactly what a known sequence of operations should produce (in-process, a
// fresh server each). That data survives a restart of a real server process is proved by
// test/e2e/persistence-restart.test.ts.
import { metric, runKnownSequence } from './helpers/known-sequence.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

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
