// Carries committed license changes to the other Floatline processes through Redis
// (REDIS_URL). Local subscribers never depend on it: LiveUpdates hands every change to
// this process's subscribers directly and *also* gives it to the relay, which publishes
// it tagged with this process's id; each process ignores its own messages coming back.
//
// Redis may go away at any time, and that must not end the process or slow a borrow:
// - publishing never throws or rejects: while Redis is not ready a change is not sent,
//   only counted (floatline_live_relay_dropped_total). Nothing is buffered or replayed:
//   a live update is a snapshot of a pool or one history event, and a subscriber that
//   missed some while Redis was away gets the pool's current state with the next change
//   (and can re-read history). A bounded buffer would resend stale snapshots out of order.
// - the publishing client has no offline queue and no per-command retries, and at most
//   MAX_IN_FLIGHT publishes wait for an answer, so nothing accumulates while Redis is away;
// - both clients reconnect forever with a capped backoff; the subscribing client
//   subscribes again itself on every reconnect, and only then counts Redis as back;
// - the state goes to Dependencies (gauge, /readyz, one log line per change).
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { Redis as RedisClient } from 'ioredis';
import type { LicenseEventRecord, PoolStatus } from '../licenses/index.ts';
import type { AuditEventRecord } from '../auth/audit.ts';
import type { ObservedPoolRecord } from '../observed/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Dependencies } from '../observability/dependencies.ts';
import { inSpan, SpanKind } from '../observability/tracing.ts';

/** What a subscriber needs of a change: the pool after it and its history event. */
export interface RelayedChange {
  pool: PoolStatus | null;
  event: LicenseEventRecord | null;
  /** An audit-trail entry (admin action), for admins' activity feeds. */
  audit?: AuditEventRecord | null;
  /** Observed pools (FlexNet, RLM) a snapshot changed; their dates arrive as ISO strings from other processes. */
  observed?: ObservedPoolRecord[] | null;
}

export interface LiveRelay {
  send(change: RelayedChange): void;
  /** Changes made by other processes. */
  onRemote(listener: (change: RelayedChange) => void): void;
  close(): Promise<void>;
}

/** One channel for every change: one PUBLISH per change, one SUBSCRIBE per process. */
export const RELAY_CHANNEL = 'floatline:live';
/** Reconnect after 100 ms, 200 ms, ... never waiting more than this between attempts. */
export const MAX_RECONNECT_DELAY_MS = 1000;
/** Publishes sent and not yet answered, at most; beyond, changes are dropped (counted). */
const MAX_IN_FLIGHT = 1000;
/** How long start-up waits for Redis before it goes on without it (and keeps trying). */
const STARTUP_WAIT_MS = 5000;

