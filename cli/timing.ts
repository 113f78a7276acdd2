// Waiting and retrying, both cut short by an AbortSignal (SIGINT/SIGTERM while waiting).
import { ApiError, isTransient } from './client.ts';

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions {
  /** Give up (rethrow the last failure) once another try would start after this time (epoch ms). */
  until: number;
  signal?: AbortSignal;
  /** Called before each wait with the failure that caused it. */
  onRetry?: (err: unknown) => void;
}

/**
 * Runs `attempt` until it succeeds, retrying transient failures (no answer, 502/503/504)
 * with a short back-off (a 503's Retry-After, capped), until `until`. Other failures, and an
 * aborted signal, end it at once with the last failure.
 */
export async function retrying<T>(attempt: () => Promise<T>, { until, signal, onRetry }: RetryOptions): Promise<T> {
  let delay = 250;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err) || signal?.aborted) throw err;
      const wait = err instanceof ApiError && err.retryAfter !== undefined ? Math.min(err.retryAfter * 1_000, 2_000) : delay;
      if (Date.now() + wait >= until) throw err;
      onRetry?.(err);
      await sleep(wait, signal);
      if (signal?.aborted) throw err;
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
