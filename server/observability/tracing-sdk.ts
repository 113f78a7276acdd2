// The OpenTelemetry SDK, imported only when tracing is configured (tracing.ts): a tracer
// provider with the sampler and resource the OTEL_* variables ask for, handing ended spans to
// an export worker thread (tracing-export.ts) that sends them over OTLP/HTTP,
// W3C trace context propagation, a context manager that keeps the active span in the
// request context (tracing-context.ts) and a cheaper id generator (tracing-ids.ts), all
// registered as the process's globals.
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { Logger } from './logger.ts';
import type { TracingConfig } from './tracing-config.ts';
import { RequestContextManager } from './tracing-context.ts';
import { logDiag, reportDiag } from './tracing-diag.ts';
import { WorkerSpanProcessor } from './tracing-export.ts';
import { PooledIdGenerator } from './tracing-ids.ts';

function samplerOf(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.ratio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

export async function registerTracerProvider(config: TracingConfig, version: string, log: Logger): Promise<TracerProvider> {
  // The SDK's own complaints on this thread go to our log (the worker's come by message).
  reportDiag((d) => logDiag(log, d));
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over these defaults.
  const resource = resourceFromAttributes({ 'service.name': 'floatline', 'service.version': version }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new TracerProvider({
    resource,
    sampler: samplerOf(config),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [new WorkerSpanProcessor({ protocol: config.protocol, batch: config.batch, resource: resource.attributes }, log)],
  });
  context.setGlobalContextManager(new RequestContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  log.info(
    { event: 'tracing_started', protocol: config.protocol, sampler: config.sampler, service: resource.attributes['service.name'] },
    'sending traces over OTLP/HTTP',
  );
  return provider;
}
