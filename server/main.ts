// Start-up: config → database → domain → app → listen; graceful shutdown on signals.
import { readConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/database.ts';
import { Licenses } from './licenses/index.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics, recordChange, recordPool } from './observability/metrics.ts';
import { logChange } from './observability/change-log.ts';
import { LiveUpdates } from './graphql/live-updates.ts';
import { createLiveEventTarget } from './graphql/live-event-target.ts';
import { buildApp } from './app.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`floatline: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);

  let db;
  try {
    db = await openDatabase({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, seed: config.seed });
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `cannot open the database: ${(err as Error).message}`;
    log.fatal({ event: 'startup_failed' }, message);
    process.stderr.write(`floatline: ${message}\n`);
    log.flush();
    process.exit(2);
  }
  log.info({ event: 'database_ready', database: db.kind, db_path: db.location, migrations_applied: db.migrationsApplied, tools_seeded: db.toolsSeeded }, 'database ready');

  const metrics = createMetrics();
  const licenses = new Licenses(db.prisma, db.direct);
  const eventTarget = await createLiveEventTarget(config.redisUrl, log);
  const live = new LiveUpdates(metrics, eventTarget);
  licenses.changes.listen((c) => recordChange(metrics, c));
  licenses.changes.listen((c) => logChange(log, c));
  licenses.changes.listen(live.publish);
  for (const pool of await licenses.pools()) recordPool(metrics, pool);

  const { app, ws } = await buildApp({ licenses, live, log, metrics, prisma: db.prisma, version: config.appVersion, bodyLimitBytes: config.bodyLimitBytes, httpBounds: config.httpBounds });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ event: 'server_listening', port, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`, version: config.appVersion }, 'Floatline is listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown_started', signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ event: 'shutdown_forced' }, 'in-flight work did not finish in time');
      app.server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    try {
      // Stop accepting first, end live streams so their connections can close, then
      // wait for in-flight requests, and only then close the database.
      const closing = app.close();
      await live.close();
      await ws.close();
      await closing;
      await eventTarget?.close?.();
      await db.close();
      log.info({ event: 'shutdown_complete' }, 'bye');
    } catch (err) {
      log.error({ event: 'shutdown_failed', err }, 'shutdown failed');
      process.exitCode = 1;
    }
    log.flush();
    clearTimeout(force);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void main();
