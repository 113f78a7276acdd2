// Fans committed license changes out to GraphQL subscribers. Payloads are complete
// (no database read per subscriber). Every open subscription is tracked so shutdown
// can end them cleanly and the gauge of open subscriptions stays true.
//
// One event listener per topic, not one per subscriber: with thousands of subscribers
// on the same pool, a per-subscriber Repeater and EventTarget listener (Yoga's
// createPubSub().subscribe) made every change allocate and dispatch thousands of
// times over, and garbage collection took a third of the fan-out's CPU (bench/).
// Here a topic's single listener pushes the value into each subscriber's small queue.
//
// Every change reaches this process's subscribers directly, through an in-process
// EventTarget, whether or not Redis is configured or reachable; with REDIS_URL the
// relay (live-relay.ts) additionally carries it to the other processes and brings theirs.
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Transport as RequestTransport } from './context.ts';
import type { LicenseChange, LicenseEventRecord, PoolStatus } from '../licenses/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LiveRelay, RelayedChange } from './live-relay.ts';
import type { AuditEventRecord } from '../auth/audit.ts';
import type { ObservedPoolRecord } from '../observed/index.ts';

type Topics = {
  pool: [tool: string, pool: PoolStatus];
  pools: [pool: PoolStatus];
  events: [event: LicenseEventRecord];
  event: [tool: string, event: LicenseEventRecord];
  audit: [event: AuditEventRecord];
  observed: [pool: ObservedPoolRecord];
  observedSource: [source: string, pool: ObservedPoolRecord];
};

/** The gauge's label: subscriptions over plain HTTP stream as SSE. */
type Transport = 'sse' | 'ws';
const labelOf = (t: RequestTransport): Transport => (t === 'ws' ? 'ws' : 'sse');

/** One subscriber: a queue of values not yet taken, and the taker waiting, if any. */
class Subscriber<T> implements AsyncIterator<T> {
  #queue: T[] = [];
  #waiting: ((r: IteratorResult<T>) => void) | null = null;
  #done = false;
  constructor(private readonly onEnd: (s: Subscriber<T>) => void) {}

  push(value: T): void {
    if (this.#done) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = null;
      waiting({ done: false, value });
    } else {
      this.#queue.push(value);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve({ done: false, value: this.#queue.shift()! });
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#queue = [];
    this.onEnd(this);
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.({ done: true, value: undefined });
  }
}

export class LiveUpdates {
  readonly #target: EventTarget;
  readonly #pubSub: PubSub<Topics>;
  /** Subscribers by EventTarget topic, each topic with one listener while it has any. */
  readonly #topics = new Map<string, { subscribers: Set<Subscriber<unknown>>; listener: (e: Event) => void }>();
  readonly #open = new Set<Subscriber<unknown>>();
  #closed = false;

  constructor(
    private readonly metrics: Metrics,
    private readonly relay?: LiveRelay,
  ) {
    // Publishing stays Yoga's (topic naming, CustomEvent with the payload as detail).
    this.#target = new EventTarget();
    this.#pubSub = createPubSub<Topics>({ eventTarget: this.#target } as Parameters<typeof createPubSub<Topics>>[0]);
    relay?.onRemote(this.#deliver);
  }

  /** A change committed by this process: its subscribers first, then the other processes. */
  publish = (change: LicenseChange): void => {
    if (!change.pool && !change.event) return; // a heartbeat: nothing a subscriber sees
    this.#deliver(change);
    this.relay?.send({ pool: change.pool, event: change.event });
  };

  /** An audit-trail entry written by this process: its admins' feeds, then the others'. */
  publishAudit = (audit: AuditEventRecord): void => {
    this.#deliver({ pool: null, event: null, audit });
    this.relay?.send({ pool: null, event: null, audit });
  };

  /** Observed pools (FlexNet, RLM) a snapshot changed: this process's subscribers, then the others. */
  publishObserved = (pools: ObservedPoolRecord[]): void => {
    if (pools.length === 0) return;
    this.#deliver({ pool: null, event: null, observed: pools });
    this.relay?.send({ pool: null, event: null, observed: pools });
  };

  #deliver = (change: RelayedChange): void => {
    for (const p of change.observed ?? []) {
      this.#pubSub.publish('observed', p);
      this.#pubSub.publish('observedSource', p.source, p);
    }
    if (change.audit) this.#pubSub.publish('audit', change.audit);
    if (change.pool) {
      this.#pubSub.publish('pool', change.pool.tool, change.pool);
      this.#pubSub.publish('pools', change.pool);
    }
    if (change.event) {
      this.#pubSub.publish('event', change.event.tool, change.event);
      this.#pubSub.publish('events', change.event);
    }
  };

  // Yoga names a topic with an id `topic:id`; one tool's subscribers listen there.
  pool(transport: RequestTransport, tool?: string): AsyncIterable<PoolStatus> {
    return this.#subscribe<PoolStatus>(labelOf(transport), tool === undefined ? 'pools' : `pool:${tool}`);
  }

  events(transport: RequestTransport, tool?: string): AsyncIterable<LicenseEventRecord> {
    return this.#subscribe<LicenseEventRecord>(labelOf(transport), tool === undefined ? 'events' : `event:${tool}`);
  }

  observed(transport: RequestTransport, source?: string): AsyncIterable<ObservedPoolRecord> {
    return this.#subscribe<ObservedPoolRecord>(labelOf(transport), source === undefined ? 'observed' : `observedSource:${source}`);
  }

  audit(transport: RequestTransport): AsyncIterable<AuditEventRecord> {
    return this.#subscribe<AuditEventRecord>(labelOf(transport), 'audit');
  }

  /** Ends every open subscription (clients get a clean completion). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const s of [...this.#open]) s.end();
  }

  #subscribe<T>(transport: Transport, topic: string): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<T> => {
        const gauge = this.metrics.subscriptionsOpen;
        const subscriber = new Subscriber<T>((s) => {
          this.#open.delete(s as Subscriber<unknown>);
          gauge.dec({ transport });
          const entry = this.#topics.get(topic);
          if (entry?.subscribers.delete(s as Subscriber<unknown>) && entry.subscribers.size === 0) {
            this.#topics.delete(topic);
            this.#target.removeEventListener(topic, entry.listener);
          }
        });
        this.#open.add(subscriber as Subscriber<unknown>);
        gauge.inc({ transport });
        if (this.#closed) {
          subscriber.end();
          return subscriber;
        }
        let entry = this.#topics.get(topic);
        if (!entry) {
          const subscribers = new Set<Subscriber<unknown>>();
          const listener = (e: Event) => {
            const value = (e as CustomEvent).detail;
            for (const s of subscribers) s.push(value);
          };
          entry = { subscribers, listener };
          this.#topics.set(topic, entry);
          this.#target.addEventListener(topic, listener);
        }
        entry.subscribers.add(subscriber as Subscriber<unknown>);
        return subscriber;
      },
    };
  }
}
