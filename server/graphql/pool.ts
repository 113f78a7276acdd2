// Pool status, cost and the subscription that pushes every change of a pool.
import { builder } from './builder.ts';
import type { PoolStatus } from '../licenses/index.ts';
import { ToolNotFoundError } from '../licenses/index.ts';
import { requireKnownTool } from './known-tool.ts';

export const OverageModeEnum = builder.enumType('OverageMode', {
  values: {
    PER_BORROW: { value: 'per_borrow', description: 'Each borrow that takes a seat beyond commit is charged once' },
    PER_SEAT_HOUR: {
      value: 'per_seat_hour',
      description: 'Overage use is charged per started seat-hour: a seat beyond commit filled again within its paid hour costs nothing',
    },
  } as const,
});

/** What the cost rule (cost.ts) charges per `pools` list: far more tools than any site configures. */
export const POOLS_LIST_SIZE = 50;

export const PoolRef = builder.objectRef<PoolStatus>('Pool').implement({
  description: 'A license pool with its budget and what it costs now',
  fields: (t) => ({
    tool: t.exposeString('tool'),
    total: t.exposeInt('total', { description: 'Seats in the pool' }),
    borrowed: t.exposeInt('borrowed', { description: 'Seats held now' }),
    available: t.exposeInt('available'),
    commit: t.exposeInt('commit', { description: 'Seats covered by the fixed commit price' }),
    maxOverage: t.exposeInt('maxOverage', { description: 'Seats allowed beyond commit' }),
    overage: t.exposeInt('overage', { description: 'Seats held beyond commit now' }),
    inCommit: t.exposeBoolean('inCommit'),
    commitPrice: t.exposeFloat('commitPrice'),
    overagePricePerLicense: t.exposeFloat('overagePricePerLicense'),
    currentOverageCost: t.exposeFloat('currentOverageCost', { description: 'Sum of the overage charges recorded' }),
    totalCost: t.exposeFloat('totalCost'),
    leaseSeconds: t.exposeInt('leaseSeconds', {
      nullable: true,
      description: 'Default lease (seconds) of a borrow that names none; null = none, such borrows never expire',
    }),
    lendable: t.exposeInt('lendable', {
      description:
        'Seats a borrow could take now: max(min(total, commit + maxOverage) - borrowed, 0), and 0 while anyone waits in line; the dashboard shows it as "free"',
    }),
    queued: t.exposeInt('queued', { description: "Tickets waiting in the pool's line (while above 0, lendable is 0)" }),
    retired: t.exposeBoolean('retired', {
      description: 'True only in the last poolChanged of a pool an admin retired: drop it from the view',
    }),
    overageMode: t.expose('overageMode', { type: OverageModeEnum }),
    billingDay: t.exposeInt('billingDay', { description: 'Day of month (1-28) the billing periods start, 00:00 UTC' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'Start of the current billing period (inclusive)' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', description: 'End of the current billing period (exclusive)' }),
    periodOverageCost: t.exposeFloat('periodOverageCost', { description: 'Overage charged in the current billing period' }),
    spendCap: t.exposeFloat('spendCap', { nullable: true, description: 'Most overage money one period may take; null = no cap' }),
  }),
});

const CostSummaryRef = builder.objectRef<{ commit: number; overage: number; total: number }>('CostSummary').implement({
  fields: (t) => ({ commit: t.exposeFloat('commit'), overage: t.exposeFloat('overage'), total: t.exposeFloat('total') }),
});

builder.queryFields((t) => ({
  // Not paged: one row per live tool (admins create a handful). The cost rule counts it as
  // POOLS_LIST_SIZE rows.
  pools: t.field({ type: [PoolRef], extensions: { listSize: POOLS_LIST_SIZE }, resolve: (_r, _a, ctx) => ctx.licenses.pools() }),
  pool: t.field({
    type: PoolRef,
    nullable: true,
    args: { tool: t.arg.string({ required: true }) },
    resolve: async (_r, { tool }, ctx) => {
      try {
        return await ctx.licenses.pool(tool);
      } catch (err) {
        if (err instanceof ToolNotFoundError) return null;
        throw err;
      }
    },
  }),
  costSummary: t.field({
    type: CostSummaryRef,
    resolve: (_r, _a, ctx) => ctx.licenses.costSummary(),
  }),
  version: t.string({ resolve: (_r, _a, ctx) => ctx.version }),
}));

builder.subscriptionFields((t) => ({
  poolChanged: t.field({
    type: PoolRef,
    description:
      'Pushed on every borrow, return, budget change, pool created and pool retired (retired: true); all pools when tool is omitted',
    args: { tool: t.arg.string() },
    subscribe: async (_r, { tool }, ctx) => {
      await requireKnownTool(ctx, tool);
      return ctx.live.pool(ctx.transport, tool ?? undefined);
    },
    resolve: (pool) => pool,
  }),
}));
