// The export worker: a thread of its own that batches ended spans and sends them over
// OTLP/HTTP with the SDK's own BatchSpanProcessor and exporter (which read the OTEL_BSP_* and
// OTEL_EXPORTER_OTLP_* settings as everywhere). Encoding spans to protobuf or JSON and the
// HTTP export were two thirds of tracing's CPU on the serving thread, where they competed
// with requests; here they run beside it. The serving side is tracing-export.ts; spans cross
// in the layout of tracing-wire.ts.
//
// Messages in: { batch } (spans), { flush: id }, { shutdown: id }.
// Messages out: { took: n } (spans taken, so the serving side can bound what is in flight),
// { done: id } (a flush or the shutdown finished), { diag: { level, message, detail } } (the SDK's
// complaints, logged by the serving thread's logger).
import { parentPort, workerData } from 'node:worker_threads';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import type { TracingConfig } from './tracing-config.ts';
import { reportDiag, type DiagReport } from './tracing-diag.ts';
import { WireReader, type WireBatch } from './tracing-wire.ts';

export interface TracingWorkerData {
  protocol: TracingConfig['protocol'];
  batch: TracingConfig['batch'];
  /** The serving process's resource (service name and version, OTEL_RESOURCE_ATTRIBUTES). */
  resource: Attributes;
}

export type ToWorker = { batch: WireBatch } | { flush: number } | { shutdown: number };
export type FromWorker = { took: number } | { done: number } | { diag: DiagReport };

const port = parentPort;
if (port === null) throw new Error('tracing-worker.ts runs as a worker thread (tracing-export.ts starts it)');
const data = workerData as TracingWorkerData;
const send = (m: FromWorker) => port.postMessage(m);

reportDiag((d) => send({ diag: d }));

// Each reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION (a
// worker sees the process's environment).
const exporter =
  data.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter()
    : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
const processor = new BatchSpanProcessor({ exporter, ...data.batch });
const reader = new WireReader(resourceFromAttributes(data.resource));

// A flush or shutdown that fails (the collector away past the export timeout) is reported,
// never thrown: an unhandled rejection would end the worker, and with it tracing.
const failed = (what: string) => (err: unknown) =>
  send({ diag: { level: 'error', message: `${what} failed`, detail: String((err as Error)?.message ?? err).slice(0, 500) } });

port.on('message', (m: ToWorker) => {
  if ('batch' in m) {
    const spans = reader.read(m.batch);
    for (const span of spans) processor.onEnd(span);
    send({ took: spans.length });
  } else if ('flush' in m) {
    processor
      .forceFlush()
      .catch(failed('exporting spans'))
      .finally(() => send({ done: m.flush }));
  } else {
    processor
      .shutdown()
      .catch(failed('exporting the last spans'))
      .finally(() => {
        send({ done: m.shutdown });
        port.close();
      });
  }
});
