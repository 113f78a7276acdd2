// License history: recent events, usage over time, and the live activity feed.
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import { DenialReasonEnum } from './errors.ts';
import { MAX_USAGE_POINTS, type DenialReason, type LicenseEventRecord, type UsageSeries } from '../licenses/index.ts';
import { connectionType, pageArgs, pageQuery, resolvePage } from './connections.ts';
import { reportFrontendError } from '../observability/frontend-errors.ts';
import { requireKnownTool } from './known-tool.ts';

const EventTypeEnum = builder.enumType('LicenseEventType', {
  values: {
    BORROWED: { value: 'borrowed' },
    RETURNED: { value: 'returned' },
    DENIED: { value: 'denied' },
    BUDGET_CHANGED: { value: 'budget_changed' },
    EXPIRED: { value: 'expired', description: 'A lease ran out without a heartbeat and its seat was released' },
    REVOKED: { value: 'revoked', description: 'An admin force-released a seat (revocationReason says why)' },
    QUEUED: { value: 'queued', description: "A borrow joined the pool's line (ticketId)" },
    GRANTED: { value: 'granted', description: 'The head of the line was handed a freed seat (borrowId, ticketId)' },
    LEFT_QUEUE: {
      value: 'left_queue',
      description: 'A ticket left the line without a seat: cancelled, or expired (its waiter went silent)',
    },
    POOL_CREATED: { value: 'pool_created', description: 'An admin created the pool' },
    POOL_RETIRED: { value: 'pool_retired', description: 'An admin retired the pool (it disappears; its history stays)' },
  } as const,
});

export const LicenseEventRef = builder.objectRef<LicenseEventRecord>('LicenseEvent').implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    type: t.field({ type: EventTypeEnum, resolve: (e) => e.type }),
    tool: t.exposeString('tool'),
    user: t.exposeString('user', { nullable: true }),
    borrowId: t.exposeID('borrowId', { nullable: true }),
    reason: t.field({
      type: DenialReasonEnum,
      nullable: true,
      description: 'Why a borrow was denied (denied events only)',
      resolve: (e) => (e.type === 'denied' ? (e.reason as DenialReason) : null),
    }),
    revocationReason: t.string({
      nullable: true,
      description: 'What the admin gave as the reason (revoked events only)',
      resolve: (e) => (e.type === 'revoked' ? e.reason : null),
    }),
    ticketId: t.exposeID('ticketId', { nullable: true, description: 'The queue ticket of queued, granted and left_queue events' }),
    leftBecause: t.string({
      nullable: true,
      description: 'cancelled or expired (left_queue events only)',
      resolve: (e) => (e.type === 'left_queue' ? e.reason : null),
    }),
    borrowed: t.exposeInt('borrowed', { description: 'Seats borrowed right after the event' }),
    total: t.exposeInt('total'),
  }),
});

const UsagePointRef = builder.objectRef<{ at: Date; borrowed: number }>('UsagePoint').implement({
  fields: (t) => ({ at: t.expose('at', { type: 'DateTime' }), borrowed: t.exposeInt('borrowed') }),
});

const UsageSeriesRef = builder.objectRef<UsageSeries>('UsageSeries').implement({
  fields: (t) => ({
    tool: t.exposeString('tool'),
    total: t.exposeInt('total'),
    // At most MAX_USAGE_POINTS points over all series together (plus one start point
    // each); the cost rule charges that many for every `points` selected.
    points: t.field({ type: [UsagePointRef], extensions: { listSize: MAX_USAGE_POINTS }, resolve: (s) => s.points }),
  }),
});

const LicenseEventConnection = connectionType('LicenseEvent', LicenseEventRef);

const FrontendErrorInput = builder.inputType('FrontendErrorInput', {
  fields: (t) => ({
    message: t.string({ required: true }),
    stack: t.string(),
    source: t.string(),
    lineno: t.int(),
    colno: t.int(),
    url: t.string(),
    userAgent: t.string(),
  }),
});

const MAX_USAGE_MINUTES = 7 * 24 * 60;

builder.queryFields((t) => ({
  events: t.field({
    type: LicenseEventConnection,
    description: 'License history, newest first, one page at a time',
    args: {
      tool: t.arg.string(),
      ...pageArgs,
    },
    resolve: (_r, args, ctx) => {
      const tool = args.tool ?? undefined;
      return resolvePage(
        () => ctx.licenses.events({ tool, ...pageQuery(args) }),
        () => ctx.licenses.countEvents(tool),
      );
    },
  }),
  usage: t.field({
    type: [UsageSeriesRef],
    // One series per tool; the cost of their points is counted on `points`.
    extensions: { listSize: 1 },
    description: 'Borrowed seats per tool over the last `minutes`',
    args: { minutes: t.arg.int({ defaultValue: 60 }) },
    resolve: (_r, { minutes }, ctx) => {
      const m = Math.min(Math.max(minutes ?? 60, 1), MAX_USAGE_MINUTES);
      return ctx.licenses.usage(m);
    },
  }),
}));

builder.mutationFields((t) => ({
  reportFrontendError: t.boolean({
    description: 'Writes the error to the server log (event frontend_error)',
    args: { input: t.arg({ type: FrontendErrorInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      // Same bounds as POST /frontend-error: the size cap and the per-address budget.
      if (Buffer.byteLength(JSON.stringify(input)) > ctx.frontendErrors.bodyLimitBytes) {
        ctx.frontendErrors.drop('too_large');
        throw new GraphQLError(`Frontend error report is larger than ${ctx.frontendErrors.bodyLimitBytes} bytes`, {
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        });
      }
      const retryAfter = ctx.frontendErrors.take(ctx.clientAddress);
      if (retryAfter > 0) {
        throw new GraphQLError(`Too many frontend error reports from this address; retry after ${retryAfter} s`, {
          extensions: { code: 'RATE_LIMITED', retryAfter },
        });
      }
      reportFrontendError(ctx.log, input);
      return true;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  licenseEvents: t.field({
    type: LicenseEventRef,
    description:
      'The activity feed: every borrow, return, denial, expiry, revocation, queue change, budget change, pool created and pool retired',
    args: { tool: t.arg.string() },
    subscribe: async (_r, { tool }, ctx) => {
      await requireKnownTool(ctx, tool);
      return ctx.live.events(ctx.transport, tool ?? undefined);
    },
    resolve: (e) => e,
  }),
}));
