// When the database connection fails under a request (PostgreSQL backend killed,
// restarted, network cut): which errors those are, which work may be retried, and the
// error the transports turn into 503 + Retry-After (REST) or SERVICE_UNAVAILABLE (GraphQL).
//
// Measured before this module (test/dependency-blips.test.ts load, 6 clients, a
// pg_terminate_backend of all of Floatline's backends 5 times): 18 answers were
// 500 "Internal Server Error" — Prisma P2010/P2039 errors with PostgreSQL code 57P01
// ("terminating connection due to administrator command") and pg's "Client has
// encountered a connection error and is not queryable". The process itself survived:
// the pg adapter listens for idle-client errors on its pool.
//
// What is safe to retry, and why:
// - a read: it changes nothing;
// - a transaction that failed before COMMIT was sent: PostgreSQL rolls back a
//   transaction whose connection ends, so nothing of it stayed and running it again
//   cannot take a second seat. The borrow's id is made before the first attempt, so every
//   attempt writes the same row.
// A transaction whose COMMIT was sent and whose connection failed before the answer came
// may or may not have committed: that is never retried here, and the client is told
// the outcome is unknown. (A COMMIT that pg refused to send because the connection had
// already failed — "is not queryable" — was not sent: that transaction is retried.)
export const RETRY_AFTER_SECONDS = 1;
/** Attempts in all (first try included) for work that is safe to repeat. */
export const MAX_ATTEMPTS = 3;

export class DatabaseUnavailableError extends Error {
  constructor(
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      outcomeUnknown
        ? 'The database connection failed while committing; the outcome is unknown. Check GET /borrows before trying again'
        : 'The database is not answering; try again in a moment',
      options,
    );
  }
}

/** PostgreSQL SQLSTATE classes/codes that mean "this connection is gone", not "this statement is wrong". */
const CONNECTION_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
/** Driver-adapter error kinds for the same, and Prisma's own codes for unreachable/closed. */
const CONNECTION_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections']);
const CONNECTION_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
/** postgres.js's codes for a socket that closed, was destroyed or never connected (the store's driver). */
const CONNECTION_DRIVER_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);
/** pg's own messages when a socket dies (they carry no code). */
const CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|ECONNRESET|ECONNREFUSED|EPIPE|terminating connection|server closed the connection|timeout exceeded when trying to connect/i;

/** True when err (or what it wraps) says the database connection failed. */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const x = e as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
      cause?: unknown;
    };
    if (typeof x.code === 'string' && (CONNECTION_PRISMA_CODES.has(x.code) || CONNECTION_DRIVER_CODES.has(x.code))) return true;
    if (typeof x.code === 'string' && CONNECTION_SQLSTATE.test(x.code)) return true;
    const cause = x.meta?.driverAdapterError?.cause;
    if (cause) {
      if (typeof cause.kind === 'string' && CONNECTION_KINDS.has(cause.kind)) return true;
      for (const c of [cause.originalCode, cause.code]) if (typeof c === 'string' && CONNECTION_SQLSTATE.test(c)) return true;
    }
    if (typeof x.message === 'string' && CONNECTION_MESSAGES.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}

/** pg refused to send the statement at all: its connection had already failed. */
const NEVER_SENT = /is not queryable/;

/** True when the failed statement never reached the server (so a COMMIT cannot have happened). */
export function neverSent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const x = e as { message?: unknown; cause?: unknown };
    if (typeof x.message === 'string' && NEVER_SENT.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}

/** What the transports map to 503 / SERVICE_UNAVAILABLE: a lost connection, retried or not. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return err instanceof DatabaseUnavailableError || isConnectionError(err);
}

type RetryListener = (info: { attempt: number; error: unknown }) => void;
const retryListeners = new Set<RetryListener>();
/** main.ts logs each retry (event database_retry); the store itself has no logger. */
export function onDatabaseRetry(listener: RetryListener): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

/**
 * Runs work that is safe to repeat, again after a connection failure, up to MAX_ATTEMPTS
 * times with a short pause (a fresh pool connection is then used). Other errors pass
 * through untouched; a DatabaseUnavailableError (outcome unknown) is never retried.
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DatabaseUnavailableError || !isConnectionError(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw new DatabaseUnavailableError(false, { cause: err });
      for (const l of retryListeners) l({ attempt, error: err });
      await new Promise((r) => setTimeout(r, 25 * attempt));
    }
  }
}
