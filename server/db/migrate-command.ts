// `floatline-server migrate` (node dist/server/main.mjs migrate): applies the migrations and
// inserts the missing default tools, then exits — the Kubernetes init step, so a rollout
// migrates before any new server starts. On PostgreSQL it holds the same advisory lock as
// start-up (postgres.ts): replicas starting together migrate once, the others wait and find
// nothing left to do.
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import { openDatabase } from './database.ts';

export async function migrateAndExit(config: Config, log: Logger): Promise<never> {
  try {
    const db = await openDatabase({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, seed: config.seed });
    log.info(
      { event: 'migrations_done', database: db.kind, location: db.location, applied: db.migrationsApplied, tools_seeded: db.toolsSeeded },
      `database ready: ${db.migrationsApplied.length} migration(s) applied`,
    );
    await db.close();
    log.flush();
    process.exit(0);
  } catch (err) {
    log.fatal({ event: 'migrations_failed' }, (err as Error).message);
    process.stderr.write(`floatline: migrate: ${(err as Error).message}\n`);
    log.flush();
    process.exit(1);
  }
}
