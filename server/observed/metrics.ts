// Prometheus gauges of observed pools, read from the database at each scrape (so every
// process reports what any process polled or was pushed), at most MAX_SERIES pools:
//   license_observed_issued{source,feature,vendor}   seats issued (uncounted features: absent)
//   license_observed_in_use{source,feature,vendor}   seats in use
//   license_observed_source_up{source}               1 when its last snapshot reached a server
// Stale pools keep their last numbers; source_up says whether to trust them. The gauges are
// part of the registry from the start (createMetrics); the database is attached once open.
import { Gauge, type Registry } from 'prom-client';
import type { Observed } from './index.ts';

const MAX_SERIES = 10_000;

export interface ObservedGauges {
  /** Reads the gauges from this domain's database at every scrape from now on. */
  attach(observed: Observed, onError: (err: unknown) => void): void;
}

export function createObservedGauges(registry: Registry): ObservedGauges {
  const labelNames = ['source', 'feature', 'vendor'] as const;
  let source: { observed: Observed; onError: (err: unknown) => void } | null = null;
  let pending: Promise<void> | null = null;
  // One database read per scrape for all three gauges.
  const load = async (observed: Observed) => {
    const [pools, sources] = await Promise.all([
      observed.store.prisma.observedPool.findMany({ take: MAX_SERIES, orderBy: [{ source: 'asc' }, { feature: 'asc' }] }),
      observed.store.prisma.observedSource.findMany({ select: { name: true, serverUp: true } }),
    ]);
    issued.reset();
    inUse.reset();
    up.reset();
    for (const p of pools) {
      const labels = { source: p.source, feature: p.feature, vendor: p.vendor };
      if (p.issued !== null) issued.set(labels, p.issued);
      inUse.set(labels, p.inUse);
    }
    for (const s of sources) if (s.serverUp !== null) up.set({ source: s.name }, s.serverUp ? 1 : 0);
  };
  const refresh = async () => {
    if (!source) return;
    const { observed, onError } = source;
    pending ??= load(observed)
      .catch(onError)
      .finally(() => {
        pending = null;
      });
    await pending;
  };
  const issued = new Gauge({
    name: 'license_observed_issued',
    help: 'Seats issued of an observed (FlexNet, RLM) feature',
    labelNames,
    registers: [registry],
    collect: refresh,
  });
  const inUse = new Gauge({
    name: 'license_observed_in_use',
    help: 'Seats in use of an observed (FlexNet, RLM) feature',
    labelNames,
    registers: [registry],
    collect: refresh,
  });
  const up = new Gauge({
    name: 'license_observed_source_up',
    help: '1 when the last snapshot of an observed license server reached it, 0 when it did not',
    labelNames: ['source'],
    registers: [registry],
    collect: refresh,
  });
  return {
    attach(observed, onError) {
      source = { observed, onError };
    },
  };
}
