// The standard OpenTelemetry environment variables for traces, read once with the rest of
// the configuration (a bad value stops start-up with exit 2, like any other setting).
// Tracing is off unless an OTLP endpoint is named; the exporter itself reads the endpoint,
// headers, timeout and compression variables (OTEL_EXPORTER_OTLP_[TRACES_]*).
import { ConfigError } from '../config.ts';

export type OtlpProtocol = 'http/json' | 'http/protobuf';

export interface TracingConfig {
  protocol: OtlpProtocol;
  /** OTEL_TRACES_SAMPLER, e.g. parentbased_always_on (the default), traceidratio. */
  sampler: string;
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, 0..1. */
  ratio: number;
  /** OTEL_BSP_*: how spans are batched before export. */
  batch: { scheduledDelayMillis: number; maxQueueSize: number; maxExportBatchSize: number; exportTimeoutMillis: number };
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number above 0, got "${raw}"`);
  return n;
}

/** null: tracing is off (no OTLP endpoint, OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none). */
export function readTracingConfig(env: NodeJS.ProcessEnv): TracingConfig | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const exporter = (env.OTEL_TRACES_EXPORTER || 'otlp').trim().toLowerCase();
  if (exporter === 'none') return null;
  if (exporter !== 'otlp') throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  const endpointVar = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  if (!/^https?:\/\/[^/]/.test(endpoint) || !URL.canParse(endpoint))
    throw new ConfigError(`${endpointVar} must be an http(s) URL like http://collector:4318, got "${endpoint}"`);

  const protocolVar = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = (env[protocolVar] || 'http/protobuf').trim();
  if (protocol !== 'http/json' && protocol !== 'http/protobuf')
    throw new ConfigError(`${protocolVar} must be http/protobuf or http/json (OTLP over HTTP, port 4318), got "${protocol}"`);

  const sampler = (env.OTEL_TRACES_SAMPLER || 'parentbased_always_on').trim().toLowerCase();
  if (!(SAMPLERS as readonly string[]).includes(sampler))
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${env.OTEL_TRACES_SAMPLER}"`);
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG;
  const ratio = rawRatio === undefined || rawRatio.trim() === '' ? 1 : Number(rawRatio);
  if (!(ratio >= 0 && ratio <= 1)) throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${rawRatio}"`);

  return {
    protocol,
    sampler,
    ratio,
    batch: {
      scheduledDelayMillis: count(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
      maxQueueSize: count(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048),
      maxExportBatchSize: count(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512),
      exportTimeoutMillis: count(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000),
    },
  };
}
