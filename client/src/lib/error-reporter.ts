// Sends uncaught errors and unhandled rejections to the server, which logs them as
// `event: "frontend_error"`. Uses the GraphQL mutation, falls back to POST /frontend-error.
import type { Client } from '@urql/svelte';
import { REPORT_FRONTEND_ERROR } from './operations';
import type { FrontendErrorInput } from './types';

const MAX_REPORTS_PER_MINUTE = 10;
// The server refuses reports over a few KB (413) and clips fields in its log anyway.
// Optional fields of FrontendErrorInput may be null as well as absent (GraphQL nullable).
const clip = (s: string | null | undefined, max: number) => (s && s.length > max ? s.slice(0, max) : (s ?? undefined));

/** Errors before the reporter can send (the page first asks the server who is signed in),
 *  kept (at most MAX_REPORTS_PER_MINUTE) and sent once it can: none is lost to start-up. */
export interface EarlyErrors {
  /** Stops keeping and hands over what was kept. */
  take(): (ErrorEvent | PromiseRejectionEvent)[];
}

export function captureEarlyErrors(): EarlyErrors {
  const kept: (ErrorEvent | PromiseRejectionEvent)[] = [];
  const keep = (e: ErrorEvent | PromiseRejectionEvent) => {
    if (kept.length < MAX_REPORTS_PER_MINUTE) kept.push(e);
  };
  window.addEventListener('error', keep);
  window.addEventListener('unhandledrejection', keep);
  return {
    take() {
      window.removeEventListener('error', keep);
      window.removeEventListener('unhandledrejection', keep);
      return kept.splice(0);
    },
  };
}

export function installErrorReporter(client: Client, early?: EarlyErrors): () => void {
  let windowStart = Date.now();
  let sent = 0;
  let pausedUntil = 0; // set from the server's Retry-After when it says 429 / RATE_LIMITED

  async function report(input: FrontendErrorInput): Promise<void> {
    // A broken render loop must not flood the server.
    if (Date.now() - windowStart > 60_000) {
      windowStart = Date.now();
      sent = 0;
    }
    if (++sent > MAX_REPORTS_PER_MINUTE || Date.now() < pausedUntil) return;
    const full = {
      ...input,
      message: clip(input.message, 2000) ?? '',
      stack: clip(input.stack, 8000),
      url: clip(window.location.href, 2000),
      userAgent: clip(navigator.userAgent, 500),
    };
    const pause = (seconds: unknown) => {
      pausedUntil = Date.now() + (Number(seconds) > 0 ? Number(seconds) : 60) * 1000;
    };
    try {
      const result = await client.mutation(REPORT_FRONTEND_ERROR, { input: full }).toPromise();
      if (!result.error) return;
      // Over the server's budget: stay quiet until it resets; the REST route shares it.
      const limited = result.error.graphQLErrors.find(
        (e) => e.extensions?.code === 'RATE_LIMITED' || e.extensions?.code === 'PAYLOAD_TOO_LARGE',
      );
      if (limited) {
        pause(limited.extensions?.retryAfter);
        return;
      }
    } catch {
      /* fall through to the REST route */
    }
    try {
      const res = await fetch('/frontend-error', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(full),
        keepalive: true,
      });
      if (res.status === 429) pause(res.headers.get('retry-after'));
    } catch {
      /* nowhere left to report to */
    }
  }

  const onError = (event: ErrorEvent) => {
    const error: unknown = event.error;
    void report({
      message: event.message || String(error),
      stack: error instanceof Error ? error.stack : undefined,
      source: event.filename || undefined,
      lineno: event.lineno || undefined,
      colno: event.colno || undefined,
    });
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason: unknown = event.reason;
    void report({
      message: `Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  for (const e of early?.take() ?? []) {
    if (e instanceof ErrorEvent) onError(e);
    else onRejection(e);
  }
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
