// GraphQL for observed license servers (FlexNet, RLM): sources with their health, pools
// as last seen, their history; admin mutations to register, remove and push; a live
// subscription fed by the same LiveUpdates fan-out (and Redis relay) as native pools.
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import { connectionType, resolvePage } from './connections.ts';
import { requireAdmin } from '../auth/index.ts';
import { InvalidPageError, MAX_PAGE_SIZE, type Page } from '../licenses/index.ts';
import type {
  ObservedDaemon,
  ObservedEventRecord,
  ObservedHolder,
  ObservedPoolRecord,
  ObservedPriceRecord,
  ObservedServer,
  ObservedSourceRecord,
  SnapshotOutcome,
} from '../observed/index.ts';

/** Dates arrive as Date from this process and as ISO text relayed from another. */
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
/** Holders shown per pool in one answer; the counts (inUse) stay exact. */
const HOLDERS_LIST_SIZE = 50;

/** The domain's refusals as client errors with a code (not a masked "Unexpected error"). */
async function clientErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) throw new GraphQLError((err as Error).message, { extensions: { code: 'NOT_FOUND' } });
    if (status === 409) throw new GraphQLError((err as Error).message, { extensions: { code: 'CONFLICT' } });
    throw err;
  }
}

const ServerRef = builder.objectRef<ObservedServer>('ObservedServer').implement({
  description: 'A license server host of an observed source (a triad has three)',
  fields: (t) => ({
    host: t.exposeString('host'),
    up: t.exposeBoolean('up'),
    master: t.exposeBoolean('master'),
    version: t.exposeString('version', { nullable: true }),
    error: t.exposeString('error', { nullable: true, description: 'What the output said instead of UP' }),
  }),
});

const DaemonRef = builder.objectRef<ObservedDaemon>('ObservedDaemon').implement({
  description: 'A vendor daemon (FlexNet) or ISV server (RLM)',
  fields: (t) => ({
    name: t.exposeString('name'),
    up: t.exposeBoolean('up'),
    version: t.exposeString('version', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const SourceRef = builder.objectRef<ObservedSourceRecord>('ObservedSource').implement({
  description: 'A FlexNet or RLM license server Floatline observes (read-only: it serves no seats)',
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: 'flexnet or rlm' }),
    command: t.exposeString('command', {
      nullable: true,
      description: 'Run on the interval without a shell; null when snapshots are pushed',
    }),
    intervalSeconds: t.exposeInt('intervalSeconds'),
    createdAt: t.string({ resolve: (s) => iso(s.createdAt)! }),
    serverUp: t.exposeBoolean('serverUp', { nullable: true, description: 'null until the first snapshot' }),
    error: t.exposeString('error', { nullable: true }),
    servers: t.field({ type: [ServerRef], extensions: { listSize: 20 }, resolve: (s) => s.servers }),
    daemons: t.field({ type: [DaemonRef], extensions: { listSize: 100 }, resolve: (s) => s.daemons }),
    lastSnapshotAt: t.string({ nullable: true, resolve: (s) => iso(s.lastSnapshotAt) }),
    unparsedLines: t.exposeInt('unparsedLines', { description: 'Lines of the last snapshot no rule recognised' }),
  }),
});

const HolderRef = builder.objectRef<ObservedHolder>('ObservedHolder').implement({
  fields: (t) => ({
    user: t.exposeString('user'),
    host: t.exposeString('host'),
    display: t.exposeString('display'),
    startedAt: t.exposeString('startedAt', { nullable: true }),
    licenses: t.exposeInt('licenses'),
    lingerSeconds: t.exposeInt('lingerSeconds', { nullable: true }),
    borrowed: t.exposeBoolean('borrowed'),
  }),
});

export const ObservedPoolRef = builder.objectRef<ObservedPoolRecord>('ObservedPool').implement({
  description: 'A feature of an observed license server as its last snapshot showed it (read-only)',
  fields: (t) => ({
    source: t.exposeString('source'),
    feature: t.exposeString('feature'),
    vendor: t.exposeString('vendor', { nullable: true }),
    issued: t.exposeInt('issued', { nullable: true, description: 'null: uncounted' }),
    inUse: t.exposeInt('inUse'),
    reserved: t.exposeInt('reserved'),
    expires: t.exposeString('expires', { nullable: true, description: 'YYYY-MM-DD, permanent, or null when unknown' }),
    holders: t.field({
      type: [HolderRef],
      extensions: { listSize: HOLDERS_LIST_SIZE },
      resolve: (p) => p.holders.slice(0, HOLDERS_LIST_SIZE),
    }),
    updatedAt: t.string({ resolve: (p) => iso(p.updatedAt)! }),
    stale: t.exposeBoolean('stale', { description: 'The source was down at its last snapshot: these are the last known numbers' }),
    removed: t.boolean({ description: 'Live updates only: the pool is gone', resolve: (p) => p.removed === true }),
  }),
});

const EventRef = builder.objectRef<ObservedEventRecord>('ObservedEvent').implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    source: t.exposeString('source'),
    feature: t.exposeString('feature'),
    vendor: t.exposeString('vendor', { nullable: true }),
    kind: t.exposeString('kind', { description: 'out, in, denied or unsupported' }),
    origin: t.exposeString('origin', { description: 'snapshot (inferred) or log (exact)' }),
    user: t.exposeString('user'),
    host: t.exposeString('host'),
    licenses: t.exposeInt('licenses'),
    reason: t.exposeString('reason', { nullable: true }),
    at: t.string({ resolve: (e) => iso(e.at)! }),
  }),
});

