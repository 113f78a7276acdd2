// License servers Floatline observes but does not serve (FlexNet, RLM): sources an admin
// registers, snapshots of their status output (pushed, or run by the poller), the pools
// those show, and the history inferred from them or read from debug logs. Transports
// (REST, GraphQL) parse and shape; every rule is here. Outcomes go to listeners after
// commit: live updates, metrics, logs.
import type { Prisma } from '../db/database.ts';
import { parseDebugLog } from './debug-log.ts';
import { inferEvents } from './diff.ts';
import { ObservedSourceExistsError, ObservedSourceNotFoundError, TooManySourcesError } from './errors.ts';
import { parseStatus } from './parse.ts';
import {
  OBSERVED_LIMITS,
  type LogOutcome,
  type ObservedEventRecord,
  type ObservedPoolRecord,
  type ObservedSourceRecord,
  type SnapshotOutcome,
} from './records.ts';
import type { ObservedPriceInput, ObservedPriceRecord, ObservedReports } from './reports.ts';
import { clean, ObservedStore, poolRecord, sourceRecord } from './store.ts';
import type { ObservedFeature, ParsedStatus } from './types.ts';
import { checkSourceName, type SourceInput, validateSource } from './validation.ts';

export * from './records.ts';
export * from './errors.ts';
export type { ObservedPriceInput, ObservedPriceRecord } from './reports.ts';
export type { ObservedDaemon, ObservedHolder, ObservedKind, ObservedServer } from './types.ts';

/** What listeners hear after a commit. */
export type ObservedChange =
  | { kind: 'snapshot'; source: ObservedSourceRecord; outcome: SnapshotOutcome }
  | { kind: 'log'; source: ObservedSourceRecord; outcome: LogOutcome; events: ObservedEventRecord[] }
  | { kind: 'source_created'; source: ObservedSourceRecord }
  | { kind: 'source_removed'; name: string; pools: ObservedPoolRecord[] };

export class Observed {
  readonly store: ObservedStore;
  readonly #listeners = new Set<(c: ObservedChange) => void>();
  /** Pushes for one source applied one after another in this process (the diff needs order). */
  readonly #turns = new Map<string, Promise<unknown>>();

  constructor(
    prisma: Prisma,
    dialect: 'sqlite' | 'postgresql',
    /** The server's clock (clock.ts): snapshot and log times, and the poller's due times and leases. */
    readonly now: () => Date = () => new Date(),
    /** Observed pools in usage reports and statements (reports.ts); the license domain reports them too. */
    readonly reports: ObservedReports | null = null,
  ) {
    this.store = new ObservedStore(prisma, dialect);
  }

  /** Observed pools' prices by (source, feature), a page of `limit` after `after`. */
  prices(limit: number, after: [string, string] | null): Promise<ObservedPriceRecord[]> {
    return this.reports ? this.reports.prices(limit, after) : Promise.resolve([]);
  }

  /** Sets what an observed pool costs per billing period (admin; reports.ts checks it). */
  setPrice(source: string, feature: string, input: ObservedPriceInput): Promise<ObservedPriceRecord> {
    if (!this.reports) throw new Error('observed reports are not attached');
    return this.reports.setPrice(source, feature, input, this.now());
  }

