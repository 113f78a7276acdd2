// W3C trace context for the CLI's requests, so the server's spans join the caller's trace:
// TRACEPARENT from the environment when it holds a valid one (a CI job's step, a wrapper
// script), else — when tracing is configured (OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT) — a new
// trace for this run of the command. One value per run: every request of `floatline run`
// lands in one trace.
import { randomBytes } from 'node:crypto';

const VALID = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

export function traceparentFor(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.TRACEPARENT?.trim().toLowerCase();
  if (given && VALID.test(given)) return given;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT)
    return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  return undefined;
}
