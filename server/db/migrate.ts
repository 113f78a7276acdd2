// Applies Prisma-layout migrations at start-up, offline. Prisma's own `migrate deploy`
// needs a native schema engine that cannot be downloaded here, so this does the same job
// and keeps Prisma's bookkeeping table, which the real CLI can take over later.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** What a database must offer to be migrated (SQLite and PostgreSQL implement it). */
export interface MigrationTarget {
  /** Creates _prisma_migrations if missing; returns name → checksum of finished ones. */
  applied(): Promise<Map<string, string>>;
  /** Runs the migration and records it, in one transaction. */
  apply(m: Migration): Promise<void>;
}

export function listMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies every migration not yet recorded, in name order; returns the names applied. */
export async function applyMigrations(target: MigrationTarget, migrations: Migration[]): Promise<string[]> {
  const done = await target.applied();
  const applied: string[] = [];
  for (const m of migrations) {
    const seen = done.get(m.name);
    if (seen !== undefined) {
      if (seen !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
      continue;
    }
    await target.apply(m);
    applied.push(m.name);
  }
  return applied;
}
