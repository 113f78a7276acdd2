// SQLite (the default): checks the file is usable, turns WAL on, migrates and seeds on
// a short-lived connection of its own, then binds Prisma through better-sqlite3.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { applyMigrations, listMigrations, type MigrationTarget } from './migrate.ts';
import { DEFAULT_TOOLS, seedStatement, seedValues } from './seed.ts';
import { ConfigError } from '../config.ts';
import type { OpenedDatabase } from './database.ts';
import { sqliteDialect } from '../licenses/dialects/sqlite.ts';
import { WAL_SIZE_LIMIT_BYTES, limitWalSize, stopCheckpointing } from './checkpointer.ts';
import { projectPath } from '../project-root.ts';

const MIGRATIONS = projectPath('prisma/migrations/');

function checkWritable(path: string): void {
  const target = existsSync(path) ? path : dirname(path);
  if (!existsSync(target)) throw new ConfigError(`LICENSE_DB_PATH: folder ${target} does not exist`);
  try {
    accessSync(target, constants.R_OK | constants.W_OK);
  } catch {
    throw new ConfigError(`LICENSE_DB_PATH: ${target} is not writable by this process`);
  }
}

function migrationTarget(db: Database.Database): MigrationTarget {
  return {
    async applied() {
      db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
        "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
        "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
      const rows = db
        .prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL')
        .all() as { migration_name: string; checksum: string }[];
      return new Map(rows.map((r) => [r.migration_name, r.checksum]));
    },
    async apply(m) {
      db.transaction(() => {
        const started = new Date().toISOString();
        db.exec(m.sql);
        db.prepare(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
        ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
      }).immediate();
    },
  };
}

async function prepareFile(path: string, seed: boolean) {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 10_000 });
  } catch (err) {
    const message = (err as Error).message;
    // The driver's native part built for another Node.js is not the database's fault: say what to run.
    if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(message)) {
      throw new ConfigError(
        `the SQLite driver (better-sqlite3) was built for another Node.js than this one (${process.version}): run \`npm rebuild better-sqlite3\` with the Node.js that runs Floatline`,
      );
    }
    throw new ConfigError(`LICENSE_DB_PATH: cannot open ${path}: ${message}`);
  }
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    // WAL lets readers go on while a borrow commits; refuse to run silently without it.
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL mode (got ${mode})`);
    limitWalSize(db); // migrations may write a lot (checkpointer.ts: the WAL bound)
    const migrationsApplied = await applyMigrations(migrationTarget(db), listMigrations(MIGRATIONS));
    const toolsSeeded: string[] = [];
    if (seed) {
      const insert = db.prepare(seedStatement(() => '?'));
      const now = sqlTime(new Date());
      db.transaction(() => {
        for (const t of DEFAULT_TOOLS) if (insert.run(...seedValues(t, now)).changes > 0) toolsSeeded.push(t.name);
      }).immediate();
    }
    return { migrationsApplied, toolsSeeded };
  } finally {
    db.close();
  }
}

export async function openSqlite(dbPath: string, seed: boolean): Promise<OpenedDatabase> {
  const path = resolve(dbPath);
  checkWritable(path);
  const { migrationsApplied, toolsSeeded } = await prepareFile(path, seed);
  // Every write (borrow, return, budget) and pool status run on a direct connection with
  // statements prepared once; Prisma's connection only serves the other reads.
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 10_000 }) });
  const direct = new Database(path, { timeout: 10_000 });
  // NORMAL sync is safe with WAL (a process crash loses nothing; a power cut may lose the
  // last commits) and makes each borrow's commit far cheaper.
  direct.pragma('synchronous = NORMAL');
  direct.pragma('foreign_keys = ON');
  limitWalSize(direct);
  // Prisma's connection only reads today; bounded all the same, should it ever write.
  await prisma.$queryRawUnsafe(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const dialect = sqliteDialect(direct);
  const close = async () => {
    await stopCheckpointing(direct.name); // the store started it on this file
    direct.close();
    await prisma.$disconnect();
  };
  return { prisma, direct, dialect, kind: 'sqlite', location: path, migrationsApplied, toolsSeeded, close };
}

/** Timestamps as Prisma's SQLite adapter writes them, so Prisma reads them back alike. */
export const sqlTime = (d: Date): string => d.toISOString().replace('Z', '+00:00');
