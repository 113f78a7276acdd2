// PostgreSQL, when DATABASE_URL names one: migrations and seeding run under an advisory
// lock, so several Floatline processes starting together do the work exactly once.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/postgresql/client.ts';
import { applyMigrations, listMigrations, type MigrationTarget } from './migrate.ts';
import { DEFAULT_TOOLS, seedStatement, seedValues } from './seed.ts';
import { ConfigError } from '../config.ts';
import type { OpenedDatabase, Prisma } from './database.ts';
import { postgresDialect } from '../licenses/dialects/postgres.ts';
import { retryOnConnectionLoss } from './unavailable.ts';
import { projectPath } from '../project-root.ts';

/** Model operations that only read: safe to run again after a lost connection. */
const READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'count', 'aggregate', 'groupBy']);

const MIGRATIONS = projectPath('prisma/postgresql/migrations/');
const LOCK_KEY = 7_240_511; // any constant; names Floatline's start-up work

function migrationTarget(client: pg.Client): MigrationTarget {
  return {
    async applied() {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL',
      );
      return new Map(rows.map((r) => [r.migration_name, r.checksum]));
    },
    async apply(m) {
      await client.query('BEGIN');
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)',
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
  };
}

export async function openPostgres(url: string, seed: boolean): Promise<OpenedDatabase> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new ConfigError(`DATABASE_URL: cannot connect to PostgreSQL: ${(err as Error).message}`);
  }
  let migrationsApplied: string[];
  const toolsSeeded: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    migrationsApplied = await applyMigrations(migrationTarget(client), listMigrations(MIGRATIONS));
    if (seed) {
      const now = new Date().toISOString();
      for (const t of DEFAULT_TOOLS) {
        const r = await client.query(
          seedStatement((i) => `$${i}`),
          seedValues(t, now),
        );
        if ((r.rowCount ?? 0) > 0) toolsSeeded.push(t.name);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  // A burst of borrowers queues for the pool's connections; give a queued transaction
  // time to start rather than failing it after Prisma's default 2 s.
  // A backend that dies while its client sits idle in the pool (restart, pg_terminate_backend)
  // is an 'error' on the pool: the adapter listens for it (so it cannot end the process)
  // and the pool drops that client. Reads (borrows, charges, history) are retried once the
  // connection is lost; the license store retries its own statements (licenses/store.ts).
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 10 }),
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  }).$extends({
    query: {
      $allModels: {
        $allOperations: ({ operation, args, query }) => (READS.has(operation) ? retryOnConnectionLoss(() => query(args)) : query(args)),
      },
    },
  }) as unknown as Prisma;
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
  const dialect = postgresDialect(url);
  const close = async () => {
    await dialect.close();
    await prisma.$disconnect();
  };
  return { prisma, dialect, kind: 'postgresql', location: safeUrl, migrationsApplied, toolsSeeded, close };
}
