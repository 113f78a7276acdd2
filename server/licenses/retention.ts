// Event retention: license_events is history for the activity feed and the usage chart,
// and without a bound it grows forever (one row per borrow, return and denial).
// Rows older than EVENT_RETENTION_DAYS are deleted at start-up and every few minutes, in
// small batches with a turn of the event loop between them, so no request waits long on
// the write lock. Several processes sharing a database may prune at once: each batch
// deletes whatever old rows are left (SQLite serialises writers; PostgreSQL skips rows
// another process holds), and the counts add up to the rows removed.
//
// Statements (statements.ts) are computed from this history until their period is frozen,
// so retention never deletes what one still needs: each prune first freezes every pool's
// last closed period (stored in statements, served as stored from then on), and never cuts
// into the running billing period, whatever EVENT_RETENTION_DAYS says (Licenses.pruneEvents).
//
// overage_charges are never pruned: they are money (the cost shown is their sum), so they
// are kept for the life of the database. Borrows are current state, not history.
//
// The usage chart stays right: its start value is the newest event before the window, or,
// when that event was pruned, derived from the first event inside the window (the seats
// before it), or the pool's current count when nothing happened since (reads.ts). Windows
// are at most 7 days, and a window reaching past the retention horizon starts at the
// oldest value still known.
import type { Store } from './store.ts';
import { systemClock, type Clock } from '../clock.ts';

export const PRUNE_BATCH = 500;
export const PRUNE_INTERVAL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Deletes every event older than `before`, batch by batch; returns how many went. */
export async function pruneEvents(store: Store, before: Date, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.pruneEvents(before, batch);
    total += n;
    if (n < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface PruneReport {
  count: number;
  before: Date;
  retentionDays: number;
  durationMs: number;
  first: boolean;
}

export interface RetentionHooks {
  onPruned(report: PruneReport): void;
  onError(err: unknown): void;
}

export interface EventRetention {
  /** The start-up prune (resolves when it has finished or failed). */
  readonly firstRun: Promise<void>;
  /** Stops the timer and waits for a prune in progress, so the database can close. */
  stop(): Promise<void>;
}

/** Runs `prune` now and every `intervalMs`; `retentionDays` 0 keeps events forever. */
export function scheduleEventRetention(
  prune: (before: Date) => Promise<number>,
  retentionDays: number,
  hooks: RetentionHooks,
  clock: Clock = systemClock,
  intervalMs = PRUNE_INTERVAL_MS,
): EventRetention {
  if (retentionDays <= 0) return { firstRun: Promise.resolve(), stop: async () => {} };
  let running: Promise<void> | null = null;
  let first = true;
  const run = () => {
    if (running) return running; // the previous prune is still going: skip this tick
    const started = performance.now();
    const before = new Date(clock.now().getTime() - retentionDays * DAY_MS);
    running = prune(before)
      .then((count) => hooks.onPruned({ count, before, retentionDays, durationMs: performance.now() - started, first }))
      .catch((err) => hooks.onError(err))
      .finally(() => {
        running = null;
        first = false;
      });
    return running;
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  const firstRun = run();
  return {
    firstRun,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
