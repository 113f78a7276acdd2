// Start-up: config → database → domain → app → listen; graceful shutdown on signals.
import { readConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/database.ts';
import { Licenses } from './licenses/index.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics, recordChange, recordPool } from './observability/metrics.ts';
import { logChange } from './observability/change-log.ts';
import { LiveUpdates } from './graphql/live-updates.ts';
import { createLiveRelay } from './graphql/live-relay.ts';
import { Dependencies } from './observability/dependencies.ts';
import { databaseAnswers } from './db/database.ts';
import { handleProcessFaults } from './process-faults.ts';
import { onDatabaseRetry } from './db/unavailable.ts';
import { buildApp } from './app.ts';
import { scheduleEventRetention } from './licenses/retention.ts';
import { retentionReporter } from './observability/event-retention.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`floatline: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const faults = handleProcessFaults(log);

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
  const dependencies = new Dependencies(log, metrics.registry);
  faults.countRejection = () => dependencies.unhandledRejections.inc();
  dependencies.set('database', true);
  dependencies.watch('database', () => databaseAnswers(db.prisma), 5000);
  onDatabaseRetry(({ attempt, error }) => log.warn({ event: 'database_retry', attempt, err: error }, 'database connection lost; trying again'));
  const licenses = new Licenses(db.prisma, db.direct);
  const relay = await createLiveRelay(config.redisUrl, { log, metrics, dependencies });
  const live = new LiveUpdates(metrics, relay);
  licenses.changes.listen((c) => recordChange(metrics, c));
  licenses.changes.listen((c) => logChange(log, c));
  licenses.changes.listen(live.publish);
  for (const pool of await licenses.pools()) recordPool(metrics, pool);
  const retention = scheduleEventRetention((before) => licenses.pruneEvents(before), config.eventRetentionDays, retentionReporter(log, metrics));

  const { app, ws } = await buildApp({ licenses, live, log, metrics, prisma: db.prisma, version: config.appVersion, bodyLimitBytes: config.bodyLimitBytes, dependencies, corsOrigins: config.corsOrigins, httpBounds: config.httpBounds });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // A busy port is an operator's mistake, not a crash: one line naming the fix, exit 2.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(`floatline: port ${config.port} is already in use (set PORT to another port)\n`);
    log.flush();
    process.exit(2);
  }
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
      await relay?.close();
      dependencies.close();
      await retention.stop();
      await db.close();
      log.info({ event: 'shutdown_complete' }, 'bye');
    } catch (err) {
      log.error({ event: 'shutdown_failed', err }, 'shutdown failed');
      process.exitCode = 1;
    }
    log.flush();
    clearTimeout(force);
  };
  faults.shutdown = shutdown;
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

// A start-up failure must still end the process (the unhandledRejection handler keeps it alive).
main().catch((err: unknown) => {
  process.stderr.write(`floatline: start-up failed: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
