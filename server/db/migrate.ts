// Applies prisma/migrations at start-up, offline. Prisma's own `migrate deploy` needs a
// native schema engine that cannot be downloaded here, so this does the same job and
// keeps Prisma's bookkeeping table, which the real CLI can take over later.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

export const MIGRATIONS_DIR = new URL('../../prisma/migrations/', import.meta.url).pathname;

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface Migration { name: string; sql: string; checksum: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies every migration not yet recorded; returns the names applied. */
export function applyMigrations(db: Database.Database, migrations = listMigrations()): string[] {
  db.exec(BOOKKEEPING);
  const done = new Map(
    (db.prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL').all() as
      { migration_name: string; checksum: string }[]).map((r) => [r.migration_name, r.checksum]),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const seen = done.get(m.name);
    if (seen !== undefined) {
      if (seen !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
      continue;
    }
    // One transaction per migration: a failed one leaves nothing half-applied.
    db.transaction(() => {
      const started = new Date().toISOString();
      db.exec(m.sql);
      db.prepare(
        'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
      ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
    }).immediate();
    applied.push(m.name);
  }
  return applied;
}
