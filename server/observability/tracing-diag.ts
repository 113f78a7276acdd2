// The OpenTelemetry SDK's own complaints (an unreachable collector, a refused export, a full
// queue), from the serving thread's SDK or the export worker's (tracing-worker.ts), as
// Floatline log lines: `tracing_error` and `tracing_warning`.
import { DiagLogLevel, type DiagLogger, diag } from '@opentelemetry/api';
import type { Logger } from './logger.ts';

export interface DiagReport {
  level: 'error' | 'warn';
  message: string;
  /** The SDK's extra arguments as text, capped. */
  detail: string;
}

/** Sends this thread's SDK complaints (WARN and above) to `report`. */
export function reportDiag(report: (d: DiagReport) => void): void {
  const detail = (args: unknown[]) => args.map(String).join(' ').slice(0, 500);
  const quiet = () => {};
  const logger: DiagLogger = {
    error: (message, ...args) => report({ level: 'error', message, detail: detail(args) }),
    warn: (message, ...args) => report({ level: 'warn', message, detail: detail(args) }),
    info: quiet,
    debug: quiet,
    verbose: quiet,
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
}

export function logDiag(log: Logger, d: DiagReport): void {
  if (d.level === 'error') log.warn({ event: 'tracing_error', detail: d.detail }, `tracing: ${d.message}`);
  else log.warn({ event: 'tracing_warning', detail: d.detail || undefined }, `tracing: ${d.message}`);
}
