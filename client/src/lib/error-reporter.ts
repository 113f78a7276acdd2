// Sends uncaught errors and unhandled rejections to the server, which logs them as
// `event: "frontend_error"`. Uses the GraphQL mutation, falls back to POST /frontend-error.
import type { Client } from '@urql/svelte';
import { REPORT_FRONTEND_ERROR } from './operations';
import type { FrontendErrorInput } from './types';

const MAX_REPORTS_PER_MINUTE = 10;

export function installErrorReporter(client: Client): () => void {
  let windowStart = Date.now();
  let sent = 0;

  async function report(input: FrontendErrorInput): Promise<void> {
    // A broken render loop must not flood the server.
    if (Date.now() - windowStart > 60_000) { windowStart = Date.now(); sent = 0; }
    if (++sent > MAX_REPORTS_PER_MINUTE) return;
    const full = { ...input, url: window.location.href, userAgent: navigator.userAgent };
    try {
      const result = await client.mutation(REPORT_FRONTEND_ERROR, { input: full }).toPromise();
      if (!result.error) return;
    } catch { /* fall through to the REST route */ }
    try {
      await fetch('/frontend-error', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(full), keepalive: true,
      });
    } catch { /* nowhere left to report to */ }
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
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
