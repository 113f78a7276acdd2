// Browser errors reported by the dashboard: one structured log line each, fields
// bounded so a client cannot flood the log with megabytes.
import type { Logger } from './logger.ts';
import { printableText } from '../licenses/text.ts';

export interface FrontendErrorReport {
  message: string;
  stack?: string | null;
  source?: string | null;
  lineno?: number | null;
  colno?: number | null;
  url?: string | null;
  userAgent?: string | null;
}

// Reports are logged, never refused for odd text: control characters (terminal escapes) are
// spelled out and invalid Unicode replaced (printableText), after clipping so a cut
// surrogate pair is mended too.
const clip = (s: string | null | undefined, max: number) =>
  s == null ? undefined : printableText(s.length > max ? `${s.slice(0, max)}…` : s);

export function reportFrontendError(log: Logger, r: FrontendErrorReport): void {
  log.error(
    {
      event: 'frontend_error',
      error_message: clip(r.message, 2000),
      stack: clip(r.stack, 8000),
      source: clip(r.source, 500),
      lineno: r.lineno ?? undefined,
      colno: r.colno ?? undefined,
      url: clip(r.url, 2000),
      user_agent: clip(r.userAgent, 500),
    },
    'frontend error reported',
  );
}
