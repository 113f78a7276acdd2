// Prometheus metrics. The five license metrics keep the original's names, types and
// labels; the rest let dashboards work without hard-coded pool sizes or prices.
// Label values come only from known tools, route templates and fixed reason codes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LicenseChange, PoolStatus } from '../licenses/index.ts';
import { createObservedGauges } from '../observed/metrics.ts';

export const UNKNOWN_TOOL_LABEL = 'unknown';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges like counters (nodejs_active_{handles,requests,resources}_total),
  // which promtool refuses; their per-type twins without the suffix stay (sum() them).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const tool = ['tool'] as const;
  const m = {
    /** The pools whose gauge series exist, so a scrape can drop those retired meanwhile. */
    pools: new Set<string>(),
    registry,
    attempts: new Counter({
      name: 'license_borrow_attempts_total',
      help: 'Borrow requests that passed validation',
      labelNames: tool,
      registers: [registry],
    }),
    success: new Counter({ name: 'license_borrow_success_total', help: 'Successful borrows', labelNames: tool, registers: [registry] }),
    failure: new Counter({
      name: 'license_borrow_failure_total',
      help: 'Failed borrows by reason',
      labelNames: ['tool', 'reason'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'license_borrow_duration_seconds',
      help: 'Time to decide a borrow',
      labelNames: tool,
      registers: [registry],
    }),
    borrowed: new Gauge({ name: 'licenses_borrowed', help: 'Seats held now', labelNames: tool, registers: [registry] }),
    returns: new Counter({ name: 'license_returns_total', help: 'Licenses returned', labelNames: tool, registers: [registry] }),
    heartbeats: new Counter({
      name: 'license_heartbeats_total',
      help: 'Leases renewed by a heartbeat',
      labelNames: tool,
      registers: [registry],
    }),
    queueLength: new Gauge({
      name: 'license_queue_length',
      help: "Tickets waiting in the pool's line",
      labelNames: tool,
      registers: [registry],
    }),
    queueWait: new Histogram({
      name: 'license_queue_wait_seconds',
      help: 'From joining the line to being handed a seat',
      labelNames: tool,
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600],
      registers: [registry],
    }),
    queueLeft: new Counter({
      name: 'license_queue_left_total',
      help: 'Tickets that left the line without a seat, by why: cancelled, or expired (the waiter went silent)',
      labelNames: ['tool', 'reason'] as const,
      registers: [registry],
    }),
    revocations: new Counter({
      name: 'license_revocations_total',
      help: 'Seats an admin force-released',
      labelNames: tool,
      registers: [registry],
    }),
    seatsHeld: new Gauge({
      name: 'license_seats_held',
      help: 'Seats held now, by whether a lease (which lapses without heartbeats) covers them: lease="with_lease" or "without_lease"',
      labelNames: ['tool', 'lease'] as const,
      registers: [registry],
    }),
    leaseExpirations: new Counter({
      name: 'license_lease_expirations_total',
      help: 'Leases that ran out without a heartbeat (their seats were released)',
      labelNames: tool,
      registers: [registry],
    }),
    total: new Gauge({ name: 'license_pool_seats', help: 'Seats in the pool', labelNames: tool, registers: [registry] }),
    commit: new Gauge({ name: 'license_pool_commit', help: 'Committed seats (fixed budget)', labelNames: tool, registers: [registry] }),
    maxOverage: new Gauge({
      name: 'license_pool_max_overage',
      help: 'Overage seats allowed beyond commit',
      labelNames: tool,
      registers: [registry],
    }),
    commitPrice: new Gauge({
      name: 'license_commit_price',
      help: 'Fixed fee for the committed seats',
      labelNames: tool,
      registers: [registry],
    }),
    overagePrice: new Gauge({
      name: 'license_overage_price_per_license',
      help: 'Fee per overage borrow',
      labelNames: tool,
      registers: [registry],
    }),
    overageCost: new Gauge({
      name: 'license_overage_cost',
      help: 'Accumulated overage cost (sum of recorded charges)',
      labelNames: tool,
      registers: [registry],
    }),
    charges: new Counter({
      name: 'license_overage_charges_total',
      help: 'Overage charges recorded',
      labelNames: tool,
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by type and root field',
      labelNames: ['operation_type', 'field'] as const,
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL operations that ended with errors',
      labelNames: ['operation_type'] as const,
      registers: [registry],
    }),
    subscriptionsOpen: new Gauge({
      name: 'graphql_subscriptions_open',
      help: 'Open GraphQL subscriptions',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
  };
  // Observed (FlexNet, RLM) pools: read from the database at each scrape (server/observed/metrics.ts).
  const observed = createObservedGauges(registry);
  m.subscriptionsOpen.set({ transport: 'sse' }, 0);
  m.subscriptionsOpen.set({ transport: 'ws' }, 0);
  return { ...m, observed };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Sets every per-pool gauge from a status, so gauges exist from start-up on. */
export function recordPool(m: Metrics, p: PoolStatus): void {
  const l = { tool: p.tool };
  if (!m.pools.has(p.tool)) startQueueAndLeaseCounters(m, p.tool);
  m.pools.add(p.tool);
  m.borrowed.set(l, p.borrowed);
  m.total.set(l, p.total);
  m.commit.set(l, p.commit);
  m.maxOverage.set(l, p.maxOverage);
  m.commitPrice.set(l, p.commitPrice);
  m.overagePrice.set(l, p.overagePricePerLicense);
  m.overageCost.set(l, p.currentOverageCost);
  m.queueLength.set(l, p.queued);
}

/**
 * The queue and lease series of a pool exist at 0 from the moment the process knows the
 * pool: rate() and increase() then see the first grant, expiry or revocation (a series
 * born with its first event shows no increase), and the LicenseQueueStalled alert can tell
 * "no grant in 5 minutes" from "no data".
 */
function startQueueAndLeaseCounters(m: Metrics, tool: string): void {
  const l = { tool };
  m.queueWait.zero(l);
  for (const c of [m.heartbeats, m.leaseExpirations, m.revocations]) c.inc(l, 0);
  for (const reason of ['cancelled', 'expired']) m.queueLeft.inc({ tool, reason }, 0);
}

/**
 * At each scrape, the pools as the database has them: gauges of pools that other processes
 * changed (or retired) are current here too, and seats held are split by lease.
 */
export function refreshPools(m: Metrics, pools: readonly PoolStatus[], leased: ReadonlyMap<string, number>): void {
  const live = new Set(pools.map((p) => p.tool));
  for (const tool of [...m.pools]) if (!live.has(tool)) forgetPool(m, tool);
  for (const p of pools) {
    recordPool(m, p);
    const withLease = Math.min(leased.get(p.tool) ?? 0, p.borrowed);
    m.seatsHeld.set({ tool: p.tool, lease: 'with_lease' }, withLease);
    m.seatsHeld.set({ tool: p.tool, lease: 'without_lease' }, p.borrowed - withLease);
  }
}

/** A retired pool's gauge series go: its counters stay, as its history does. */
export function forgetPool(m: Metrics, tool: string): void {
  for (const g of [m.borrowed, m.total, m.commit, m.maxOverage, m.commitPrice, m.overagePrice, m.overageCost, m.queueLength]) {
    g.remove({ tool });
  }
  m.pools.delete(tool);
  m.seatsHeld.remove({ tool, lease: 'with_lease' });
  m.seatsHeld.remove({ tool, lease: 'without_lease' });
}

/** The domain's outcomes, counted once, where they are known. */
export function recordChange(m: Metrics, c: LicenseChange): void {
  if (c.kind === 'pool_retired') {
    forgetPool(m, c.pool.tool);
    return;
  }
  if (c.pool) recordPool(m, c.pool);
  switch (c.kind) {
    case 'borrowed':
      m.attempts.inc({ tool: c.borrow.tool });
      m.success.inc({ tool: c.borrow.tool });
      m.duration.observe({ tool: c.borrow.tool }, c.seconds);
      if (c.charge) m.charges.inc({ tool: c.borrow.tool });
      break;
    case 'denied': {
      const tool = c.pool ? c.tool : UNKNOWN_TOOL_LABEL;
      m.attempts.inc({ tool });
      m.failure.inc({ tool, reason: c.reason });
      m.duration.observe({ tool }, c.seconds);
      break;
    }
    case 'returned':
      m.returns.inc({ tool: c.borrow.tool });
      break;
    case 'expired':
      m.leaseExpirations.inc({ tool: c.borrow.tool });
      break;
    case 'revoked':
      m.revocations.inc({ tool: c.borrow.tool });
      break;
    // A waiter handed a seat: a successful borrow, its attempt counted now (joining the
    // line was neither a success nor a failure yet).
    case 'granted':
      m.attempts.inc({ tool: c.borrow.tool });
      m.success.inc({ tool: c.borrow.tool });
      m.queueWait.observe({ tool: c.borrow.tool }, c.waitSeconds);
      if (c.charge) m.charges.inc({ tool: c.borrow.tool });
      break;
    case 'left_queue':
      m.queueLeft.inc({ tool: c.ticket.tool, reason: c.ticket.state });
      break;
    case 'queued':
      break;
    case 'heartbeat':
      m.heartbeats.inc({ tool: c.lease.tool });
      break;
    // Continuing overage use charged by the seat-hour: each started hour is a charge.
    case 'overage_charged':
      m.charges.inc({ tool: c.pool.tool }, c.charges.length);
      break;
    case 'budget_changed':
    case 'pool_created':
      break;
  }
}
