// What the store needs of a database, and nothing more: a transaction that holds the write
// lock until it ends, statements run in it (some of them not waited for), and which failures
// mean "the connection is gone". One module per database implements it (sqlite.ts,
// postgres.ts); the store's program (../store.ts) is written once over it.
import type { Compiled, Target } from '../sql.ts';

/** A row as the driver hands it (times may be strings or Dates, counts strings or numbers). */
export type DriverRow = Record<string, unknown>;

/** The statements of one open transaction. */
export interface Conn {
  /** The rows of a statement, read after every write queued before it. */
  all(c: Compiled): Promise<DriverRow[]>;
  /** The number of rows a write changed. */
  run(c: Compiled): Promise<number>;
  /**
   * A write whose answer nothing waits for now: run in order with the others (sent with the
   * next statement that is waited for, at the latest with COMMIT) and settled before COMMIT
   * answers; a failure fails the transaction. `onRows` gets its RETURNING rows.
   */
  later(c: Compiled, onRows?: (rows: DriverRow[]) => void): void;
}

/** COMMIT was sent and its answer lost with the connection: the transaction may or may not have committed. */
export class CommitUncertain extends Error {}

export interface Dialect extends Target {
  /**
   * Runs `body` in one transaction and answers its value once committed (rolled back if it
   * throws). The connection failing before COMMIT was sent throws that error (nothing was
   * kept); failing after, CommitUncertain.
   */
  transaction<T>(body: (c: Conn) => Promise<T>): Promise<T>;
  /**
   * The driver answers within the same turn of the event loop (better-sqlite3): a batch of
   * operations on a pool waits out the turn before it starts, or it would hold only the one
   * request parsed so far (group-commit.ts).
   */
  readonly answersInTurn: boolean;
  /** A statement on its own (auto-commit). */
  all(c: Compiled): Promise<DriverRow[]>;
  run(c: Compiled): Promise<number>;
  /** A read's rows as arrays, in column order (far cheaper than objects for a long scan: a month of seat changes). */
  rows(c: Compiled): Promise<unknown[][]>;
  /**
   * Makes the transactions that name `key` take turns across processes, until this one ends
   * (PostgreSQL: an advisory lock); nothing where every write transaction already excludes
   * the others (SQLite: BEGIN IMMEDIATE takes the file's write lock).
   */
  serialize(c: Conn, key: number): Promise<void>;
  close(): Promise<void>;
  /** Counters for the benchmark (bench/round-trips.ts): transactions, statements sent (in transactions and alone), and the waits for an answer. */
  readonly stats?: { transactions: number; statements: number; roundTrips: number };
}
