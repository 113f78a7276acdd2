// A fixed one-minute window per client address in a bounded LRU (the same scheme as
// observability/frontend-error-limits.ts), shared by the REST and GraphQL doors of the
// sign-in and token routes so a limit on one cannot be bypassed through the other. Its minute
// is the server's clock (clock.ts), like every other time the auth rules decide on.
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../clock.ts';

export class RateGate {
  readonly #windows = new LRUCache<string, { start: number; count: number }>({ max: 10_000 });
  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** 0 when allowed, else seconds until the address's window resets. */
  take(address: string | undefined, now = this.clock.now().getTime()): number {
    const key = address ?? 'unknown';
    let w = this.#windows.get(key);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    if (w.count < this.perMinute) {
      w.count += 1;
      return 0;
    }
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }
}

export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly retryAfter: number,
    message = `Too many sign-in or token requests from this address; retry after ${retryAfter} s`,
  ) {
    super(message);
  }
}
