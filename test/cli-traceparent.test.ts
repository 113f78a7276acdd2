// What the floatline CLI sends as W3C `traceparent`: the caller's TRACEPARENT when valid,
// a new trace per run when tracing is configured, otherwise nothing.
import { describe, expect, it } from 'vitest';
import { traceparentFor } from '../cli/traceparent.ts';

const GIVEN = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SHAPE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('traceparentFor', () => {
  it('passes on a valid TRACEPARENT as it is', () => {
    expect(traceparentFor({ TRACEPARENT: GIVEN })).toBe(GIVEN);
    expect(traceparentFor({ TRACEPARENT: ` ${GIVEN.toUpperCase()} ` })).toBe(GIVEN);
  });

  it('starts a new trace when tracing is configured and none (or a malformed one) was given', () => {
    const made = traceparentFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(made).toMatch(SHAPE);
    expect(traceparentFor({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).not.toBe(made);
    for (const bad of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'junk',
    ])
      expect(traceparentFor({ TRACEPARENT: bad, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatch(SHAPE);
  });

  it('sends nothing when neither is set', () => {
    expect(traceparentFor({})).toBeUndefined();
    expect(traceparentFor({ TRACEPARENT: 'junk' })).toBeUndefined();
  });
});
