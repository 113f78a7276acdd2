// The SQL behind observed pools' reports and statements, written once with Kysely (the store's
// typed query layer, server/licenses/sql.ts) and run on SQLite or PostgreSQL by the store's
// dialect module. It only loads rows — seats held before a window, check-outs and check-ins in
// it, denials with whether they were retried, team membership, prices — and what they mean is
// decided in usage.ts and reports.ts.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../db/tables.ts';
import type { Dialect } from '../licenses/dialects/dialect.ts';
import { dynamic, statement } from '../licenses/sql.ts';
import { asDate } from '../licenses/store-queries.ts';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const SEAT_KINDS = ['out', 'in'] as const;

/** One observed pool, or every one (null). */
export type PoolFilter = { source: string; feature: string } | null;
// biome-ignore lint/complexity/noBannedTypes: no columns selected yet, as Kysely types a bare selectFrom
type EventsQuery = SelectQueryBuilder<DB, 'observed_events', {}>;
const ofPool = (q: EventsQuery, pool: PoolFilter): EventsQuery =>
  pool === null ? q : q.where('source', '=', pool.source).where('feature', '=', pool.feature);

/** Net seats each (source, feature, user) held from each origin as `before` began (check-outs less check-ins). */
const heldBefore = dynamic((db, $: { before: Date; pool: PoolFilter }) =>
  ofPool(db.selectFrom('observed_events'), $.pool)
    .select(['source', 'feature', 'user', 'origin'])
    .select(sql<number>`SUM(CASE WHEN kind = 'out' THEN licenses ELSE -licenses END)`.as('held'))
    .where('kind', 'in', SEAT_KINDS)
    .where('at', '<', $.before)
    .groupBy(['source', 'feature', 'user', 'origin'])
    .having(sql<number>`SUM(CASE WHEN kind = 'out' THEN licenses ELSE -licenses END)`, '>', 0),
);

/** Check-outs and check-ins in [from, to), in the order they happened. */
const seatEventsIn = dynamic((db, $: { from: Date; to: Date; pool: PoolFilter }) =>
  ofPool(db.selectFrom('observed_events'), $.pool)
    .select(['source', 'feature', 'user', 'origin', 'kind', 'licenses', 'at'])
    .where('kind', 'in', SEAT_KINDS)
    .where('at', '>=', $.from)
    .where('at', '<', $.to)
    .orderBy('at')
    .orderBy('id'),
);

/** Features whose debug log was pushed (exact check-outs) before `to`. */
const loggedFeatures = statement((db, $: { to: Date }) =>
  db
    .selectFrom('observed_events')
    .select(['source', 'feature'])
    .where('origin', '=', 'log')
    .where('kind', 'in', SEAT_KINDS)
    .where('at', '<', $.to)
    .groupBy(['source', 'feature']),
);

/**
 * Denials in [from, to) per (source, feature, user), and how many the same user followed
 * within `grace` seconds with a check-out of the same feature of the same source (retried).
 */
const deniedIn = dynamic((db, $: { from: Date; to: Date; grace: number }, t) => {
  const until =
    t.flavor === 'sqlite'
      ? sql`strftime('%Y-%m-%dT%H:%M:%f+00:00', d.at, ${`+${$.grace} seconds`})`
      : sql`d.at + ${$.grace} * interval '1 second'`;
  return db
    .selectFrom('observed_events as d')
    .select(['d.source', 'd.feature', 'd.user'])
    .select(sql<number>`COUNT(*)`.as('n'))
    .select(
      sql<number>`SUM(CASE WHEN EXISTS (
        SELECT 1 FROM observed_events o WHERE o.source = d.source AND o.feature = d.feature AND o."user" = d."user"
          AND o.kind = 'out' AND o.at >= d.at AND o.at <= ${until}) THEN 1 ELSE 0 END)`.as('retried'),
    )
    .where('d.kind', '=', 'denied')
    .where('d.at', '>=', $.from)
    .where('d.at', '<', $.to)
    .groupBy(['d.source', 'd.feature', 'd.user']);
});

const teamMembers = statement((db) => db.selectFrom('team_members').select(['user', 'team']));

/** Seats issued now per (source, feature), over its vendors; null issued (uncounted) counts 0. */
const issuedNow = statement((db) =>
  db
    .selectFrom('observed_pools')
    .select(['source', 'feature'])
    .select(sql<number>`SUM(COALESCE(issued, 0))`.as('issued'))
    .groupBy(['source', 'feature']),
);

const PRICE = ['source', 'feature', 'price', 'billing_day', 'updated_at'] as const;
const pricesAll = statement((db) => db.selectFrom('observed_prices').select(PRICE).orderBy('source').orderBy('feature'));

/** A page of prices by (source, feature), after the key (a, b). */
const pricesAfter = statement((db, $: { a: string; b: string; limit: number }) =>
  db
    .selectFrom('observed_prices')
    .select(PRICE)
    .where((w) => w.or([w('source', '>', $.a), w.and([w('source', '=', $.a), w('feature', '>', $.b)])]))
    .orderBy('source')
    .orderBy('feature')
    .limit($.limit),
);

