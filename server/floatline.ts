// The composition root: builds the whole server from a Config — database, domain, metrics,
// dependency probes, change feed (live updates, Redis relay), event retention, the HTTP
// app and its WebSocket handler — without listening. main.ts adds the process around it
// (signals, exit codes); tests and the benchmark call this same function, so what they
// drive is what runs in production.
import { ConfigError, type Config } from './config.ts';
import { databaseAnswers, openDatabase, type OpenedDatabase } from './db/database.ts';
import { onDatabaseRetry } from './db/unavailable.ts';
import { Licenses } from './licenses/index.ts';
import { Observed } from './observed/index.ts';
import { startPoller, type Poller } from './observed/poller.ts';
import { ObservedReports } from './observed/reports.ts';
import { scheduleEventRetention, type EventRetention } from './licenses/retention.ts';
import { scheduleLeaseSweep, type LeaseSweep } from './licenses/lease-sweep.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, recordChange, recordPool, type Metrics } from './observability/metrics.ts';
import { logChange } from './observability/change-log.ts';
import { Dependencies } from './observability/dependencies.ts';
import { retentionReporter } from './observability/event-retention.ts';
import { LiveUpdates } from './graphql/live-updates.ts';
import { createLiveRelay } from './graphql/live-relay.ts';
import { buildApp } from './app.ts';
import { Auth } from './auth/index.ts';
import { Oidc } from './auth/oidc.ts';
import { systemClock, type Clock } from './clock.ts';

/** How often the database is probed for /readyz and the dependency gauge. */
const DATABASE_PROBE_MS = 5000;

