// The two migration trees (prisma/migrations for SQLite, prisma/postgresql/migrations) must
// build the database prisma/schema.prisma describes: on each database, the tables, columns
// (type, NOT NULL, default) and indexes that all migrations leave equal the ones Prisma's
// schema engine creates from the schema alone (scripts/schema-diff.mjs). Only what the schema
// cannot say may differ, and it is listed here: the CHECK constraints (the capacity
// guarantee; catalogs below do not compare them) and the extra indexes named in EXTRA.
// A change to the schema without its migration in both trees, or a migration edited in one
// tree only, fails here. New migrations: node scripts/new-migration.mjs <name>.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { readSchema, schemaDiff } from '../scripts/schema-diff.mjs';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

/** Indexes the migrations add beyond the schema: partial indexes for reports and teams, which Prisma cannot model. */
const EXTRA = [
  'borrows_tool_team_idx',
  'license_events_denied_idx',
  'license_events_denied_open_idx',
  'license_events_seat_end_idx',
  'license_events_seat_start_idx',
  'license_events_seat_start_tool_idx',
  'license_events_seat_user_idx',
  'seat_hours_hour_idx',
];
/** An index as name and columns: the migrations may narrow one the schema declares with a WHERE (a partial index). */
const indexShape = (i: string) => i.replace(/\s+/g, ' ').replace(/ WHERE .*$/, '');

type Catalog = { columns: string[]; indexes: string[] };

function sqliteCatalog(path: string): Catalog {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const columns = tables.flatMap((t) =>
      (db.pragma(`table_info("${t}")`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]).map(
        (c) =>
          `${t}.${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.dflt_value === null ? '' : ` DEFAULT ${c.dflt_value}`}${c.pk ? ` PK${c.pk}` : ''}`,
      ),
    );
    const indexes = db
      .prepare("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      .pluck()
      .all() as string[];
    return { columns: columns.sort(), indexes: indexes.map(indexShape) };
  } finally {
    db.close();
  }
}

async function postgresCatalog(url: string): Promise<Catalog> {
  return onPostgres(url, async (c: pg.Client) => {
    const cols = await c.query<{ c: string }>(`
      SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || datetime_precision || ')', '')
        || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || column_default, '') AS c
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`);
    const idx = await c.query<{ i: string }>(
      `SELECT indexname || ': ' || indexdef AS i FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
    );
    return { columns: cols.rows.map((r) => r.c), indexes: idx.rows.map((r) => indexShape(r.i)) };
  });
}

const withoutExtra = (c: Catalog): Catalog => ({ ...c, indexes: c.indexes.filter((i) => !EXTRA.includes(i.split(':')[0]!)) });

describe('the migration trees and prisma/schema.prisma', () => {
  it('SQLite: all migrations build the tables the schema describes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floatline-drift-'));
    try {
      const migrated = await openDatabase({ dbPath: join(dir, 'migrated.db'), seed: false });
      await migrated.close();
      const fromSchema = new Database(join(dir, 'schema.db'));
      fromSchema.exec(await schemaDiff('sqlite', null, readSchema()));
      fromSchema.close();
      expect(withoutExtra(sqliteCatalog(join(dir, 'migrated.db')))).toEqual(sqliteCatalog(join(dir, 'schema.db')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: all migrations build the tables the schema describes', async () => {
    const admin = postgresAdminUrl();
    const names = [`floatline_drift_m_${randomUUID().slice(0, 8)}`, `floatline_drift_s_${randomUUID().slice(0, 8)}`];
    const url = (n: string) => admin.replace(/\/[^/]*$/, `/${n}`);
    await onPostgres(admin, async (c) => {
      for (const n of names) await c.query(`CREATE DATABASE ${n}`);
    });
    try {
      const migrated = await openDatabase({ dbPath: '', databaseUrl: url(names[0]!), seed: false });
      await migrated.close();
      const script = await schemaDiff('postgresql', null, readSchema(), admin);
      await onPostgres(url(names[1]!), (c) => c.query(script));
      expect(withoutExtra(await postgresCatalog(url(names[0]!)))).toEqual(await postgresCatalog(url(names[1]!)));
    } finally {
      await onPostgres(admin, async (c) => {
        for (const n of names) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      });
    }
  });
});
