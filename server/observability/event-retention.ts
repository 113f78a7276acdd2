// What the event retention (licenses/retention.ts) tells operators: one `events_pruned`
// log line per prune that removed rows (and the start-up one, so the setting in force is
// visible), and the counter license_events_pruned_total.
import { Counter } from 'prom-client';
import type { RetentionHooks } from '../licenses/retention.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export function retentionReporter(log: Logger, metrics: Metrics): RetentionHooks {
  const pruned = new Counter({
    name: 'license_events_pruned_total',
    help: 'License events deleted by the retention setting (EVENT_RETENTION_DAYS); overage charges are never deleted',
    registers: [metrics.registry],
  });
  return {
    onPruned({ count, before, retentionDays, durationMs, first }) {
      pruned.inc(count);
      if (count > 0 || first) {
        log.info(
          {
            event: 'events_pruned',
            count,
            before: before.toISOString(),
            retention_days: retentionDays,
            duration_ms: Math.round(durationMs * 100) / 100,
          },
          `pruned ${count} license events older than ${retentionDays} days`,
        );
      }
    },
    onError(err) {
      log.error({ event: 'events_prune_failed', err }, 'pruning old license events failed; the next run retries');
    },
  };
}