export interface FloatlineOptions {
  /** Where log lines go; by default a JSON logger on stdout at config.logLevel. Tests pass
   *  one writing to memory so they can read the lines. */
  log?: Logger;
  /** Background timers: the database probe, the event-retention schedule and the lease
   *  sweep (about once a second, releases leases that ran out). Default on;
   *  a test that does not want a prune or a probe running under it turns them off. */
  timers?: boolean;
  /** The time the license rules read (clock.ts); the system clock by default. Tests pass a
   *  clock they move, to run leases, tickets, billing periods and retention in simulated time. */
  clock?: Clock;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** The database could not be opened: start-up stops with this message (main.ts exits 2). */
export class DatabaseOpenError extends Error {}

export type FloatlineApp = Awaited<ReturnType<typeof buildApp>>['app'];

export interface Floatline {
  app: FloatlineApp;
  licenses: Licenses;
  /** License servers observed, not served (FlexNet, RLM): server/observed/. */
  observed: Observed;
  metrics: Metrics;
  dependencies: Dependencies;
  live: LiveUpdates;
  log: Logger;
  database: OpenedDatabase;
  retention: EventRetention;
  /** Runs observed sources' commands on their interval; null with `timers: false` (tests call tick()). */
  observedPoller: Poller | null;
  /** The lease sweep; null with `timers: false` (leases then lapse only at borrow time). */
  leaseSweep: LeaseSweep | null;
  /** Starts accepting connections; resolves with the port actually bound (PORT=0 picks one).
   *  Rejects with the listen error (EADDRINUSE for a busy port). */
  listen(port: number, host: string): Promise<number>;
  /** Releases everything in order: stop accepting, end live streams so their connections
   *  can close, wait for in-flight requests, then the relay, probes, retention, database. */
  close(): Promise<void>;
}

export async function createFloatline(config: Config, options: FloatlineOptions = {}): Promise<Floatline> {
  const log = options.log ?? createLogger(config.logLevel);
  const timers = options.timers ?? true;

  let database: OpenedDatabase;
  try {
    database = await openDatabase({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, seed: config.seed });
  } catch (err) {
    throw new DatabaseOpenError(err instanceof ConfigError ? err.message : `cannot open the database: ${(err as Error).message}`);
  }
  log.info(
    {
      event: 'database_ready',
      database: database.kind,
      db_path: database.location,
      migrations_applied: database.migrationsApplied,
      tools_seeded: database.toolsSeeded,
    },
    'database ready',
  );

  const metrics = createMetrics();
  const dependencies = new Dependencies(log, metrics.registry);
  dependencies.set('database', true);
  if (timers) dependencies.watch('database', () => databaseAnswers(database.prisma), DATABASE_PROBE_MS);
  const stopRetryLog = onDatabaseRetry(({ attempt, error }) =>
    log.warn({ event: 'database_retry', attempt, err: error }, 'database connection lost; trying again'),
  );
  const licenses = new Licenses(database.dialect, options.clock ?? systemClock);
  // Observed pools show in the usage reports, the true-denial counts and the statements by team.
  const observedReports = new ObservedReports(database.dialect);
  licenses.reportAlso(observedReports);
  const observed = new Observed(database.prisma, database.kind, () => licenses.clock.now(), observedReports);
  metrics.observed.attach(observed, (err) =>
    log.warn({ err, event: 'observed_metrics_unavailable' }, 'metrics: observed pools not read; the database did not answer'),
  );
  // Each snapshot's lines no rule knew, logged once per source and shape of output.
  const unparsedLogged = new Set<string>();
  observed.listen((c) => {
    if (c.kind !== 'snapshot') return;
    const o = c.outcome;
    if (!o.serverUp)
      log.warn({ event: 'observed_source_down', source: o.source, error: c.source.error }, 'observed license server is down');
    if (o.unparsedLines > 0 && unparsedLogged.size < 1000) {
      const key = `${o.source}\u0000${o.unparsedSamples[0] ?? ''}`;
      if (!unparsedLogged.has(key)) {
        unparsedLogged.add(key);
        log.info(
          { event: 'observed_unparsed_lines', source: o.source, count: o.unparsedLines, samples: o.unparsedSamples },
          'observed output had lines no rule knows',
        );
      }
    }
  });
  const observedPoller = timers
    ? startPoller(observed, {
        onError: (err, source) => log.warn({ err, event: 'observed_poll_failed', source }, 'observed poll failed; trying again'),
      })
    : null;
  const relay = await createLiveRelay(config.redisUrl, { log, metrics, dependencies });
  const live = new LiveUpdates(metrics, relay);
  licenses.changes.listen((c) => recordChange(metrics, c));
  licenses.changes.listen((c) => logChange(log, c));
  licenses.changes.listen(live.publish);
  observed.listen((c) => {
    if (c.kind === 'snapshot') live.publishObserved([...c.outcome.changed, ...c.outcome.removed]);
    else if (c.kind === 'source_removed') live.publishObserved(c.pools);
  });
  for (const pool of await licenses.pools()) recordPool(metrics, pool);
  const retentionDays = timers ? config.eventRetentionDays : 0;
  const retention = scheduleEventRetention(
    (before) => licenses.pruneEvents(before),
    retentionDays,
    retentionReporter(log, metrics),
    licenses.clock,
  );

  const leaseSweep = timers
    ? scheduleLeaseSweep(
        async () => {
          const released = await licenses.sweepLeases();
          // The same tick rolls up seat-hours for reports once an hour is due (seat-rollup.ts).
          await licenses
            .rollUpSeatHours()
            .catch((err: unknown) => log.warn({ err, event: 'seat_rollup_failed' }, 'seat-hour roll-up failed; trying again next tick'));
          return released;
        },
        (err) => log.warn({ err, event: 'lease_sweep_failed' }, 'lease sweep failed; trying again next tick'),
      )
    : null;

  const oidc = config.auth.oidc ? new Oidc(config.auth.oidc, log, config.auth.oidcAllowHttp) : null;
  const auth = new Auth({
    config: config.auth,
    prisma: database.prisma,
    changes: licenses.changes,
    log,
    registry: metrics.registry,
    oidc,
    // OIDC_TEAM_GROUP_PREFIX / OIDC_TEAM_GROUPS: teams from the provider's groups (auth/team-groups.ts).
    applyTeam: (user, team) => licenses.syncTeamFromIdp(user, team),
    clock: licenses.clock,
  });
  auth.audit.listen(live.publishAudit);
  const { app, ws } = await buildApp({
    auth,
    licenses,
    observed,
    live,
    log,
    metrics,
    prisma: database.prisma,
    version: config.appVersion,
    bodyLimitBytes: config.bodyLimitBytes,
    dependencies,
    corsOrigins: config.corsOrigins,
    allowedHosts: config.allowedHosts,
    httpBounds: config.httpBounds,
  });

  return {
    app,
    licenses,
    observed,
    metrics,
    dependencies,
    live,
    log,
    database,
    retention,
    leaseSweep,
    observedPoller,
    async listen(port, host) {
      await app.listen({ port, host });
      if (config.auth.mode === 'open' && !isLoopback(host)) {
        log.warn(
          { event: 'open_mode_exposed', host },
          'AUTH_MODE=open and listening beyond loopback: anyone who can reach this port can borrow, return and change budgets (set AUTH_MODE=required, docs/auth.md)',
        );
      }
      const address = app.server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async close() {
      const closing = app.close();
      await live.close();
      await ws.close();
      await closing;
      await relay?.close();
      dependencies.close();
      stopRetryLog();
      await retention.stop();
      await leaseSweep?.stop();
      await observedPoller?.stop();
      await database.close();
    },
  };
}