const firstEventOf = statement((db, $: { source: string; feature: string }) =>
  db
    .selectFrom('observed_events')
    .select(sql<unknown>`MIN(at)`.as('first'))
    .where('source', '=', $.source)
    .where('feature', '=', $.feature),
);

const upsertPrice = dynamic((db, $: { source: string; feature: string; price: number; billingDay: number; at: Date }) =>
  db
    .insertInto('observed_prices')
    .values({ source: $.source, feature: $.feature, price: $.price, billing_day: $.billingDay, updated_at: $.at })
    .onConflict((oc) => oc.columns(['source', 'feature']).doUpdateSet({ price: $.price, billing_day: $.billingDay, updated_at: $.at })),
);

export interface HeldRow {
  source: string;
  feature: string;
  user: string;
  origin: string;
  held: number;
}
export interface SeatEventRow {
  source: string;
  feature: string;
  user: string;
  origin: string;
  kind: 'out' | 'in';
  licenses: number;
  at: Date;
}
export interface DeniedRow {
  source: string;
  feature: string;
  user: string;
  denials: number;
  retried: number;
}
export interface PriceRow {
  source: string;
  feature: string;
  price: number;
  billingDay: number;
  updatedAt: Date;
}

/** The observed reports' reads and the price writes, on the store's dialect. */
export class ObservedReportQueries {
  constructor(private readonly db: Dialect) {}

  async heldBefore(before: Date, pool: PoolFilter = null): Promise<HeldRow[]> {
    const rows = await this.db.all(heldBefore.compile(this.db, { before, pool }));
    return rows.map((r) => ({ ...seatKey(r), origin: String(r.origin), held: num(r.held) }));
  }

  async seatEvents(from: Date, to: Date, pool: PoolFilter = null): Promise<SeatEventRow[]> {
    const rows = await this.db.all(seatEventsIn.compile(this.db, { from, to, pool }));
    return rows.map((r) => ({
      ...seatKey(r),
      origin: String(r.origin),
      kind: r.kind === 'out' ? 'out' : 'in',
      licenses: num(r.licenses),
      at: asDate(r.at),
    }));
  }

  async loggedFeatures(to: Date): Promise<Set<string>> {
    const rows = await this.db.all(loggedFeatures.compile(this.db, { to }));
    return new Set(rows.map((r) => poolName(String(r.source), String(r.feature))));
  }

  async denials(from: Date, to: Date, graceSeconds: number): Promise<DeniedRow[]> {
    const rows = await this.db.all(deniedIn.compile(this.db, { from, to, grace: graceSeconds }));
    return rows.map((r) => ({ ...seatKey(r), denials: num(r.n), retried: num(r.retried) }));
  }

  /** User → team (a user is in one team at most: team_members.user is unique). */
  async teams(): Promise<Map<string, string>> {
    const rows = await this.db.all(teamMembers.compile(this.db, {}));
    return new Map(rows.map((r) => [String(r.user), String(r.team)]));
  }

  async issued(): Promise<Map<string, number>> {
    const rows = await this.db.all(issuedNow.compile(this.db, {}));
    return new Map(rows.map((r) => [poolName(String(r.source), String(r.feature)), num(r.issued)]));
  }

  /** Every price (statements of all priced pools), or a page of `limit` after the key `after`. */
  async prices(page?: { limit: number; after: [string, string] | null }): Promise<PriceRow[]> {
    const rows = page
      ? await this.db.all(pricesAfter.compile(this.db, { a: page.after?.[0] ?? '', b: page.after?.[1] ?? '', limit: page.limit }))
      : await this.db.all(pricesAll.compile(this.db, {}));
    return rows.map((r) => ({
      source: String(r.source),
      feature: String(r.feature),
      price: num(r.price),
      billingDay: num(r.billing_day),
      updatedAt: asDate(r.updated_at),
    }));
  }

  async firstEvent(source: string, feature: string): Promise<Date | null> {
    const r = (await this.db.all(firstEventOf.compile(this.db, { source, feature })))[0];
    return r && r.first !== null && r.first !== undefined ? asDate(r.first) : null;
  }

  async setPrice(p: { source: string; feature: string; price: number; billingDay: number; at: Date }): Promise<void> {
    await this.db.run(upsertPrice.compile(this.db, p));
  }
}

const seatKey = (r: Record<string, unknown>) => ({ source: String(r.source), feature: String(r.feature), user: String(r.user) });

/** The pool a name `<source>/<feature>` names (a source name holds no `/`), or every pool for null. */
export const poolOfName = (tool: string | null): PoolFilter => {
  if (tool === null) return null;
  const cut = tool.indexOf('/');
  return { source: tool.slice(0, cut), feature: tool.slice(cut + 1) };
};

/** An observed pool's name in reports and statements: `<source>/<feature>`. A native pool's
 *  name cannot hold a `/` (licenses/text.ts), so the two never collide. */
export const poolName = (source: string, feature: string): string => `${source}/${feature}`;
