// The span processor on the serving thread: it hands ended spans to the export worker
// (tracing-worker.ts) instead of encoding and sending them itself. The serving thread keeps
// only what must happen there — starting and ending spans, and appending each to a flat
// array (tracing-wire.ts) — about 3 µs a request instead of 11 with the export in-thread
// (bench/tracing-spans.ts).
//
// Bounded like the SDK's BatchSpanProcessor: at most OTEL_BSP_MAX_QUEUE_SIZE spans are
// waiting or on their way to the worker; beyond that spans are dropped and counted (a
// warning each minute at most). A batch leaves when it reaches OTEL_BSP_MAX_EXPORT_BATCH_SIZE
// spans or after at most 200 ms; the worker then batches for export on the configured
// schedule. If the worker fails, tracing stops and serving goes on.
import { Worker } from 'node:worker_threads';
import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Logger } from './logger.ts';
import type { TracingConfig } from './tracing-config.ts';
import { logDiag } from './tracing-diag.ts';
import type { FromWorker, ToWorker, TracingWorkerData } from './tracing-worker.ts';
import { WireWriter } from './tracing-wire.ts';

/** How long a span waits on the serving thread at most before it is handed over. */
const HANDOFF_MS = 200;
const DROP_WARNING_MS = 60_000;

/** The worker's file beside this module: TypeScript from source (tsx), .mjs in the bundle. */
function workerFile(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './tracing-worker.ts' : './tracing-worker.mjs', here);
}

export class WorkerSpanProcessor implements SpanProcessor {
  readonly #worker: Worker;
  readonly #writer = new WireWriter();
  readonly #batch: TracingConfig['batch'];
  readonly #log: Logger;
  #inFlight = 0;
  #dropped = 0;
  #lastDropWarning = 0;
  #timer: NodeJS.Timeout | undefined;
  #alive = true;
  #closing = false;
  /** Flushes and the shutdown asked of the worker and not answered yet, by id. */
  #nextAsk = 0;
  readonly #asks = new Map<number, () => void>();

  constructor(data: TracingWorkerData, log: Logger) {
    this.#batch = data.batch;
    this.#log = log;
    this.#worker = new Worker(workerFile(), { workerData: data, name: 'floatline-tracing' });
    this.#worker.unref(); // a process that is done does not wait for its exporter
    this.#worker.on('message', (m: FromWorker) => this.#onMessage(m));
    this.#worker.on('error', (err) => this.#stop(`the export worker failed: ${err.message}`));
    this.#worker.on('exit', (code) => {
      if (this.#alive && !this.#closing) this.#stop(`the export worker exited (${code})`);
    });
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (!this.#alive || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#inFlight + this.#writer.size >= this.#batch.maxQueueSize) {
      this.#drop();
      return;
    }
    this.#writer.add(span);
    if (this.#writer.size >= this.#batch.maxExportBatchSize) this.#handOver();
    else this.#timer ??= setTimeout(() => this.#handOver(), Math.min(HANDOFF_MS, this.#batch.scheduledDelayMillis)).unref();
  }

  async forceFlush(): Promise<void> {
    if (this.#alive) await this.#ask('flush');
  }

  async shutdown(): Promise<void> {
    if (!this.#alive) return;
    this.#closing = true;
    await this.#ask('shutdown');
    this.#alive = false;
    await this.#worker.terminate();
  }

  /**
   * Hands over what waits, asks the worker to flush (or flush and stop) and waits for its
   * answer, at most the export timeout and a second.
   */
  async #ask(what: 'flush' | 'shutdown'): Promise<void> {
    this.#handOver();
    const id = this.#nextAsk++;
    const answered = new Promise<void>((resolve) => this.#asks.set(id, resolve));
    this.#worker.postMessage((what === 'flush' ? { flush: id } : { shutdown: id }) satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#batch.exportTimeoutMillis + 1000);
    });
    await Promise.race([answered, late]);
    clearTimeout(timer);
    this.#asks.delete(id);
  }

  #handOver(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const n = this.#writer.size;
    if (n === 0 || !this.#alive) return;
    this.#inFlight += n;
    this.#worker.postMessage({ batch: this.#writer.take() } satisfies ToWorker);
  }

  #onMessage(m: FromWorker): void {
    if ('took' in m) this.#inFlight -= m.took;
    else if ('done' in m) this.#asks.get(m.done)?.();
    else logDiag(this.#log, m.diag);
  }

  #drop(): void {
    this.#dropped++;
    const now = Date.now();
    if (now - this.#lastDropWarning < DROP_WARNING_MS) return;
    this.#lastDropWarning = now;
    this.#log.warn(
      { event: 'tracing_warning', dropped: this.#dropped },
      `tracing: dropped ${this.#dropped} spans so far: more than OTEL_BSP_MAX_QUEUE_SIZE (${this.#batch.maxQueueSize}) were waiting for export`,
    );
  }

  #stop(why: string): void {
    if (!this.#alive) return;
    this.#alive = false;
    clearTimeout(this.#timer);
    this.#log.warn({ event: 'tracing_error', detail: why }, 'tracing stopped; serving goes on without spans');
    for (const resolve of this.#asks.values()) resolve();
  }
}
