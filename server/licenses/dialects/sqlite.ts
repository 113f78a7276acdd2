// SQLite through better-sqlite3: statements prepared once per SQL text, every transaction
// BEGIN IMMEDIATE ... COMMIT (the file's write lock: every process sharing the file waits
// its turn, so the rows read inside are current). better-sqlite3 answers synchronously, so
// a transaction here never waits on I/O between its statements; transactions of this
// process still take turns (one connection), in the order they were asked for.
import type Database from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { checkpointOffThread } from '../../db/checkpointer.ts';
import type { DB } from '../../db/tables.ts';
import type { Compiled } from '../sql.ts';
import type { Conn, Dialect, DriverRow } from './dialect.ts';

/** Times as Prisma's SQLite adapter writes them (ISO text), so Prisma reads them back alike; booleans as 0/1. */
const encode = (v: unknown) =>
  v instanceof Date ? v.toISOString().replace('Z', '+00:00') : typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v;

const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

export function sqliteDialect(db: Database.Database): Dialect {
  checkpointOffThread(db);
  // Bounded by the statements the program holds (a few dozen texts; dynamic ones vary only by list length).
  const prepared = new Map<string, Database.Statement>();
  // Statements answering arrays are kept apart: raw() changes a prepared statement.
  const preparedRaw = new Map<string, Database.Statement>();
  const prepare = (c: Compiled, raw = false) => {
    const cache = raw ? preparedRaw : prepared;
    let s = cache.get(c.sql);
    if (!s) {
      s = raw ? db.prepare(c.sql).raw(true) : db.prepare(c.sql);
      if (cache.size < 500) cache.set(c.sql, s);
    }
    return s;
  };
  const all = (c: Compiled) => {
    const s = prepare(c);
    const params = c.params.map(encode);
    if (s.reader) return s.all(...params) as DriverRow[];
    s.run(...params);
    return [];
  };
  const run = (c: Compiled) => prepare(c).run(...c.params.map(encode)).changes;
  const conn: Conn = {
    all: async (c) => all(c),
    run: async (c) => run(c),
    later: (c, onRows) => {
      if (onRows) onRows(all(c));
      else run(c);
    },
  };
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let turn: Promise<unknown> = Promise.resolve();
  return {
    flavor: 'sqlite',
    builder,
    lockRows: (q) => q,
    skipLocked: (q) => q,
    // Times are ISO text (encode above): unixepoch reads it with its milliseconds, strftime
    // writes it back in the same form, so it compares with the stored text.
    seconds: (t) => sql<number>`unixepoch(${t}, 'subsec')`,
    plusSeconds: (t, s) => sql<Date>`strftime('%Y-%m-%dT%H:%M:%f+00:00', ${t}, '+' || ${s} || ' seconds')`,
    sumsInProcess: true,
    answersInTurn: true,
    // `"t" as "t" INDEXED BY "i"`: the planner must use that index (or refuse the statement).
    indexed: (table, index) => sql<DB[typeof table]>`${sql.table(table)}`.as(sql`${sql.table(table)} INDEXED BY ${sql.id(index)}`),
    serialize: async () => {},
    transaction<T>(body: (c: Conn) => Promise<T>): Promise<T> {
      const mine = turn.then(async () => {
        begin.run();
        try {
          const value = await body(conn);
          commit.run();
          return value;
        } catch (err) {
          if (db.inTransaction) rollback.run();
          throw err;
        }
      });
      turn = mine.catch(() => {});
      return mine;
    },
    // A read sees committed rows (or this process's open transaction's: harmless for the
    // reads done outside one); a write waits for its turn so it never joins another's transaction.
    all: async (c) => all(c),
    rows: async (c) => prepare(c, true).all(...c.params.map(encode)) as unknown[][],
    run(c) {
      const mine = turn.then(() => run(c));
      turn = mine.catch(() => {});
      return mine;
    },
    close: async () => {},
  };
}
