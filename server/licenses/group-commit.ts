// Group commit. Writes that arrive while a transaction is in flight wait for it, then all run
// in the next transaction together, whichever pools they are on: the pools are locked once
// each, in name order (two processes' batches never wait on each other in a cycle), and
// loaded once; each operation decides in arrival order with the same rule functions against
// the rows the ones before it left; each pool's row is written once, and there is one COMMIT
// for all. Each caller is answered with its own outcome after that COMMIT. Locks are held per
// transaction, not per borrow, so borrows no longer queue behind each other's round trips,
// and writes spread over many pools cost a commit per batch, not per pool (docs/performance.md).
import type { Dialect, Conn, DriverRow } from './dialects/dialect.ts';
import type { ToolRow } from './pool-status.ts';
import type { Statement } from './sql.ts';
import { lockPool, savePool, toolRow } from './store-queries.ts';

/**
 * The order every writer that locks several pools locks them in: code-unit order (a plain
 * sort), the same in every process whatever the database's collation.
 */
export function inLockOrder(pools: Iterable<string>): string[] {
  return [...pools].sort();
}

/** Most operations one transaction takes; the rest wait for the next (bounds a transaction's length). */
export const MAX_BATCH = 64;

/** One open transaction, as the store's operations see it. */
export class Tx {
  readonly #pools = new Map<string, { row: ToolRow | undefined; dirty: boolean }>();
  /** A pool's lock asked for and not answered yet: asked once, however many wait for it. */
  readonly #locking = new Map<string, Promise<ToolRow | undefined>>();
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
  /** A write nothing waits for (sent with the next statement waited for); settled before COMMIT. */
  later<A, R>(s: Statement<A, R>, args: A, onRows?: (rows: DriverRow[]) => void): void {
    this.conn.later(s.compile(this.dialect, args), onRows);
  }

  /** The pool's row, locked until COMMIT (loaded once per transaction); undefined if there is none or it retired. */
  pool(name: string): Promise<ToolRow | undefined> {
    const held = this.#pools.get(name);
    if (held) return Promise.resolve(held.row);
    let locking = this.#locking.get(name);
    if (!locking) {
      locking = this.first(lockPool, { name }).then((r) => {
        const row = r && toolRow(r);
        this.#pools.set(name, { row, dirty: false });
        this.#locking.delete(name);
        return row;
      });
      this.#locking.set(name, locking);
    }
    return locking;
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
  /** The pool the operation writes (locked for it, in name order with the batch's others). */
  key: string;
  body: (tx: Tx) => Promise<T>;
  /** Reads the operation asks for before any operation of the batch runs (they share the lock's round trip). */
  prepare?: (tx: Tx) => void;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/**
 * Batches the writes of this process, each on one key (a pool's name). `transact` runs one transaction (with the store's
 * retries); a batch that fails is run again one operation per transaction, so each caller
 * gets its own outcome or its own error, never another's. An outcome that is unknown (the
 * COMMIT's answer was lost) is every caller's error: running them again could apply twice.
 */
export class GroupCommit {
  /** Writes waiting for the next transaction, in arrival order; null while none is running or due. */
  #queue: Job<unknown>[] | null = null;
  constructor(
    private readonly transact: <T>(body: (tx: Tx) => Promise<T>) => Promise<T>,
    private readonly isUnknownOutcome: (err: unknown) => boolean,
    /**
     * Start a batch on the next turn of the event loop instead of at once. SQLite
     * answers synchronously, so a batch started at once commits before the requests that
     * arrived with it are even parsed: every batch would be of one, each paying its own
     * BEGIN, pool read, pool write and COMMIT (the COMMIT alone is about half a borrow's
     * CPU). Waiting out the turn lets the requests read in the same turn join the batch.
     */
    private readonly gatherTurn = false,
  ) {}

  /**
   * `prepare` is called in each transaction the operation runs in, before the batch's first
   * operation: the reads it starts go out with the pool's lock instead of a round trip each.
   */
  submit<T>(key: string, body: (tx: Tx) => Promise<T>, prepare?: (tx: Tx) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job = { key, body, prepare, resolve, reject } as Job<unknown>;
      if (this.#queue) {
        this.#queue.push(job);
        return;
      }
      this.#queue = [job];
      if (this.gatherTurn) setImmediate(() => void this.#drain());
      else void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    const queue = this.#queue!;
    while (queue.length > 0) {
      const jobs = queue.splice(0, MAX_BATCH);
      await this.#batch(jobs);
    }
    this.#queue = null;
  }

  /**
   * Every operation on a pool starts by locking it: the batch's pools are locked first, in
   * name order, then what the operations prepare is asked, so all of it is one round trip and
   * runs under the locks. The order matters across processes: two batches that share pools
   * lock them in the same order, so neither holds one the other needs while waiting for one it
   * holds.
   */
  #prepare(tx: Tx, jobs: Job<unknown>[]): void {
    const keys = new Set(jobs.map((j) => j.key));
    if (keys.size === 1 && !jobs.some((j) => j.prepare)) return; // the operation locks its pool first
    for (const key of inLockOrder(keys)) tx.pool(key).catch(() => {}); // awaited again by the operations; a failure is theirs
    for (const j of jobs) j.prepare?.(tx);
  }

  async #batch(jobs: Job<unknown>[]): Promise<void> {
    try {
      const values = await this.transact(async (tx) => {
        this.#prepare(tx, jobs);
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
      for (const j of jobs)
        await this.transact((tx) => {
          this.#prepare(tx, [j]);
          return j.body(tx);
        }).then(j.resolve, j.reject);
    }
  }
}
