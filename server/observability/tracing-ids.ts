// Trace and span ids for the tracer provider (tracing-sdk.ts), cut from a pool of random hex.
// The SDK's own generator writes Math.random() into a buffer and hex-encodes it for every id,
// three times per traced REST request: about 1.5 µs of the request's CPU in a profile of the
// server under load (docs/performance.md). One crypto-random 4 KiB block hex-encoded at a
// time gives 128 trace ids' worth of characters; each id is then a slice of that string.
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

const POOL_BYTES = 4096;
// An id of all zeros is invalid (W3C trace context); 2^-64 likely, but never sent.
const ZERO = /^0+$/;

export class PooledIdGenerator implements IdGenerator {
  #hex = '';
  #at = 0;

  generateTraceId(): string {
    return this.#take(32);
  }

  generateSpanId(): string {
    return this.#take(16);
  }

  #take(chars: number): string {
    for (;;) {
      if (this.#at + chars > this.#hex.length) {
        this.#hex = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
        this.#at = 0;
      }
      const id = this.#hex.slice(this.#at, this.#at + chars);
      this.#at += chars;
      if (!ZERO.test(id)) return id;
    }
  }
}