export async function createLiveRelay(
  redisUrl: string | undefined,
  deps: { log: Logger; metrics: Metrics; dependencies: Dependencies },
): Promise<LiveRelay | undefined> {
  if (!redisUrl) return undefined;
  const { log, metrics, dependencies } = deps;
  const { Redis } = await import('ioredis');
  const origin = randomUUID();
  const dropped = new Counter({
    name: 'floatline_live_relay_dropped_total',
    help: 'Live updates not sent to other processes because Redis was unavailable',
    registers: [metrics.registry],
  });
  dropped.inc(0);

  const options = {
    retryStrategy: (times: number) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResubscribe: false,
    connectTimeout: 2000,
    lazyConnect: true,
  };
  // Publishes made in the same tick (a batch's outcomes answered together) leave in one write.
  const publisher: RedisClient = new Redis(redisUrl, { ...options, enableAutoPipelining: true });
  const subscriber: RedisClient = new Redis(redisUrl, options);
  let subscribed = false;
  let lastError: unknown;
  let everUp = false;
  let closing = false;
  let startupOver = false;
  let inFlight = 0;
  const listeners: ((c: RelayedChange) => void)[] = [];

  const update = () => {
    if (closing) return;
    const up = publisher.status === 'ready' && subscriber.status === 'ready' && subscribed;
    if (up && !everUp) {
      everUp = true;
      log.info({ event: 'redis_connected' }, 'live updates go through Redis');
    }
    // Until start-up has its first answer, "not up yet" is not an outage (see below).
    if (!up && !everUp && !startupOver) return;
    dependencies.set('redis', up, up ? undefined : (lastError ?? 'connection lost'));
  };
  for (const client of [publisher, subscriber]) {
    // Without a listener ioredis prints every failed reconnect to the console.
    client.on('error', (err: Error) => {
      lastError = err;
    });
    client.on('close', update);
    client.on('end', update);
    client.on('reconnecting', update);
  }
  publisher.on('ready', update);
  subscriber.on('close', () => {
    subscribed = false;
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(RELAY_CHANNEL).then(
      () => {
        subscribed = true;
        update();
      },
      (err: unknown) => {
        lastError = err;
        update();
      }, // the next reconnect tries again
    );
  });
  // This process's own messages come back too (every process subscribes): recognised by their
  // first bytes (send() writes the origin first), not parsed only to be dropped.
  const ownPrefix = `{"origin":${JSON.stringify(origin)},`;
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== RELAY_CHANNEL || message.startsWith(ownPrefix)) return;
    // Anyone who can reach Redis can publish here: a message that is not ours in shape is
    // skipped, and nothing thrown in delivery escapes into ioredis's socket handler.
    try {
      const parsed = JSON.parse(message) as {
        origin?: unknown;
        pool?: PoolStatus | null;
        event?: LicenseEventRecord | null;
        audit?: AuditEventRecord | null;
        observed?: ObservedPoolRecord[] | null;
      } | null;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.origin !== 'string') {
        log.warn({ event: 'live_relay_bad_message' }, 'ignored a message on the live-update channel that is not a Floatline change');
        return;
      }
      if (parsed.origin === origin) return;
      const change = {
        pool: parsed.pool ?? null,
        event: parsed.event ?? null,
        audit: parsed.audit ?? null,
        observed: Array.isArray(parsed.observed) ? parsed.observed : null,
      };
      for (const l of listeners) l(change);
    } catch (err) {
      log.warn({ event: 'live_relay_bad_message', err }, 'could not deliver a message from the live-update channel');
    }
  });

  // Start both; a Redis that is away at start-up is a degraded start, not a failed one.
  // connect() rejects when the first attempt fails, but the client keeps retrying.
  publisher.connect().catch((err: unknown) => {
    lastError = err;
  });
  subscriber.connect().catch((err: unknown) => {
    lastError = err;
  });
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (!dependencies.isUp('redis') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  startupOver = true;
  if (!dependencies.isUp('redis')) {
    dependencies.set('redis', false, lastError ?? 'no answer at start-up');
    log.warn({ event: 'redis_unavailable_at_startup' }, 'starting without Redis: live updates stay in this process until it answers');
  }

  return {
    send(change) {
      // A Redis that stops answering without closing the connection (paused, network
      // black hole) leaves publishes waiting on the socket: past MAX_IN_FLIGHT, drop.
      if (publisher.status !== 'ready' || inFlight >= MAX_IN_FLIGHT) {
        dropped.inc();
        return;
      }
      const message = JSON.stringify({
        origin,
        pool: change.pool,
        event: change.event,
        ...(change.audit ? { audit: change.audit } : {}),
        ...(change.observed ? { observed: change.observed } : {}),
      });
      inFlight++;
      inSpan(
        'PUBLISH',
        { 'db.system.name': 'redis', 'db.operation.name': 'PUBLISH' },
        () => publisher.publish(RELAY_CHANNEL, message),
        SpanKind.CLIENT,
      ).then(
        () => {
          inFlight--;
        },
        (err: unknown) => {
          inFlight--;
          lastError = err;
          dropped.inc();
        },
      );
    },
    onRemote(listener) {
      listeners.push(listener);
    },
    async close() {
      closing = true;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
