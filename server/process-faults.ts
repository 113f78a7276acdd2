// What the process does with a fault no code caught. Installed first thing in main.ts.
//
// - An unhandled promise rejection is logged (event "unhandled_rejection", with the
//   error) and counted, and the process keeps serving: Node's default would end it, and
//   a rejection is a single failed operation (e.g. a Redis command lost while Redis was
//   away), not corrupted state. The root causes are handled where they arise; this is
//   the net under them, so that it is loud (error line, metric) but never fatal.
// - An uncaught exception is different: it unwound a stack at an unknown point, so the
//   process's in-memory state (open transactions, half-sent responses, listeners) may be
//   inconsistent. It is logged (event "uncaught_exception", level fatal), then the
//   process shuts down gracefully — in-flight requests finish, subscribers get a clean
//   end — and exits with code 1 so the supervisor (systemd, Kubernetes, compose
//   `restart:`) starts a clean one. Never silently.
import type { Logger } from './observability/logger.ts';

export interface FaultHooks {
  /** Counts a rejection in a metric once metrics exist. */
  countRejection?: () => void;
  /** Graceful shutdown once the server runs; without it, the process exits at once. */
  shutdown?: (reason: string) => Promise<void>;
}

export function handleProcessFaults(log: Logger): FaultHooks {
  const hooks: FaultHooks = {};
  let failing = false;
  process.on('unhandledRejection', (reason) => {
    hooks.countRejection?.();
    log.error(
      { event: 'unhandled_rejection', err: reason instanceof Error ? reason : { message: String(reason) } },
      'a promise rejection was not handled; still serving',
    );
  });
  process.on('uncaughtException', (err) => {
    log.fatal({ event: 'uncaught_exception', err }, 'uncaught exception: shutting down so a clean process can take over');
    if (failing) return;
    failing = true;
    process.exitCode = 1;
    const exit = () => {
      log.flush();
      process.exit(1);
    };
    // Whatever happens to the graceful path, the process ends.
    setTimeout(exit, 30_000).unref();
    if (!hooks.shutdown) return exit();
    hooks.shutdown('uncaughtException').then(exit, exit);
  });
  return hooks;
}
