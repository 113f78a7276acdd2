// Chooses the database: SQLite at LICENSE_DB_PATH by default, PostgreSQL when
// DATABASE_URL names one. Both hand out a Prisma client with the same models.
import type { PrismaClient } from './generated/prisma/client.ts';
import type BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from './sqlite.ts';
import { openPostgres } from './postgres.ts';
import { retryOnConnectionLoss } from './unavailable.ts';
import type { Dialect } from '../licenses/dialects/dialect.ts';

/** The SQLite client's type; the PostgreSQL client has the same model API. */
export type Prisma = InstanceType<typeof PrismaClient>;

export interface OpenedDatabase {
  prisma: Prisma;
  /** SQLite only: the connection the license store writes through. */
  direct?: BetterSqlite3.Database;
  /** What the license store runs its statements on (server/licenses/dialects/). */
  dialect: Dialect;
  kind: 'sqlite' | 'postgresql';
  /** File path, or the PostgreSQL URL without its credentials. */
  location: string;
  migrationsApplied: string[];
  toolsSeeded: string[];
  close(): Promise<void>;
}

export function openDatabase(opts: { dbPath: string; databaseUrl?: string; seed: boolean }): Promise<OpenedDatabase> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.seed) : openSqlite(opts.dbPath, opts.seed);
}

/** True when the database answers a query (readiness). A connection that just died is
 *  retried on a fresh one: one killed pool connection does not make the server "not ready". */
export async function databaseAnswers(prisma: Prisma): Promise<boolean> {
  try {
    await retryOnConnectionLoss(() => prisma.$queryRawUnsafe('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
