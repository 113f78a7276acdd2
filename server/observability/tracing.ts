// Spans, written where the work happens. Floatline runs as one esbuild bundle, where
// require-hook auto-instrumentation patches nothing, so each span is started here through
// @opentelemetry/api: the HTTP request (http/tracing.ts), the GraphQL operation
// (graphql/tracing-plugin.ts), the store's transaction and the Redis publish.
//
// Tracing off (no OTLP endpoint) is the default and costs one null check per call: the
// SDK is only imported by startTracing (tracing-sdk.ts), and until then `tracer` is null.
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from './logger.ts';
import { activeContext } from './tracing-context.ts';
import type { TracingConfig } from './tracing-config.ts';

export { SpanKind };

let tracer: Tracer | null = null;

export interface Tracing {
  /** Exports the spans still queued, then stops. */
  shutdown(): Promise<void>;
}

/** Loads the OpenTelemetry SDK and starts exporting spans; call once, before serving. */
export async function startTracing(config: TracingConfig, version: string, log: Logger): Promise<Tracing> {
  const { registerTracerProvider } = await import('./tracing-sdk.ts');
  const provider = await registerTracerProvider(config, version, log);
  tracer = trace.getTracer('floatline', version);
  return {
    async shutdown() {
      tracer = null;
      // A collector that is away loses the last spans; it never fails the shutdown.
      await provider.shutdown().catch((err: unknown) => {
        log.warn(
          { event: 'tracing_error', detail: String((err as Error)?.message ?? err).slice(0, 500) },
          'tracing: the last spans were not exported',
        );
      });
    },
  };
}

/** The tracer while tracing is on, else null (callers skip all span work). */
export function activeTracer(): Tracer | null {
  return tracer;
}

function failed(span: Span, err: unknown): void {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
  span.end();
}

/**
 * Runs fn inside a child span of the current one (sync or async; ended when fn settles,
 * marked as an error if it throws). With tracing off it is just fn().
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => T, kind: SpanKind = SpanKind.INTERNAL): T {
  if (tracer === null) return fn();
  // Attributes are set on the started span, not passed to startSpan: the SDK checks those
  // twice (for the sampler, then for the span), each check of each value allocating a
  // WeakSet; none of the samplers Floatline offers reads attributes (tracing-config.ts).
  return tracer.startActiveSpan(name, { kind }, (span) => {
    span.setAttributes(attributes);
    let result: T;
    try {
      result = fn();
    } catch (err) {
      failed(span, err);
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          failed(span, err);
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

/** trace_id and span_id of the span being served, for log lines (none while tracing is off). */
export function traceFields(): { trace_id: string; span_id: string } | undefined {
  if (tracer === null) return undefined;
  const span = trace.getSpan(activeContext());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The span of the current request's work, if it is being traced. */
export function currentSpan(): Span | undefined {
  return tracer === null ? undefined : trace.getSpan(activeContext());
}
