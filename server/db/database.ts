// Opens the SQLite file: checks it is usable, applies migrations, seeds, turns WAL on,
// then hands out a Prisma client bound to it through the better-sqlite3 adapter.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { applyMigrations } from './migrate.ts';
import { seedDefaultTools } from './seed.ts';
import { ConfigError } from '../config.ts';

export type Prisma = InstanceType<typeof PrismaClient>;

export interface OpenedDatabase {
  prisma: Prisma;
  path: string;
  migrationsApplied: string[];
  toolsSeeded: string[];
  close(): Promise<void>;
}

function checkWritable(path: string): void {
  const target = existsSync(path) ? path : dirname(path);
  if (!existsSync(target)) throw new ConfigError(`LICENSE_DB_PATH: folder ${target} does not exist`);
  try {
    accessSync(target, constants.R_OK | constants.W_OK);
  } catch {
    throw new ConfigError(`LICENSE_DB_PATH: ${target} is not writable by this process`);
  }
}

/** Runs the one-off start-up work on a short-lived connection of its own. */
function prepareFile(path: string, seed: boolean): { migrationsApplied: string[]; toolsSeeded: string[] } {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 10_000 });
  } catch (err) {
    throw new ConfigError(`LICENSE_DB_PATH: cannot open ${path}: ${(err as Error).message}`);
  }
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    // WAL lets readers go on while a borrow commits; refuse to run silently without it.
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL mode (got ${mode})`);
    const migrationsApplied = applyMigrations(db);
    const toolsSeeded = seed ? seedDefaultTools(db) : [];
    return { migrationsApplied, toolsSeeded };
  } finally {
    db.close();
  }
}

export async function openDatabase(dbPath: string, seed: boolean): Promise<OpenedDatabase> {
  const path = resolve(dbPath);
  checkWritable(path);
  const { migrationsApplied, toolsSeeded } = prepareFile(path, seed);
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: 10_000 });
  const prisma = new PrismaClient({ adapter });
  // Per-connection settings: NORMAL sync is safe with WAL (no corruption, at most the
  // last commit lost on power failure) and makes each borrow's commit far cheaper.
  await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  return {
    prisma, path, migrationsApplied, toolsSeeded,
    close: () => prisma.$disconnect(),
  };
}

/** True when the database answers a query (readiness). */
export async function databaseAnswers(prisma: Prisma): Promise<boolean> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
