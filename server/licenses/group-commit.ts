// Group commit. Operations on one pool that arrive while a transaction on that pool is in
// flight wait for it, then all run in the next transaction together: the pool is locked
// once and loaded once, each operation decides in arrival order with the same rule
// functions against the rows the ones before it left, the pool's row is written once, and
// there is one COMMIT for all. Each caller is answered with its own outcome after that
// COMMIT. A pool's lock is held per transaction, not per borrow, so borrows of a busy pool
// no longer queue behind each other's round trips (see docs/performance.md).
import type { Dialect, Conn, DriverRow } from './dialects/dialect.ts';
import type { ToolRow } from './pool-status.ts';
import type { Statement } from './sql.ts';
import { lockPool, savePool, toolRow } from './store-queries.ts';

/** Most operations one transaction takes; the rest wait for the next (bounds a transaction's length). */
export const MAX_BATCH = 64;

/** One open transaction, as the store's operations see it. */
export class Tx {
  readonly #pools = new Map<string, { row: ToolRow | undefined; dirty: boolean }>();
  /** An event id written in this transaction: its presence after a lost COMMIT answer says whether it committed. */
  eventId: { id: number } | null = null;

  constructor(
    readonly conn: Conn,
    readonly dialect: Dialect,
  ) {}

  all<A, R>(s: Statement<A, R>, args: A): Promise<DriverRow[]> {
    return this.conn.all(s.compile(this.dialect, args));
  }
  async first<A, R>(s: Statement<A, R>, args: A): Promise<DriverRow | undefined> {
    return (await this.all(s, args))[0];
  }
  run<A, R>(s: Statement<A, R>, args: A): Promise<number> {
    return this.conn.run(s.compile(this.dialect, args));
  }
  /** A write nothing waits for (queued on the connection); settled before COMMIT. */
  later<A, R>(s: Statement<A, R>, args: A, onRows?: (rows: DriverRow[]) => void): void {
    this.conn.later(s.compile(this.dialect, args), onRows);
  }

  /** The pool's row, locked until COMMIT (loaded once per transaction); undefined if there is none or it retired. */
  async pool(name: string): Promise<ToolRow | undefined> {
    const held = this.#pools.get(name);
    if (held) return held.row;
    const r = await this.first(lockPool, { name });
    const row = r && toolRow(r);
    this.#pools.set(name, { row, dirty: false });
    return row;
  }
  /** The locked pool's row as an operation left it (borrowed, queued, cost, period): written once, before COMMIT. */
  setPool(row: ToolRow): ToolRow {
    this.#pools.set(row.name, { row, dirty: true });
    return row;
  }
  /** The row as a statement that wrote it directly returned it (budgets, shares). */
  knowPool(row: ToolRow): ToolRow {
    this.#pools.set(row.name, { row, dirty: false });
    return row;
  }
  /** The pool is gone for the rest of this transaction (retired). */
  forgetPool(name: string): void {
    this.#pools.set(name, { row: undefined, dirty: false });
  }
  /** Writes the rows setPool changed (before a statement that writes the pool's row itself, and before COMMIT). */
  flushPools(): void {
    for (const [name, p] of this.#pools) {
      if (!p.dirty || !p.row) continue;
      const r = p.row;
      this.later(savePool, {
        name,
        borrowed: r.borrowed,
        overage_cost: r.overageCost,
        queued: r.queued,
        period_start: r.periodStart,
        period_overage_cost: r.periodOverageCost,
      });
      p.dirty = false;
    }
  }
}

interface Job<T> {
  body: (tx: Tx) => Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/**
 * Batches per key (a pool's name). `transact` runs one transaction (with the store's
 * retries); a batch that fails is run again one operation per transaction, so each caller
 * gets its own outcome or its own error, never another's. An outcome that is unknown (the
 * COMMIT's answer was lost) is every caller's error: running them again could apply twice.
 */
export class GroupCommit {
  readonly #queues = new Map<string, Job<unknown>[]>();
  constructor(
    private readonly transact: <T>(body: (tx: Tx) => Promise<T>) => Promise<T>,
    private readonly isUnknownOutcome: (err: unknown) => boolean,
  ) {}

  submit<T>(key: string, body: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job = { body, resolve, reject } as Job<unknown>;
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push(job);
        return;
      }
      this.#queues.set(key, [job]);
      void this.#drain(key);
    });
  }

  async #drain(key: string): Promise<void> {
    const queue = this.#queues.get(key)!;
    while (queue.length > 0) {
      const jobs = queue.splice(0, MAX_BATCH);
      await this.#batch(jobs);
    }
    this.#queues.delete(key);
  }

  async #batch(jobs: Job<unknown>[]): Promise<void> {
    try {
      const values = await this.transact(async (tx) => {
        const out: unknown[] = [];
        for (const j of jobs) out.push(await j.body(tx));
        return out;
      });
      for (const [i, j] of jobs.entries()) j.resolve(values[i]);
    } catch (err) {
      if (jobs.length === 1 || this.isUnknownOutcome(err)) {
        for (const j of jobs) j.reject(err);
        return;
      }
      for (const j of jobs) await this.transact(j.body).then(j.resolve, j.reject);
    }
  }
}