const SnapshotRef = builder.objectRef<SnapshotOutcome>('ObservedSnapshot').implement({
  fields: (t) => ({
    source: t.exposeString('source'),
    takenAt: t.string({ resolve: (o) => iso(o.takenAt)! }),
    serverUp: t.exposeBoolean('serverUp'),
    features: t.exposeInt('features'),
    inUse: t.exposeInt('inUse'),
    unparsedLines: t.exposeInt('unparsedLines'),
    events: t.exposeInt('events'),
  }),
});

const SourceConnection = connectionType('ObservedSource', SourceRef);
const PoolConnection = connectionType('ObservedPool', ObservedPoolRef);
const EventConnection = connectionType('ObservedEvent', EventRef);

const ObservedPriceRef = builder.objectRef<ObservedPriceRecord>('ObservedPrice').implement({
  description: 'What an observed pool costs per billing period, as an admin set it',
  fields: (t) => ({
    tool: t.exposeString('tool', { description: 'The pool as reports and statements name it: <source>/<feature>' }),
    source: t.exposeString('source'),
    feature: t.exposeString('feature'),
    price: t.exposeFloat('price'),
    billingDay: t.exposeInt('billingDay'),
    updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
  }),
});
const PriceConnection = connectionType('ObservedPrice', ObservedPriceRef);

