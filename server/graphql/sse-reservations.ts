// graphql-sse's single-connection mode: PUT /graphql/stream reserves a stream (the plugin keeps
// it in this process, by token) that a later GET or POST with Accept: text/event-stream opens.
// The plugin keeps a reservation with no limit and no expiry, so an unused one would stay for
// the life of the process. Here each reservation takes a place under the SSE caps
// (sse-limits.ts: the same per-address and per-identity counts as open streams) from the PUT;
// the stream that opens it inherits that place, and a reservation nothing opens within
// `ttlMs` lapses: its place is freed and the plugin is made to drop it (`drop`).
import { Gauge, type Registry } from 'prom-client';

interface Reservation {
  release: () => void;
  timer: NodeJS.Timeout;
}

export class SseReservations {
  readonly #pending = new Map<string, Reservation>();
  readonly #gauge: Gauge;

  /** drop: makes the plugin forget the reserved stream `token` (it then answers 404 for it). */
  constructor(
    readonly ttlMs: number,
    private readonly drop: (token: string) => Promise<void>,
    registry: Registry,
  ) {
    this.#gauge = new Gauge({
      name: 'sse_stream_reservations',
      help: 'graphql-sse single-connection streams reserved (PUT /graphql/stream) and not yet opened; each lapses after SSE_STREAM_RESERVATION_MS',
      registers: [registry],
      collect: () => this.#gauge.set(this.#pending.size),
    });
  }

  /** Keeps `token` reserved, holding the place `release` frees, until it is claimed or lapses. */
  hold(token: string, release: () => void): void {
    if (this.#pending.has(token)) {
      release(); // the plugin refuses a second reservation of one token; never count it twice
      return;
    }
    const timer = setTimeout(() => this.#lapse(token), this.ttlMs);
    timer.unref();
    this.#pending.set(token, { release, timer });
  }

  /** The place held for `token`, now the opening stream's (release it when that stream ends); null if not reserved. */
  claim(token: string): (() => void) | null {
    const r = this.#pending.get(token);
    if (!r) return null;
    clearTimeout(r.timer);
    this.#pending.delete(token);
    return r.release;
  }

  /** Frees every place and forgets every reservation (the server is closing). */
  close(): void {
    for (const r of this.#pending.values()) {
      clearTimeout(r.timer);
      r.release();
    }
    this.#pending.clear();
  }

  #lapse(token: string): void {
    const r = this.#pending.get(token);
    if (!r) return;
    this.#pending.delete(token);
    r.release();
    this.drop(token).catch(() => {
      // The plugin already let go of it (or the server is closing): nothing is left to free.
    });
  }
}

/** The stream token a graphql-sse request names, as the plugin reads it (header first, then ?token=). */
export function streamToken(headers: Record<string, string | string[] | undefined>, url: string): string | null {
  const header = headers['x-graphql-event-stream-token'];
  if (header) return Array.isArray(header) ? header.join('') : header;
  return new URL(url, 'http://localhost/').searchParams.get('token') || null;
}
