// The OTEL_* variables Floatline honours: tracing is off until an OTLP endpoint is named,
// and a value it cannot honour stops start-up with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../server/config.ts';
import { readTracingConfig } from '../server/observability/tracing-config.ts';

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

describe('readTracingConfig', () => {
  it('is off without an endpoint, with OTEL_SDK_DISABLED=true and with OTEL_TRACES_EXPORTER=none', () => {
    expect(readTracingConfig({})).toBeNull();
    expect(readConfig({}).tracing).toBeNull();
    expect(readTracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(readTracingConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
  });

  it('is on with either endpoint variable; protocol, sampler and batching default as the specification says', () => {
    for (const env of [endpoint, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }])
      expect(readTracingConfig(env)).toEqual({
        protocol: 'http/protobuf',
        sampler: 'parentbased_always_on',
        ratio: 1,
        batch: { scheduledDelayMillis: 5000, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30_000 },
      });
  });

  it('honours the protocol (traces-specific first), the sampler with its ratio and the batch settings', () => {
    const config = readTracingConfig({
      ...endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    expect(config).toMatchObject({
      protocol: 'http/json',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
      batch: { scheduledDelayMillis: 200 },
    });
  });

  it('refuses what it cannot honour, naming the variable', () => {
    const refused = (env: Record<string, string>) => {
      try {
        readConfig({ ...endpoint, ...env });
        return 'accepted';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    expect(refused({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatch(/^OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json/);
    expect(refused({ OTEL_TRACES_SAMPLER: 'sometimes' })).toMatch(/^OTEL_TRACES_SAMPLER must be one of always_on/);
    expect(refused({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toMatch(/^OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/);
    expect(refused({ OTEL_TRACES_EXPORTER: 'zipkin' })).toMatch(/^OTEL_TRACES_EXPORTER must be otlp or none/);
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
    expect(refused({ OTEL_BSP_SCHEDULE_DELAY: '-1' })).toMatch(/^OTEL_BSP_SCHEDULE_DELAY must be a whole number/);
  });
});
