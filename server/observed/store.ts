// Observed sources, pools and events in the database, through Prisma's model API, which
// speaks SQLite and PostgreSQL alike. A snapshot is applied in one transaction: read the
// pools it replaces, write the new ones, record the inferred events, update the source's
// health. On PostgreSQL the source row is locked first so two processes applying pushes
// for one source take turns; SQLite serialises writers itself.
import type { Prisma } from '../db/database.ts';
import type { ObservedEvent, ObservedPool, ObservedSource } from '../db/generated/prisma/client.ts';
import type { ObservedHolder } from './types.ts';
import type { ObservedEventRecord, ObservedPoolRecord, ObservedSourceRecord } from './records.ts';

/**
 * Text from a license server goes into the database as printable Unicode: PostgreSQL refuses
 * NUL in text, and control characters would rewrite a dashboard or log line. Each becomes
 * U+FFFD, so SQLite and PostgreSQL store the same string.
 */
export const clean = (s: string, max = 300): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
  const t = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
  return t.length > max ? t.slice(0, max) : t;
};

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export const sourceRecord = (r: ObservedSource): ObservedSourceRecord => {
  const health = parseJson<{ servers?: ObservedSourceRecord['servers']; daemons?: ObservedSourceRecord['daemons'] }>(r.health, {});
  return {
    name: r.name,
    kind: r.kind === 'rlm' ? 'rlm' : 'flexnet',
    command: r.command,
    intervalSeconds: r.intervalSeconds,
    createdAt: r.createdAt,
    serverUp: r.serverUp,
    error: r.error,
    servers: health.servers ?? [],
    daemons: health.daemons ?? [],
    lastSnapshotAt: r.lastSnapshotAt,
    unparsedLines: r.unparsedLines,
  };
};

export const poolRecord = (r: ObservedPool): ObservedPoolRecord => ({
  source: r.source,
  feature: r.feature,
  vendor: r.vendor === '' ? null : r.vendor,
  issued: r.issued,
  inUse: r.inUse,
  reserved: r.reserved,
  expires: r.expires,
  holders: parseJson<ObservedHolder[]>(r.holders, []),
  updatedAt: r.updatedAt,
  stale: r.stale,
});

export const eventRecord = (r: ObservedEvent): ObservedEventRecord => ({
  id: r.id,
  source: r.source,
  feature: r.feature,
  vendor: r.vendor === '' ? null : r.vendor,
  kind: r.kind as ObservedEventRecord['kind'],
  origin: r.origin === 'log' ? 'log' : 'snapshot',
  user: r.user,
  host: r.host,
  licenses: r.licenses,
  reason: r.reason,
  at: r.at,
});

export type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export class ObservedStore {
  constructor(
    readonly prisma: Prisma,
    readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** Runs `work` in one transaction, the source's row locked on PostgreSQL. */
  async inSource<T>(name: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        if (this.dialect === 'postgresql') await tx.$queryRawUnsafe('SELECT name FROM observed_sources WHERE name = $1 FOR UPDATE', name);
        return work(tx);
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }

  async source(name: string): Promise<ObservedSourceRecord | null> {
    const r = await this.prisma.observedSource.findUnique({ where: { name } });
    return r ? sourceRecord(r) : null;
  }

  async countSources(): Promise<number> {
    return this.prisma.observedSource.count();
  }

  /** Sources by name, `limit` from after `after`. */
  async sources(limit: number, after?: string): Promise<ObservedSourceRecord[]> {
    const rows = await this.prisma.observedSource.findMany({
      where: after === undefined ? {} : { name: { gt: after } },
      orderBy: { name: 'asc' },
      take: limit,
    });
    return rows.map(sourceRecord);
  }

  /** Pools by (source, feature, vendor), `limit` from after the key `after`. */
  async pools(limit: number, source?: string, after?: [string, string, string]): Promise<ObservedPoolRecord[]> {
    const where = {
      ...(source === undefined ? {} : { source }),
      ...(after
        ? {
            OR: [
              { source: { gt: after[0] } },
              { source: after[0], feature: { gt: after[1] } },
              { source: after[0], feature: after[1], vendor: { gt: after[2] } },
            ],
          }
        : {}),
    };
    const rows = await this.prisma.observedPool.findMany({
      where,
      orderBy: [{ source: 'asc' }, { feature: 'asc' }, { vendor: 'asc' }],
      take: limit,
    });
    return rows.map(poolRecord);
  }

  /** Events newest first (by id), `limit` from before the id `before`. */
  async events(q: {
    limit: number;
    before?: number;
    source?: string;
    feature?: string;
    from?: Date;
    to?: Date;
    kinds?: string[];
  }): Promise<ObservedEventRecord[]> {
    const rows = await this.prisma.observedEvent.findMany({
      where: {
        ...(q.source === undefined ? {} : { source: q.source }),
        ...(q.feature === undefined ? {} : { feature: q.feature }),
        ...(q.before === undefined ? {} : { id: { lt: q.before } }),
        ...(q.kinds ? { kind: { in: q.kinds } } : {}),
        ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      },
      orderBy: { id: 'desc' },
      take: q.limit,
    });
    return rows.map(eventRecord);
  }
}
