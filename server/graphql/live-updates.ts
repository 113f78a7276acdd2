// Fans committed license changes out to GraphQL subscribers. Payloads are complete
// (no database read per subscriber). Every open subscription is tracked so shutdown
// can end them cleanly and the gauge of open subscriptions stays true.
import { createPubSub, filter, pipe, type PubSub } from 'graphql-yoga';
import type { LicenseChange, LicenseEventRecord, PoolStatus } from '../licenses/index.ts';
import type { Metrics } from '../observability/metrics.ts';

type Topics = {
  pool: [tool: string, pool: PoolStatus];
  pools: [pool: PoolStatus];
  events: [event: LicenseEventRecord];
};

export class LiveUpdates {
  readonly #pubSub: PubSub<Topics>;
  readonly #open = new Set<AsyncIterator<unknown>>();
  #closed = false;

  constructor(private readonly metrics: Metrics, shared?: { eventTarget: EventTarget }) {
    this.#pubSub = createPubSub<Topics>(shared as Parameters<typeof createPubSub<Topics>>[0]);
  }

  publish = (change: LicenseChange): void => {
    if (change.pool) {
      this.#pubSub.publish('pool', change.pool.tool, change.pool);
      this.#pubSub.publish('pools', change.pool);
    }
    if (change.event) this.#pubSub.publish('events', change.event);
  };

  pool(transport: 'sse' | 'ws', tool?: string): AsyncIterable<PoolStatus> {
    return this.#track(transport, tool === undefined ? this.#pubSub.subscribe('pools') : this.#pubSub.subscribe('pool', tool));
  }

  events(transport: 'sse' | 'ws', tool?: string): AsyncIterable<LicenseEventRecord> {
    const source = this.#track(transport, this.#pubSub.subscribe('events'));
    // Repeater-based filter: an unsubscribe ends it at once, not at the next event.
    return tool === undefined ? source : pipe(source, filter((e: LicenseEventRecord) => e.tool === tool));
  }

  get openCount(): number { return this.#open.size; }

  /** Ends every open subscription (clients get a clean completion). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#open].map((it) => it.return?.()));
  }

  #track<T>(transport: 'sse' | 'ws', source: AsyncIterable<T>): AsyncIterable<T> {
    const open = this.#open;
    const gauge = this.metrics.subscriptionsOpen;
    const closed = this.#closed;
    return {
      [Symbol.asyncIterator]() {
        const it = source[Symbol.asyncIterator]();
        if (closed) { void it.return?.(); return { next: async () => ({ done: true, value: undefined }) } as AsyncIterator<T>; }
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          open.delete(wrapped);
          gauge.dec({ transport });
        };
        const wrapped: AsyncIterator<T> = {
          async next() {
            const r = await it.next();
            if (r.done) finish();
            return r;
          },
          async return(value?: unknown) {
            finish();
            return (await it.return?.(value)) ?? { done: true, value: undefined };
          },
        };
        open.add(wrapped);
        gauge.inc({ transport });
        return wrapped;
      },
    };
  }
}
