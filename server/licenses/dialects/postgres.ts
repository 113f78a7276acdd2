// PostgreSQL through node-postgres (pg): a transaction is BEGIN ... COMMIT on one pooled
// client, the pool's row locked with SELECT ... FOR UPDATE. The client runs in pg's pipeline
// mode: the writes nothing waits for (Conn.later) are held and leave in one socket write with
// the next statement the program waits for (BEGIN with the locking SELECT, the last writes
// with COMMIT), so a plain borrow is two round trips. Statements are prepared once per
// connection (named by their text).
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import pg from 'pg';
import type { DB } from '../../db/tables.ts';
import { isConnectionError } from '../../db/unavailable.ts';
import type { Compiled } from '../sql.ts';
import { CommitUncertain, type Conn, type Dialect, type DriverRow } from './dialect.ts';

/**
 * Connections per process. Group commit keeps one write transaction in flight per process;
 * the rest serve the standalone writes (teams) and the reads. PostgreSQL's default 100
 * connections then hold a dozen processes beside Prisma's own pool.
 */
export const STORE_POOL_SIZE = 8;

const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

// timestamp(3) columns hold UTC wall time (as Prisma writes them): read as UTC whatever the
// process's time zone, written as ISO text (whose zone PostgreSQL ignores for them).
const TIMESTAMP = 1114;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP
      ? (s: string) => new Date(`${s.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};
const encode = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

/** Prepared statements are named by their text (pg prepares each once per connection). */
const names = new Map<string, string>();
const nameOf = (sql: string): string | undefined => {
  let n = names.get(sql);
  if (!n && names.size < 1000) {
    n = `fl${names.size}`;
    names.set(sql, n);
  }
  return n; // past the bound (dynamic statements of many lengths): unnamed, parsed each time
};
const config = (c: Compiled) => ({ name: nameOf(c.sql), text: c.sql, values: c.params.map(encode) });

/** A promise whose rejection is handled where it is awaited (or by the transaction's end), never reported as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export function postgresDialect(url: string, max = STORE_POOL_SIZE): Dialect {
  // Pipeline mode: a statement is written as soon as it is queried, without waiting for the
  // answer to the one before (each still ends with its own Sync, so each gets its own answer
  // or error, in order). A transaction's statements are only ever issued by its own program
  // through `flush` below, never concurrently.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 10_000,
    types,
    application_name: 'floatline-store',
    pipeline: true,
  });
  // A backend that dies while its client sits idle in the pool is an 'error' on the pool:
  // listened for (it would end the process), and the pool drops that client.
  pool.on('error', () => {});
  // A round trip is a wait for an answer. Statements are held until the program has issued
  // all it can without an answer (the end of the current tick): the writes nothing waits for
  // (later()) and every read asked meanwhile leave in one socket write, one round trip.
  const stats = { transactions: 0, statements: 0, roundTrips: 0 };
  return {
    stats,
    flavor: 'postgresql',
    builder,
    lockRows: (q) => q.forUpdate(),
    skipLocked: (q) => q.forUpdate().skipLocked(),
    // timestamp(3) holds UTC wall time: its epoch is the instant's.
    seconds: (t) => sql<number>`CAST(EXTRACT(EPOCH FROM ${t}) AS DOUBLE PRECISION)`,
    plusSeconds: (t, s) => sql<Date>`(${t} + CAST(${s} AS DOUBLE PRECISION) * interval '1 second')`,
    sumsInProcess: false,
    answersInTurn: false,
    indexed: (table) => sql<DB[typeof table]>`${sql.table(table)}`.as(table),
    serialize: async (c, key) => {
      await c.all({ sql: 'SELECT pg_advisory_xact_lock($1)', params: [key] });
    },
    async transaction<T>(body: (c: Conn) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A backend killed while this client is checked out is an 'error' on the client too:
      // its statements fail (and are handled below); the event must not end the process.
      let broken: unknown;
      const onError = (e: unknown) => {
        broken ??= e;
      };
      client.on('error', onError);
      stats.transactions++;
      const pending: Promise<unknown>[] = [];
      let failed: { error: unknown } | undefined;
      type Held = {
        query: pg.QueryConfig | string;
        onRows?: (rows: DriverRow[]) => void;
        answer?: { resolve: (r: pg.QueryResult) => void; reject: (e: unknown) => void };
      };
      // BEGIN goes out with the first statement waited for (the pool's lock).
      let held: Held[] = [{ query: 'BEGIN' }];
      let begun = false;
      let scheduled = false;
      let ended = false;
      /** Writes every held statement in one socket write. */
      const flush = () => {
        scheduled = false;
        const out = held;
        held = [];
        // Asked after the transaction ended (a program error): never sent on a client handed back.
        if (ended) {
          for (const h of out) h.answer?.reject(new Error('statement asked after its transaction ended'));
          return;
        }
        stats.statements += out.length;
        if (out.some((h) => h.answer)) stats.roundTrips++;
        begun = true;
        // pg writes each statement as it is queried (pipeline mode): corked, they leave in one write.
        const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
        stream?.cork?.();
        try {
          for (const h of out) {
            const p = quiet(
              client.query(h.query).catch((error: unknown) => {
                failed ??= { error };
                throw error;
              }),
            );
            const { onRows, answer } = h;
            pending.push(onRows ? quiet(p.then((r) => onRows(r.rows as DriverRow[]))) : p);
            if (answer) p.then(answer.resolve, answer.reject);
          }
        } finally {
          stream?.uncork?.();
        }
      };
      /** A statement whose answer is waited for: sent at the end of this tick with everything held. */
      const ask = (query: pg.QueryConfig | string) =>
        new Promise<pg.QueryResult>((resolve, reject) => {
          held.push({ query, answer: { resolve, reject } });
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(flush);
          }
        });
      const conn: Conn = {
        all: async (c) => (await ask(config(c))).rows as DriverRow[],
        run: async (c) => (await ask(config(c))).rowCount ?? 0,
        later(c, onRows) {
          held.push({ query: config(c), onRows });
        },
      };
      let committing = false;
      try {
        const value = await body(conn);
        // COMMIT goes out with the writes still held. Once it is on the wire, a lost
        // connection leaves the outcome unknown (CommitUncertain), whichever answer it took.
        committing = true;
        const { command } = await ask('COMMIT');
        await Promise.all(pending);
        if (failed) throw failed.error;
        // A COMMIT of a transaction a statement failed in answers ROLLBACK (that statement's error is thrown above).
        if (command !== 'COMMIT') throw new Error(`COMMIT answered ${command}`);
        return value;
      } catch (err) {
        if (isConnectionError(err)) broken = err;
        if (committing && isConnectionError(err)) throw new CommitUncertain('COMMIT sent, answer lost', { cause: err });
        await Promise.allSettled(pending);
        // Nothing was sent when the body failed before its first read: no BEGIN to undo.
        if (!broken && begun) await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
        throw failed && !isConnectionError(err) ? failed.error : err;
      } finally {
        ended = true;
        // A client whose connection failed is destroyed, not handed to the next transaction.
        client.off('error', onError);
        client.release(broken instanceof Error ? broken : broken ? new Error('connection lost') : undefined);
      }
    },
    all: async (c) => {
      stats.statements++;
      stats.roundTrips++;
      return (await pool.query(config(c))).rows as DriverRow[];
    },
    run: async (c) => {
      stats.statements++;
      stats.roundTrips++;
      return (await pool.query(config(c))).rowCount ?? 0;
    },
    rows: async (c) => {
      stats.statements++;
      stats.roundTrips++;
      return (await pool.query({ ...config(c), rowMode: 'array' })).rows as unknown[][];
    },
    close: () => pool.end(),
  };
}
