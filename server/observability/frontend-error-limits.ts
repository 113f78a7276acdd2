// Bounds on browser error reports (POST /frontend-error and the reportFrontendError
// mutation): at most N reports per client address per minute, one budget shared by both
// transports (a limit on one alone is bypassed through the other), and every refused
// report counted in frontend_errors_dropped_total{reason}. Before this, 8 clients wrote
// 222 MB of log in 10 s. The body size cap is the REST route's bodyLimit (413, counted
// here as reason="too_large"); fields that get through are clipped in the log line.
//
// A fixed one-minute window per address in an LRU (auth/rate-gate.ts, the same gate the sign-in
// and token routes use, on the server's clock), not @fastify/rate-limit: that plugin guards
// Fastify routes only, and the GraphQL mutation (HTTP, SSE or WebSocket) must draw from the
// same budget. The LRU bounds memory whatever the number of addresses.
import { Counter, type Registry } from 'prom-client';
import { RateGate } from '../auth/rate-gate.ts';
import { systemClock, type Clock } from '../clock.ts';

export type DropReason = 'rate_limited' | 'too_large';

export interface FrontendErrorLimitOptions {
  perMinute: number;
  bodyLimitBytes: number;
  /** The server's clock (clock.ts): the minute windows are on it. */
  clock?: Clock;
}

export class FrontendErrorGate {
  readonly bodyLimitBytes: number;
  private readonly gate: RateGate;
  private readonly dropped: Counter<'reason'>;

  constructor(registry: Registry, opts: FrontendErrorLimitOptions) {
    this.gate = new RateGate(opts.perMinute, opts.clock ?? systemClock);
    this.bodyLimitBytes = opts.bodyLimitBytes;
    this.dropped = new Counter({
      name: 'frontend_errors_dropped_total',
      help: 'Browser error reports refused (rate_limited, too_large)',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    // Both series exist from start-up, so a dashboard shows 0 rather than no data.
    this.dropped.inc({ reason: 'rate_limited' }, 0);
    this.dropped.inc({ reason: 'too_large' }, 0);
  }

  /** Takes one report from the address's budget: 0 when allowed, else seconds until the window resets. */
  take(address: string | undefined): number {
    const retryAfter = this.gate.take(address);
    if (retryAfter > 0) this.drop('rate_limited');
    return retryAfter;
  }

  drop(reason: DropReason): void {
    this.dropped.inc({ reason });
  }
}
