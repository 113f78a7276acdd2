// Bounds on GraphQL streams over SSE, as websocket.ts bounds WebSockets: at most
// maxPerAddress open streams from one client address and maxPerIdentity from one signed-in
// user (required mode). One viewer token once held 3,000 streams (+140 MB); each open
// stream holds a subscription and its buffers. A stream is counted from admission (before
// the operation runs, so a burst cannot slip past) until its connection closes.
// Refusals: 429 with Retry-After, counted in sse_refusals_total{reason}.
import { Counter, type Registry } from 'prom-client';

export interface SseLimits {
  maxPerAddress: number;
  maxPerIdentity: number;
}

export type SseRefusal = { reason: 'streams_per_address' | 'streams_per_identity'; detail: string };

/** Whether a request asks for an event stream (Yoga answers SSE to exactly these). */
export const wantsEventStream = (accept: string | undefined): boolean => accept?.includes('text/event-stream') ?? false;

export class SseStreams {
  readonly #byAddress = new Map<string, number>();
  readonly #byIdentity = new Map<string, number>();
  readonly #refusals: Counter<'reason'>;

  constructor(
    private readonly limits: SseLimits,
    readonly registry: Registry,
  ) {
    this.#refusals = new Counter({
      name: 'sse_refusals_total',
      help: 'GraphQL SSE streams refused by a per-client limit (SSE_MAX_STREAMS_PER_ADDRESS, SSE_MAX_STREAMS_PER_IDENTITY)',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.#refusals.inc({ reason: 'streams_per_address' }, 0);
    this.#refusals.inc({ reason: 'streams_per_identity' }, 0);
  }

  /** Takes a place for one stream: a release function (call it once, when the stream ends), or the refusal. */
  admit(address: string, user: string | null): (() => void) | SseRefusal {
    const fromAddress = this.#byAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.maxPerAddress) {
      this.#refusals.inc({ reason: 'streams_per_address' });
      return {
        reason: 'streams_per_address',
        detail: `Too many open event streams from this address (at most ${this.limits.maxPerAddress}); close one, or share one subscription`,
      };
    }
    const fromUser = user === null ? 0 : (this.#byIdentity.get(user) ?? 0);
    if (user !== null && fromUser >= this.limits.maxPerIdentity) {
      this.#refusals.inc({ reason: 'streams_per_identity' });
      return {
        reason: 'streams_per_identity',
        detail: `Too many open event streams for ${user} (at most ${this.limits.maxPerIdentity}); close one, or share one subscription`,
      };
    }
    this.#byAddress.set(address, fromAddress + 1);
    if (user !== null) this.#byIdentity.set(user, fromUser + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      decrement(this.#byAddress, address);
      if (user !== null) decrement(this.#byIdentity, user);
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
