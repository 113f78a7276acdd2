// How long to wait before reconnecting after `retries` failed attempts.

const BASE_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s … with a little jitter so many tabs don't reconnect in step. */
export function backoffDelay(retries: number): number {
  const base = Math.min(BASE_MS * 2 ** retries, MAX_BACKOFF_MS);
  return base + Math.floor(Math.random() * 250);
}
