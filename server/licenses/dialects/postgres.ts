// PostgreSQL through postgres.js: a transaction is BEGIN ... COMMIT on one reserved
// connection, the pool's row locked with SELECT ... FOR UPDATE. postgres.js pipelines: the
// writes nothing waits for (Conn.later) are sent at once behind each other, so a borrow
// inside a batch costs no round trip of its own while the pool's lock is held; only reads
// wait for an answer. Statements are prepared once per connection (named, by postgres.js).
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import postgres from 'postgres';
import type { DB } from '../../db/tables.ts';
import { isConnectionError } from '../../db/unavailable.ts';
import type { Compiled } from '../sql.ts';
import { CommitUncertain, type Conn, type Dialect, type DriverRow } from './dialect.ts';

/**
 * Connections per process. Group commit keeps one transaction in flight per busy pool, so
 * a process needs about one connection per pool being borrowed from at the same moment,
 * plus the standalone writes (budgets, teams) and reads; PostgreSQL's default 100
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

// timestamp(3) columns hold UTC wall time (as Prisma writes them): read them as UTC
// whatever the process's time zone, written as ISO text whose zone PostgreSQL ignores.
const utc = {
  to: 1114,
  from: [1114],
  serialize: (x: unknown) => (x instanceof Date ? x : new Date(x as string)).toISOString(),
  parse: (x: string) => new Date(`${x.replace(' ', 'T')}Z`),
};

/** A promise whose rejection is handled where it is awaited (or by the transaction's end), never reported as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export function postgresDialect(url: string, max = STORE_POOL_SIZE): Dialect {
  const sql = postgres(url, {
    max,
    prepare: true,
    onnotice: () => {},
    connect_timeout: 10,
    // A connection idle this long is closed; a burst opens them again.
    idle_timeout: 60,
    types: { utc },
    connection: { application_name: 'floatline-store', TimeZone: 'UTC' },
  });
  const params = (c: Compiled) => c.params.map((v) => (v === undefined ? null : v)) as postgres.ParameterOrJSON<never>[];
  const query = (s: postgres.Sql | postgres.ReservedSql, c: Compiled) => s.unsafe(c.sql, params(c), { prepare: true });
  // A round trip is a wait for an answer: BEGIN rides with the first statement, writes sent
  // with later() with whatever is awaited next, and COMMIT is one.
  const stats = { transactions: 0, statements: 0, roundTrips: 0 };
  return {
    stats,
    flavor: 'postgresql',
    builder,
    lockRows: (q) => q.forUpdate(),
    skipLocked: (q) => q.forUpdate().skipLocked(),
    async transaction<T>(body: (c: Conn) => Promise<T>): Promise<T> {
      const reserved = await sql.reserve();
      const pending: Promise<unknown>[] = [];
      let failed: { error: unknown } | undefined;
      stats.transactions++;
      // Once the connection failed, nothing more is sent on it: postgres.js may write to a
      // socket it already dropped (an uncaught TypeError), and PostgreSQL rolled back anyway.
      let lost: unknown;
      const send = (c: Compiled) => {
        if (lost) return quiet(Promise.reject(lost));
        stats.statements++;
        const p = query(reserved, c).execute() as unknown as Promise<DriverRow[] & { count: number }>;
        // Settled before COMMIT; the first failure fails the transaction.
        return quiet(
          p.catch((error) => {
            failed ??= { error };
            if (isConnectionError(error)) lost ??= error;
            throw error;
          }),
        );
      };
      const conn: Conn = {
        all: async (c) => {
          stats.roundTrips++;
          return [...(await send(c))];
        },
        run: async (c) => {
          stats.roundTrips++;
          return (await send(c)).count;
        },
        later(c, onRows) {
          const p = send(c);
          pending.push(onRows ? quiet(p.then((rows) => onRows([...rows]))) : p);
        },
      };
      let committing = false;
      try {
        pending.push(send({ sql: 'BEGIN', params: [] }));
        stats.statements--; // counted with COMMIT below
        const value = await body(conn);
        await Promise.all(pending);
        if (failed) throw failed.error;
        committing = true;
        stats.statements += 2; // BEGIN and COMMIT
        stats.roundTrips++;
        await reserved.unsafe('COMMIT');
        return value;
      } catch (err) {
        if (isConnectionError(err)) lost ??= err;
        if (committing && isConnectionError(err)) throw new CommitUncertain('COMMIT sent, answer lost', { cause: err });
        await Promise.allSettled(pending);
        if (!lost && !isConnectionError(err)) await reserved.unsafe('ROLLBACK').catch(() => {});
        throw failed && !isConnectionError(err) ? failed.error : err;
      } finally {
        // A lost connection is not handed back: postgres.js already moved it to its closed
        // queue (it reconnects it when needed), and release() would put the dead socket in
        // the open queue, where the next query crashes the process writing to it.
        if (!lost) reserved.release();
      }
    },
    all: async (c) => [...(await query(sql, c))],
    run: async (c) => (await query(sql, c)).count,
    close: () => sql.end({ timeout: 5 }),
  };
}
