// The store's one typed query layer: statements are written once with Kysely against the
// table types generated from prisma/schema.prisma (server/db/tables.ts), and compiled per
// database by that database's own SQL compiler (identifier quoting, placeholders).
//
// Kysely is used as a builder only, never as a driver: each statement is compiled once per
// database with named placeholders (`$.id` below) and then run as a prepared statement by the
// database's dialect module (dialects/). Building and compiling a query costs tens of
// microseconds; a borrow on SQLite costs about a hundred in all, so compiling per call
// would make the default database measurably slower.
import type { AliasedRawBuilder, Compilable, Expression, Kysely, RawBuilder } from 'kysely';
import type { DB } from '../db/tables.ts';

/** The databases Floatline speaks; each has one dialect module (dialects/). */
export type Flavor = 'sqlite' | 'postgresql';

/** What a dialect module lends the statements: its compiler, and the clauses that differ by database. */
export interface Target {
  flavor: Flavor;
  /** A Kysely instance with the database's query compiler and no driver (dialects/). */
  builder: Kysely<DB>;
  /** `FOR UPDATE` where the database locks rows (PostgreSQL); SQLite locks the whole file at BEGIN IMMEDIATE. */
  lockRows<Q extends { forUpdate(): Q }>(q: Q): Q;
  /** `FOR UPDATE SKIP LOCKED`: several processes prune side by side; nothing where the file is the lock. */
  skipLocked<Q extends { forUpdate(): Q; skipLocked(): Q }>(q: Q): Q;
  /** A stored time (an `at` column, or MIN of one) as seconds since 1970, with its milliseconds. */
  seconds(t: Expression<unknown>): RawBuilder<number>;
  /** A stored time `s` seconds later, comparable with the stored times (same encoding). */
  plusSeconds(t: Expression<unknown>, s: unknown): RawBuilder<Date>;
  /**
   * Whether a scan of seat_hours in key order is summed faster in the process than by the
   * database's GROUP BY (SQLite: rows come in storage order, WITHOUT ROWID, and its GROUP BY
   * on a computed bucket sorts them all; PostgreSQL: a hash aggregate, and far fewer rows to send).
   */
  readonly sumsInProcess: boolean;
  /**
   * A table read through the index named: SQLite plans without statistics (nothing runs
   * ANALYZE) and may scan a whole table in another index's order; PostgreSQL plans by its own.
   */
  indexed<T extends keyof DB & string>(table: T, index: string): AliasedRawBuilder<DB[T], T>;
}

/** A named placeholder: compiled into the statement's parameters, filled from the call's arguments. */
class Placeholder {
  constructor(readonly name: string) {}
}

/** SQL text and parameters, ready for a driver. */
export interface Compiled {
  sql: string;
  params: unknown[];
}

interface Prepared {
  sql: string;
  /** Per parameter: the argument's name, or null for a constant written into the statement. */
  names: (string | null)[];
  constants: unknown[];
}

/** One statement, typed: A are its arguments, R its rows. */
export interface Statement<A, R> {
  compile(target: Target, args: A): Compiled;
  /** Phantom: the row type, for the callers' inference. */
  readonly rows?: R;
}

type Row<C> = C extends Compilable<infer R> ? R : never;

/**
 * A statement with named arguments. `$` stands for the arguments while it is built (typed
 * as they are, so Kysely checks them against the columns); every value must come from `$`
 * or be a constant, since the statement is compiled once and run many times.
 */
export function statement<A extends object, C extends Compilable<unknown>>(
  build: (db: Kysely<DB>, $: A, target: Target) => C,
): Statement<A, Row<C>> {
  const cache: Partial<Record<Flavor, Prepared>> = {};
  const $ = new Proxy({}, { get: (_, name) => new Placeholder(String(name)) }) as A;
  return {
    compile(target, args) {
      let p = cache[target.flavor];
      if (!p) {
        const c = build(target.builder, $, target).compile();
        const names = c.parameters.map((v) => (v instanceof Placeholder ? v.name : null));
        p = cache[target.flavor] = { sql: c.sql, names, constants: [...c.parameters] };
      }
      const a = args as Record<string, unknown>;
      return { sql: p.sql, params: p.names.map((n, i) => (n === null ? p.constants[i] : a[n])) };
    },
  };
}

/** A statement whose shape depends on its arguments (lists of ids): compiled on each call. */
export function dynamic<A, C extends Compilable<unknown>>(build: (db: Kysely<DB>, args: A, target: Target) => C): Statement<A, Row<C>> {
  return {
    compile(target, args) {
      const c = build(target.builder, args, target).compile();
      return { sql: c.sql, params: [...c.parameters] };
    },
  };
}
