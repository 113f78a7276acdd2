// Heavy reads — statements, usage reports and their CSV — are the only requests whose work
// grows with history rather than with the request: one over a busy hour's raw events costs
// ~100-300 ms of CPU (read in slices with the event loop free between them, seat-history.ts),
// and fifteen aliases of it in one query cost fifteen times that. Three bounds keep cheap
// requests fast:
// - the same read asked again while it runs shares that computation (single flight), so
//   aliases cost one run, not fifteen; a statement's result also answers for 2 s after
//   (a capped memo; a change to its pool ends it), so repeating readers share it too. Usage
//   reports are not kept: their live part grows by the second and clients compare it;
// - at most `concurrency` heavy reads run at once, and at most `queue` wait: beyond that the
//   reader is told to retry (429 + Retry-After), instead of the process buying its memory;
// - each run starts from a fresh turn of the event loop (setImmediate), so requests that
//   arrived meanwhile (a borrow, a probe) are served between two heavy runs.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RateLimitedError } from '../auth/rate-gate.ts';

export interface HeavyReadLimits {
  /** Heavy reads computing at once. */
  concurrency: number;
  /** Heavy reads waiting for a turn; one more is refused. */
  queue: number;
  /** How long a result answers the same read again (ms). */
  memoMs: number;
  /** Most results kept for memoMs. */
  memoEntries: number;
}

export const HEAVY_READ_LIMITS: HeavyReadLimits = { concurrency: 1, queue: 32, memoMs: 2000, memoEntries: 256 };

// The memo's age is on the system clock, not the server's (clock.ts): it bounds how often the
// server recomputes per real second (load shedding), and decides no expiry a user sees.
export class HeavyReads {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #memo = new Map<string, { at: number; value: unknown }>();

  constructor(private readonly limits: HeavyReadLimits = HEAVY_READ_LIMITS) {}

  /** The result of `work` for `key`: shared with a run in flight or a recent one, else computed in turn. */
  run<T>(key: string, work: () => Promise<T>, memoMs = this.limits.memoMs): Promise<T> {
    const now = Date.now();
    const kept = this.#memo.get(key);
    if (kept && now - kept.at < memoMs) return Promise.resolve(kept.value as T);
    const flying = this.#inFlight.get(key);
    if (flying) return flying as Promise<T>;
    const p = this.#inTurn(work).then(
      (value) => {
        if (memoMs > 0) this.#remember(key, value);
        return value;
      },
      (err: unknown) => {
        throw err;
      },
    );
    this.#inFlight.set(key, p);
    void p.finally(() => this.#inFlight.delete(key)).catch(() => {});
    return p;
  }

  async #inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limits.concurrency) {
      if (this.#waiting.length >= this.limits.queue) {
        throw new RateLimitedError(
          2,
          `The server is busy computing other reports and statements (${this.limits.queue} waiting); retry after 2 s`,
        );
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      await nextTurn();
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next)
        next(); // the place passes on: #running stays the same
      else this.#running--;
    }
  }

  /** Recent results about `tool` (and about every pool) stop answering: a change of that
   *  pool may alter them. Keys start `<kind>:<tool or *>:`. Runs in flight still finish. */
  forget(tool: string): void {
    for (const key of this.#memo.keys()) {
      const about = key.split(':', 2)[1];
      if (about === tool || about === '*') this.#memo.delete(key);
    }
  }

  #remember(key: string, value: unknown): void {
    if (this.#memo.size >= this.limits.memoEntries) {
      const now = Date.now();
      for (const [k, v] of this.#memo) if (now - v.at >= this.limits.memoMs) this.#memo.delete(k);
      if (this.#memo.size >= this.limits.memoEntries) this.#memo.delete(this.#memo.keys().next().value!);
    }
    this.#memo.set(key, { at: Date.now(), value });
  }
}