const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
function uncursor(after: string | null | undefined): unknown {
  if (after == null) return undefined;
  try {
    return JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageError('after', 'after is not a cursor this server issued');
  }
}
function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw new InvalidPageError('first', `first must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return n;
}
/** One row more than asked tells whether another page follows. */
function pageOf<T>(rows: T[], n: number, key: (row: T) => unknown): Page<T> {
  const edges = rows.slice(0, n).map((node) => ({ cursor: cursor(key(node)), node }));
  return { edges, hasNextPage: rows.length > n, endCursor: edges.at(-1)?.cursor ?? null };
}
const noCount = () =>
  Promise.reject(new GraphQLError('totalCount is not offered for observed lists', { extensions: { code: 'BAD_USER_INPUT' } }));
const page = { first: 50 };

builder.queryFields((t) => ({
  observedSources: t.field({
    type: SourceConnection,
    description: 'License servers observed (FlexNet, RLM) with their health, by name',
    args: { first: t.arg.int({ defaultValue: page.first }), after: t.arg.string() },
    resolve: (_r, a, ctx) =>
      resolvePage(async () => {
        const n = pageSize(a.first);
        const after = uncursor(a.after);
        if (after !== undefined && typeof after !== 'string')
          throw new InvalidPageError('after', 'after is not a cursor this server issued');
        return pageOf(await ctx.observed.sources(n + 1, after), n, (s) => s.name);
      }, noCount),
  }),
  observedPools: t.field({
    type: PoolConnection,
    description: 'Pools of observed license servers as last seen; one source when `source` is given',
    args: { source: t.arg.string(), first: t.arg.int({ defaultValue: page.first }), after: t.arg.string() },
    resolve: (_r, a, ctx) =>
      resolvePage(async () => {
        const n = pageSize(a.first);
        const after = uncursor(a.after);
        if (after !== undefined && !(Array.isArray(after) && after.length === 3 && after.every((x) => typeof x === 'string'))) {
          throw new InvalidPageError('after', 'after is not a cursor this server issued');
        }
        return pageOf(await ctx.observed.pools(n + 1, a.source ?? undefined, after as [string, string, string] | undefined), n, (p) => [
          p.source,
          p.feature,
          p.vendor ?? '',
        ]);
      }, noCount),
  }),
  observedPrices: t.field({
    type: PriceConnection,
    description: 'What observed pools cost per billing period, by source and feature: the pools that have statements',
    args: { first: t.arg.int({ defaultValue: page.first }), after: t.arg.string() },
    resolve: (_r, a, ctx) =>
      resolvePage(async () => {
        const n = pageSize(a.first);
        const after = uncursor(a.after);
        if (after !== undefined && !(Array.isArray(after) && after.length === 2 && after.every((x) => typeof x === 'string'))) {
          throw new InvalidPageError('after', 'after is not a cursor this server issued');
        }
        return pageOf(await ctx.observed.prices(n + 1, (after as [string, string] | undefined) ?? null), n, (p) => [p.source, p.feature]);
      }, noCount),
  }),
  observedEvents: t.field({
    type: EventConnection,
    description: 'History of observed pools, newest first',
    args: { source: t.arg.string(), feature: t.arg.string(), first: t.arg.int({ defaultValue: page.first }), after: t.arg.string() },
    resolve: (_r, a, ctx) =>
      resolvePage(async () => {
        const n = pageSize(a.first);
        const before = uncursor(a.after);
        if (before !== undefined && typeof before !== 'number')
          throw new InvalidPageError('after', 'after is not a cursor this server issued');
        const rows = await ctx.observed.events({ limit: n + 1, source: a.source ?? undefined, feature: a.feature ?? undefined, before });
        return pageOf(rows, n, (e) => e.id);
      }, noCount),
  }),
}));

builder.mutationFields((t) => ({
  createObservedSource: t.field({
    type: SourceRef,
    description: 'Registers a FlexNet or RLM license server to observe (admin)',
    args: {
      name: t.arg.string({ required: true }),
      kind: t.arg.string({ required: true, description: 'flexnet or rlm' }),
      command: t.arg.string({ description: 'lmutil lmstat -a -c PORT@HOST (run without a shell); omit to push snapshots' }),
      intervalSeconds: t.arg.int(),
    },
    resolve: async (_r, a, ctx) => {
      requireAdmin(ctx.identity, 'register observed license servers');
      const s = await clientErrors(() => ctx.observed.createSource(a));
      await ctx.auth.adminAction(ctx.identity, 'observed_source_created', { target: s.name, detail: { kind: s.kind, command: s.command } });
      return s;
    },
  }),
  deleteObservedSource: t.field({
    type: 'String',
    description: 'Stops observing a license server (admin); its history stays. Returns its name.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, { name }, ctx) => {
      requireAdmin(ctx.identity, 'remove observed license servers');
      await clientErrors(() => ctx.observed.deleteSource(name));
      await ctx.auth.adminAction(ctx.identity, 'observed_source_deleted', { target: name });
      return name;
    },
  }),
  setObservedPoolPrice: t.field({
    type: ObservedPriceRef,
    description:
      'Sets what an observed pool costs per billing period (admin): its statement (statements(tool: "<source>/<feature>")) spreads it over teams by observed seat-hours',
    args: {
      source: t.arg.string({ required: true }),
      feature: t.arg.string({ required: true }),
      price: t.arg.float({ required: true, description: 'Per billing period, in the currency of the statements' }),
      billingDay: t.arg.int({ description: 'The day of the month each period starts, 1-28 (default 1)' }),
    },
    resolve: async (_r, a, ctx) => {
      requireAdmin(ctx.identity, 'price observed pools');
      const p = await clientErrors(() => ctx.observed.setPrice(a.source, a.feature, { price: a.price, billingDay: a.billingDay }));
      await ctx.auth.adminAction(ctx.identity, 'observed_price_set', {
        tool: p.tool,
        detail: { price: p.price, billing_day: p.billingDay },
      });
      return p;
    },
  }),
  pushObservedSnapshot: t.field({
    type: SnapshotRef,
    description: 'Applies the text output of lmstat -a / rlmstat -a of a source (admin); at most 4 MiB',
    args: { source: t.arg.string({ required: true }), output: t.arg.string({ required: true }) },
    resolve: async (_r, a, ctx) => {
      requireAdmin(ctx.identity, 'push observed snapshots');
      return clientErrors(() => ctx.observed.snapshot(a.source, a.output));
    },
  }),
}));

builder.subscriptionFields((t) => ({
  observedPoolChanged: t.field({
    type: ObservedPoolRef,
    description:
      'Pushed when a snapshot changes an observed pool (numbers, holders, stale) or removes it; all sources when source is omitted',
    args: { source: t.arg.string() },
    subscribe: async (_r, { source }, ctx) => {
      if (source != null) await clientErrors(() => ctx.observed.source(source));
      return ctx.live.observed(ctx.transport, source ?? undefined);
    },
    resolve: (pool) => pool,
  }),
}));
