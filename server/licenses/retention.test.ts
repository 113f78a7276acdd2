// The retention's batching and schedule, with a store that only counts (the real
// statements on both databases are exercised by test/data-bounds.test.ts).
import { describe, expect, it } from 'vitest';
import { pruneEvents, scheduleEventRetention, type PruneReport } from './retention.ts';
import type { Store } from './store.ts';

function fakeStore(rows: number) {
  const calls: { before: Date; limit: number }[] = [];
  let left = rows;
  const store = {
    pruneEvents(before: Date, limit: number) {
      calls.push({ before, limit });
      const n = Math.min(left, limit);
      left -= n;
      return n;
    },
  } as unknown as Store;
  return { store, calls, left: () => left };
}

describe('pruneEvents', () => {
  it('deletes batch by batch until a batch comes back short', async () => {
    const f = fakeStore(1234);
    const before = new Date('2026-01-01T00:00:00Z');
    expect(await pruneEvents(f.store, before, 500)).toBe(1234);
    expect(f.calls.map((c) => c.limit)).toEqual([500, 500, 500]);
    expect(f.calls.every((c) => c.before === before)).toBe(true);
    expect(f.left()).toBe(0);
  });

  it('lets other work run between batches', async () => {
    const f = fakeStore(5000);
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
    }, 0);
    const slowStore = {
      pruneEvents: (b: Date, l: number) => {
        const end = Date.now() + 2;
        while (Date.now() < end);
        return f.store.pruneEvents(b, l);
      },
    } as unknown as Store;
    await pruneEvents(slowStore, new Date(), 500);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('scheduleEventRetention', () => {
  it('never prunes with 0 days', async () => {
    let called = false;
    const r = scheduleEventRetention(
      async () => {
        called = true;
        return 0;
      },
      0,
      { onPruned: () => {}, onError: () => {} },
    );
    await r.firstRun;
    await r.stop();
    expect(called).toBe(false);
  });

  it('prunes at once with the cutoff `days` ago, reports it, and stop waits for a prune in progress', async () => {
    const reports: PruneReport[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cutoffs: Date[] = [];
    const r = scheduleEventRetention(
      async (before) => {
        cutoffs.push(before);
        await gate;
        return 7;
      },
      30,
      {
        onPruned: (p) => reports.push(p),
        onError: (e) => {
          throw e;
        },
      },
      { now: () => new Date('2026-03-31T12:00:00Z') },
      60_000,
    );
    // 30 days before the clock's now, exactly: the cutoff reads the clock it is given.
    expect(cutoffs[0]).toEqual(new Date('2026-03-01T12:00:00Z'));
    let stopped = false;
    const stopping = r.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(reports).toMatchObject([{ count: 7, retentionDays: 30, first: true }]);
  });

  it('reports a failure and keeps the schedule', async () => {
    const errors: unknown[] = [];
    const r = scheduleEventRetention(
      async () => {
        throw new Error('database is locked');
      },
      1,
      { onPruned: () => {}, onError: (e) => errors.push(e) },
    );
    await r.firstRun;
    await r.stop();
    expect(String(errors[0])).toContain('database is locked');
  });
});