  listen(listener: (c: ObservedChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #publish(change: ObservedChange): void {
    for (const l of this.#listeners) {
      try {
        l(change);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  async createSource(input: SourceInput): Promise<ObservedSourceRecord> {
    const s = validateSource(input);
    if ((await this.store.countSources()) >= OBSERVED_LIMITS.maxSources) throw new TooManySourcesError(OBSERVED_LIMITS.maxSources);
    try {
      const row = await this.store.prisma.observedSource.create({
        data: { name: s.name, kind: s.kind, command: s.command, intervalSeconds: s.intervalSeconds, createdAt: this.now() },
      });
      const record = sourceRecord(row);
      this.#publish({ kind: 'source_created', source: record });
      return record;
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new ObservedSourceExistsError(s.name);
      throw err;
    }
  }

  async source(name: string): Promise<ObservedSourceRecord> {
    checkSourceName(name, 'source');
    const s = await this.store.source(name);
    if (!s) throw new ObservedSourceNotFoundError(name);
    return s;
  }

  sources(limit: number, after?: string): Promise<ObservedSourceRecord[]> {
    return this.store.sources(limit, after);
  }

  /** Removes the source and its current pools; its history (events) stays. */
  async deleteSource(name: string): Promise<void> {
    await this.source(name);
    const pools = await this.store.inSource(name, async (tx) => {
      const rows = await tx.observedPool.findMany({ where: { source: name } });
      // Seats of a removed source end with it (history stays; a source of the same name starts afresh).
      const ended = rows.map(poolRecord).flatMap((p) => (p.stale ? [] : seatsEnded(p, 'source removed', this.now())));
      if (ended.length > 0) await tx.observedEvent.createMany({ data: ended.map((e) => ({ ...e, source: name, origin: 'snapshot' })) });
      await tx.observedPool.deleteMany({ where: { source: name } });
      await tx.observedSource.deleteMany({ where: { name } });
      return rows.map(poolRecord);
    });
    this.#publish({ kind: 'source_removed', name, pools: pools.map((p) => ({ ...p, stale: true, removed: true })) });
  }

  pools(limit: number, source?: string, after?: [string, string, string]): Promise<ObservedPoolRecord[]> {
    return this.store.pools(limit, source, after);
  }

  /** Applies one status output of the source (pushed or polled). */
  async snapshot(name: string, text: string, takenAt: Date = this.now()): Promise<SnapshotOutcome> {
    const source = await this.source(name);
    return this.#inTurn(name, () => this.#apply(source, parseStatus(source.kind, text, { now: takenAt }), takenAt));
  }

  /** The poller could not get an output (timeout, missing program): the source is down. */
  async failedPoll(name: string, error: string, at: Date = this.now()): Promise<SnapshotOutcome> {
    const source = await this.source(name);
    const parsed: ParsedStatus = {
      kind: source.kind,
      serverUp: false,
      error,
      servers: source.servers.map((s) => ({ ...s, up: false })),
      daemons: source.daemons,
      features: [],
      unparsedLines: 0,
      unparsedSamples: [],
    };
    return this.#inTurn(name, () => this.#apply(source, parsed, at));
  }

  #inTurn<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#turns.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    this.#turns.set(name, settled);
    void settled.then(() => {
      if (this.#turns.get(name) === settled) this.#turns.delete(name);
    });
    return next;
  }

  async #apply(source: ObservedSourceRecord, parsed: ParsedStatus, takenAt: Date): Promise<SnapshotOutcome> {
    const name = source.name;
    let features = parsed.features;
    let unparsed = parsed.unparsedLines;
    if (features.length > OBSERVED_LIMITS.maxFeaturesPerSnapshot) {
      unparsed += features.length - OBSERVED_LIMITS.maxFeaturesPerSnapshot;
      features = features.slice(0, OBSERVED_LIMITS.maxFeaturesPerSnapshot);
    }
    const result = await this.store.inSource(name, async (tx) => {
      const row = await tx.observedSource.findUnique({ where: { name } });
      if (!row) throw new ObservedSourceNotFoundError(name);
      const previousAt = row.lastSnapshotAt;
      const existing = new Map(
        (await tx.observedPool.findMany({ where: { source: name } })).map((r) => [`${r.feature}\u0000${r.vendor}`, poolRecord(r)]),
      );
      const changed: ObservedPoolRecord[] = [];
      const removed: SnapshotOutcome['removed'] = [];
      const events: ObservedSeatEvent[] = [];
      // A pool that goes stale (its server or vendor daemon down) ends its holders' seats with
      // a check-in saying why: nobody can see them, so reports count no seat-hours for the
      // outage; a holder still there when it comes back is a check-out again (docs/observed.md).
      const unseen = (p: ObservedPoolRecord, reason: string) => {
        if (!p.stale) events.push(...seatsEnded(p, reason, takenAt));
      };
      if (parsed.serverUp) {
        const downVendors = new Set(parsed.daemons.filter((d) => !d.up).map((d) => d.name));
        const seen = new Set<string>();
        for (const f of features) {
          const pool = poolOf(name, f, takenAt);
          const key = `${pool.feature}\u0000${pool.vendor ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const before = existing.get(key);
          // A stale pool's seats were ended when it went stale: its holders are new again.
          const held = before && !before.stale ? before.holders : [];
          for (const e of inferEvents(held, pool.holders, before ? previousAt : null, takenAt)) {
            events.push({ feature: pool.feature, vendor: pool.vendor ?? '', ...e, user: clean(e.user), host: clean(e.host), reason: null });
          }
          // An unchanged pool is not written: 50 sources of 500 features every 30 s stay cheap.
          // Its updated_at is when it last changed; the source's last_snapshot_at says how fresh it is.
          if (before && !differs(before, pool)) continue;
          changed.push(pool);
          await tx.observedPool.upsert({
            where: { source_feature_vendor: { source: name, feature: pool.feature, vendor: pool.vendor ?? '' } },
            create: poolData(pool),
            update: poolData(pool),
          });
        }
        for (const [key, before] of existing) {
          if (seen.has(key)) continue;
          // Its vendor daemon is down: the feature was not listed, not removed. Keep it, stale.
          if ((before.vendor !== null && downVendors.has(before.vendor)) || (before.vendor === null && downVendors.size > 0)) {
            if (!before.stale) {
              unseen(before, 'vendor daemon down');
              await tx.observedPool.update({
                where: { source_feature_vendor: { source: name, feature: before.feature, vendor: before.vendor ?? '' } },
                data: { stale: true },
              });
              changed.push({ ...before, stale: true });
            }
            continue;
          }
          await tx.observedPool.delete({
            where: { source_feature_vendor: { source: name, feature: before.feature, vendor: before.vendor ?? '' } },
          });
          removed.push({ ...before, removed: true });
          unseen(before, 'feature no longer listed');
        }
      } else {
        // Down: the last known pools stay, marked stale. Nothing is inferred from an outage.
        await tx.observedPool.updateMany({ where: { source: name, stale: false }, data: { stale: true } });
        for (const p of existing.values()) {
          unseen(p, 'source down');
          if (!p.stale) changed.push({ ...p, stale: true });
        }
      }
      if (events.length > 0) {
        await tx.observedEvent.createMany({ data: events.map((e) => ({ ...e, source: name, origin: 'snapshot' })) });
      }
      const updated = await tx.observedSource.update({
        where: { name },
        data: {
          serverUp: parsed.serverUp,
          error: parsed.error === null ? null : clean(parsed.error),
          health: JSON.stringify({
            servers: parsed.servers.slice(0, 20).map((s) => ({ ...s, host: clean(s.host, 200), error: s.error && clean(s.error) })),
            daemons: parsed.daemons.slice(0, 100).map((d) => ({ ...d, name: clean(d.name, 200), error: d.error && clean(d.error) })),
          }),
          lastSnapshotAt: takenAt,
          unparsedLines: unparsed,
        },
      });
      return { changed, removed, events: events.length, source: sourceRecord(updated) };
    });
    const outcome: SnapshotOutcome = {
      source: name,
      takenAt,
      serverUp: parsed.serverUp,
      features: parsed.serverUp ? features.length : 0,
      inUse: parsed.serverUp ? features.reduce((n, f) => n + f.inUse, 0) : 0,
      unparsedLines: unparsed,
      unparsedSamples: parsed.unparsedSamples,
      changed: result.changed,
      removed: result.removed,
      events: result.events,
    };
    this.#publish({ kind: 'snapshot', source: result.source, outcome });
    return outcome;
  }

  /** Records the exact check-outs, check-ins and denials of a FlexNet debug log. */
  async log(name: string, text: string, at: Date = this.now()): Promise<LogOutcome> {
    const source = await this.source(name);
    const parsed = parseDebugLog(text, { now: at });
    const events = parsed.events.slice(0, OBSERVED_LIMITS.maxEventsPerLog);
    const rows = events.map((e) => ({
      source: name,
      feature: clean(e.feature, 200),
      vendor: clean(e.vendor, 200),
      kind: e.kind,
      origin: 'log',
      user: clean(e.user, 200),
      host: clean(e.host, 200),
      licenses: e.licenses,
      reason: e.reason === null ? null : clean(e.reason),
      at: new Date(e.at),
    }));
    for (let i = 0; i < rows.length; i += 1000) await this.store.prisma.observedEvent.createMany({ data: rows.slice(i, i + 1000) });
    const count = (k: string) => events.filter((e) => e.kind === k).length;
    const outcome: LogOutcome = {
      source: name,
      events: events.length,
      out: count('out'),
      in: count('in'),
      denied: count('denied'),
      unsupported: count('unsupported'),
      unparsedLines: parsed.unparsedLines + (parsed.events.length - events.length),
    };
    const recorded = rows.map((r, i) => ({ ...r, id: -1 - i, vendor: r.vendor || null, kind: r.kind, origin: 'log' as const }));
    this.#publish({ kind: 'log', source, outcome, events: recorded });
    return outcome;
  }

  events(q: Parameters<ObservedStore['events']>[0]): Promise<ObservedEventRecord[]> {
    return this.store.events(q);
  }
}

interface ObservedSeatEvent {
  feature: string;
  vendor: string;
  kind: string;
  user: string;
  host: string;
  licenses: number;
  reason: string | null;
  at: Date;
}

/** Check-ins of every seat a pool's holders have, at `at`, for `reason`. */
function seatsEnded(p: ObservedPoolRecord, reason: string, at: Date): ObservedSeatEvent[] {
  return p.holders.map((h) => ({
    feature: p.feature,
    vendor: p.vendor ?? '',
    kind: 'in',
    user: h.user,
    host: h.host,
    licenses: h.licenses,
    at,
    reason,
  }));
}

function poolOf(source: string, f: ObservedFeature, at: Date): ObservedPoolRecord {
  return {
    source,
    feature: clean(f.feature, 200),
    vendor: f.vendor === null ? null : clean(f.vendor, 200),
    issued: f.issued,
    inUse: f.inUse,
    reserved: f.reserved,
    expires: f.expires,
    holders: f.holders
      .slice(0, OBSERVED_LIMITS.maxHoldersPerPool)
      .map((h) => ({ ...h, user: clean(h.user, 200), host: clean(h.host, 200), display: clean(h.display, 200) })),
    updatedAt: at,
    stale: false,
  };
}

const poolData = (p: ObservedPoolRecord) => ({
  source: p.source,
  feature: p.feature,
  vendor: p.vendor ?? '',
  issued: p.issued,
  inUse: p.inUse,
  reserved: p.reserved,
  expires: p.expires,
  holders: JSON.stringify(p.holders),
  updatedAt: p.updatedAt,
  stale: false,
});

function differs(a: ObservedPoolRecord, b: ObservedPoolRecord): boolean {
  return (
    a.issued !== b.issued ||
    a.inUse !== b.inUse ||
    a.reserved !== b.reserved ||
    a.expires !== b.expires ||
    a.stale !== b.stale ||
    JSON.stringify(a.holders) !== JSON.stringify(b.holders)
  );
}
