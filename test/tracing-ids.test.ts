// The ids Floatline's tracer gives traces and spans (server/observability/tracing-ids.ts): what
// a tracing UI and a log line's trace_id show must be valid W3C ids — lowercase hex of the
// right length, never all zeros — and never repeat, across many refills of the random pool.
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from '../server/observability/tracing-ids.ts';

describe('PooledIdGenerator', () => {
  it('gives 32-character trace ids and 16-character span ids of lowercase hex, none zero, none repeated', () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    // 20,000 requests' worth: the 4 KiB pool is refilled several hundred times.
    for (let i = 0; i < 20_000; i++) {
      const trace = ids.generateTraceId();
      expect(trace).toMatch(/^[0-9a-f]{32}$/);
      expect(trace).not.toMatch(/^0+$/);
      traces.add(trace);
      for (let j = 0; j < 2; j++) {
        const span = ids.generateSpanId();
        expect(span).toMatch(/^[0-9a-f]{16}$/);
        expect(span).not.toMatch(/^0+$/);
        spans.add(span);
      }
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(40_000);
  });
});
