// The process around Floatline: config (exit 2 on a bad value), logger, process-fault
// handlers, createFloatline (floatline.ts), listen, and graceful shutdown on signals.
import '../scripts/require-node.mjs'; // first: an old Node is told so before a native module fails to load
import { readConfig, type Config } from './config.ts';
import { createLogger } from './observability/logger.ts';
import { handleProcessFaults } from './process-faults.ts';
import { createFloatline, DatabaseOpenError, type Floatline } from './floatline.ts';
import { migrateAndExit } from './db/migrate-command.ts';
import { startTracing, type Tracing } from './observability/tracing.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`floatline: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  if (process.argv[2] === 'migrate') return migrateAndExit(config, log);
  const faults = handleProcessFaults(log);
  // Before anything that makes spans; the SDK is loaded only when an OTLP endpoint is set.
  const tracing: Tracing | null = config.tracing ? await startTracing(config.tracing, config.appVersion, log) : null;

  let floatline: Floatline;
  try {
    floatline = await createFloatline(config, { log });
  } catch (err) {
    if (!(err instanceof DatabaseOpenError)) throw err;
    log.fatal({ event: 'startup_failed' }, err.message);
    process.stderr.write(`floatline: ${err.message}\n`);
    log.flush();
    process.exit(2);
  }
  faults.countRejection = () => floatline.dependencies.unhandledRejections.inc();

  let port: number;
  try {
    port = await floatline.listen(config.port, config.host);
  } catch (err) {
    // A busy port is an operator's mistake, not a crash: one line naming the fix, exit 2.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(`floatline: port ${config.port} is already in use (set PORT to another port)\n`);
    log.flush();
    process.exit(2);
  }
  log.info(
    {
      event: 'server_listening',
      port,
      url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
      version: config.appVersion,
    },
    'Floatline is listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown_started', signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ event: 'shutdown_forced' }, 'in-flight work did not finish in time');
      floatline.app.server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await floatline.close();
      await tracing?.shutdown(); // the last requests' spans
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
