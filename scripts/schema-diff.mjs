// Prisma's schema engine (its WebAssembly build: the native one cannot be downloaded here)
// asked for the SQL between two versions of the schema, for SQLite or PostgreSQL, without a
// database: scripts/new-migration.mjs writes both migration trees with it, and
// test/migrations-drift.test.ts checks the trees against it.
import { readFileSync } from 'node:fs';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { SchemaEngine } from '@prisma/schema-engine-wasm';

/** The PostgreSQL schema, derived from prisma/schema.prisma as scripts/prisma-generate.mjs derives it. */
export const forPostgres = (schema) => schema.replace('provider = "sqlite"', 'provider = "postgresql"');

export const readSchema = () => readFileSync(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');

/**
 * The SQL that takes a database from schema `from` (null: empty) to schema `to`, for
 * `provider` ('sqlite' | 'postgresql'); both schemas are the SQLite one (prisma/schema.prisma).
 * The PostgreSQL engine wants a server to connect to (`postgresUrl`); it changes nothing there.
 */
export async function schemaDiff(provider, from, to, postgresUrl = 'postgresql://root@127.0.0.1:5432/postgres') {
  const pick = (s) => (provider === 'postgresql' ? forPostgres(s) : s);
  const target = (s) => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: pick(s) }] });
  // The adapter tells the engine which database it speaks; a diff between two schemas writes nothing.
  const adapter =
    provider === 'postgresql' ? new PrismaPg({ connectionString: postgresUrl }) : new PrismaBetterSqlite3({ url: ':memory:' });
  const engine = await SchemaEngine.new(
    { datamodels: [['schema.prisma', pick(to)]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  const r = await engine.diff({
    from: from === null ? { tag: 'empty' } : target(from),
    to: target(to),
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return r.stdout ?? '';
}
