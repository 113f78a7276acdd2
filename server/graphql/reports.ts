// Usage reports and statements over GraphQL: the same domain calls as REST
// (licenses/reports.ts, statements.ts), the same 422-style checks (BAD_USER_INPUT naming
// the argument), and each also as CSV (the `csv` fields) for spreadsheets.
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import { requireKnownTool } from './known-tool.ts';
import { statementsCsv, usageCsv } from '../csv.ts';
import {
  REPORT_GROUPS,
  REPORT_LIMITS,
  type StatementLine,
  type StatementRecord,
  type UsageReportRecord,
  type UsageRowRecord,
} from '../licenses/index.ts';
import { ObservedPoolNotFoundError } from '../observed/errors.ts';

/** An observed pool named that is unknown or unpriced: a client error saying so (not a masked one). */
async function observedNotFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ObservedPoolNotFoundError)
      throw new GraphQLError(err.message, { extensions: { code: 'NOT_FOUND', tool: err.tool } });
    throw err;
  }
}

// A statement answers every reader for 2 s (licenses/heavy-reads.ts) and one query may ask for
// it under many aliases: its CSV is made once per record, not once per alias and answer (with
// four readers repeating 15 aliases, making CSV was the server's own code's largest item in a
// profile, ~8% of its CPU). Records are not changed once answered.
function madeOnce<T extends object>(make: (r: T) => string): (r: T) => string {
  const made = new WeakMap<T, string>();
  return (r) => {
    let text = made.get(r);
    if (text === undefined) {
      text = make(r);
      made.set(r, text);
    }
    return text;
  };
}
const statementCsvOf = madeOnce((s: StatementRecord) => statementsCsv([s]));
const usageCsvOf = madeOnce(usageCsv);

const ReportGroupByEnum = builder.enumType('ReportGroupBy', {
  description: 'What a usage report has one row for (within each pool)',
  values: Object.fromEntries(REPORT_GROUPS.map((g) => [g.toUpperCase(), { value: g }])) as Record<string, { value: string }>,
});

const UsagePointRef = builder.objectRef<{ at: Date; seats: number }>('UsageReportPoint').implement({
  description: 'One bucket of a usage series',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'Start of the bucket' }),
    seats: t.exposeFloat('seats', { description: 'Average seats held over the bucket' }),
  }),
});

const UsageRowRef = builder.objectRef<UsageRowRecord>('UsageReportRow').implement({
  description: 'Usage of one pool by one group (the pool itself, a team, a user or a project) in the window',
  fields: (t) => ({
    tool: t.exposeString('tool'),
    group: t.exposeString('group', { description: 'The pool, team, user or project; "(no team)" / "(no project)" for none' }),
    peakSeats: t.exposeInt('peakSeats', { description: 'Most seats held at once' }),
    seatHours: t.exposeFloat('seatHours'),
    capacity: t.exposeInt('capacity', { description: "The pool's seats (its total now)" }),
    utilisation: t.exposeFloat('utilisation', { description: 'seatHours / (capacity × hours of the window passed so far)' }),
    denials: t.exposeInt('denials'),
    trueDenials: t.exposeInt('trueDenials', {
      description: 'Denials after which the caller got no seat in the pool within trueDenialMinutes',
    }),
    retriedDenials: t.exposeInt('retriedDenials'),
    queueWaits: t.exposeInt('queueWaits', { description: 'Waiters granted a seat in the window' }),
    queueWaitP50Seconds: t.exposeFloat('queueWaitP50Seconds', { nullable: true }),
    queueWaitP95Seconds: t.exposeFloat('queueWaitP95Seconds', { nullable: true }),
    expiries: t.exposeInt('expiries', { description: 'Leases that ran out in the window' }),
    revocations: t.exposeInt('revocations'),
    series: t.field({
      type: [UsagePointRef],
      extensions: { listSize: REPORT_LIMITS.maxPoints },
      description: `Seats over the window in buckets of bucketSeconds (at most ${REPORT_LIMITS.maxPoints}), up to now`,
      resolve: (r) => r.series,
    }),
  }),
});

const UsageReportRef = builder.objectRef<UsageReportRecord>('UsageReport').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    groupBy: t.field({ type: ReportGroupByEnum, resolve: (r) => r.groupBy }),
    tool: t.exposeString('tool', { nullable: true }),
    trueDenialMinutes: t.exposeInt('trueDenialMinutes'),
    bucketSeconds: t.exposeInt('bucketSeconds', { description: 'Width of each point of the series' }),
    dataFrom: t.expose('dataFrom', { type: 'DateTime', nullable: true, description: 'First instant a reported seat was held' }),
    dataTo: t.expose('dataTo', { type: 'DateTime', nullable: true, description: 'Last instant a reported seat was held' }),
    totalCount: t.exposeInt('totalCount', { description: 'Rows in every page together' }),
    nextCursor: t.exposeString('nextCursor', { nullable: true, description: 'Pass as `after` for the next page' }),
    rows: t.field({ type: [UsageRowRef], extensions: { listSize: 'page' }, resolve: (r) => r.rows }),
    csv: t.string({ description: 'This page of rows as CSV (header row, numbers unformatted)', resolve: usageCsvOf }),
  }),
});

const StatementLineRef = builder.objectRef<StatementLine>('StatementLine').implement({
  description: "One team's part of a pool's statement; users in no team are the (no team) line",
  fields: (t) => ({
    team: t.exposeString('team'),
    seatHours: t.exposeFloat('seatHours'),
    share: t.exposeFloat('share', {
      description:
        "The team's share of the pool's seat-hours (0-1), by which the commit price is spread; when nobody held a seat, the (no team) line carries the whole commit (1)",
    }),
    commit: t.exposeFloat('commit', { description: 'Its part of the commit price (largest-remainder cents)' }),
    overage: t.exposeFloat('overage', { description: 'Overage charges it caused' }),
    overageCharges: t.exposeInt('overageCharges'),
    total: t.exposeFloat('total'),
  }),
});

const StatementRef = builder.objectRef<StatementRecord>('Statement').implement({
  description: "A pool's bill for one period: the lines add up to its total to the cent",
  fields: (t) => ({
    tool: t.exposeString('tool'),
    periodStart: t.expose('periodStart', { type: 'DateTime' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime' }),
    closed: t.exposeBoolean('closed', { description: 'The period has ended: the statement is frozen and never changes' }),
    frozenAt: t.expose('frozenAt', { type: 'DateTime', nullable: true }),
    billingDay: t.exposeInt('billingDay'),
    commitPrice: t.exposeFloat('commitPrice'),
    overage: t.exposeFloat('overage'),
    total: t.exposeFloat('total'),
    seatHours: t.exposeFloat('seatHours'),
    teams: t.field({ type: [StatementLineRef], extensions: { listSize: 100 }, resolve: (s) => s.teams }),
    csv: t.string({ description: 'The lines as CSV (header row, numbers unformatted)', resolve: statementCsvOf }),
  }),
});

builder.queryFields((t) => ({
  usageReport: t.field({
    type: UsageReportRef,
    description: 'Usage over [from, to) per pool, team, user or project: peak seats, seat-hours, utilisation, denials, queue waits',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true, description: `After from, at most ${REPORT_LIMITS.maxDays} days later` }),
      groupBy: t.arg({ type: ReportGroupByEnum, defaultValue: 'pool' }),
      tool: t.arg.string(),
      trueDenialMinutes: t.arg.int({
        defaultValue: REPORT_LIMITS.trueDenialMinutes.default,
        description: 'A denial is retried when the same user got a seat in the pool within this many minutes, else true',
      }),
      first: t.arg.int({ defaultValue: REPORT_LIMITS.rows.default, description: `Rows in the page (at most ${REPORT_LIMITS.rows.max})` }),
      after: t.arg.string(),
    },
    resolve: (_r, a, ctx) =>
      ctx.licenses.usageReport({
        ...{ from: a.from, to: a.to, groupBy: a.groupBy, tool: a.tool, trueDenialMinutes: a.trueDenialMinutes },
        ...{ first: a.first, after: a.after },
      }),
  }),
  statements: t.field({
    type: [StatementRef],
    extensions: { listSize: 50 },
    description: "Each pool's statement (or one pool's) for a billing period",
    args: {
      tool: t.arg.string(),
      period: t.arg.string({ defaultValue: 'current', description: 'current, previous, or a date in the period (YYYY-MM-DD)' }),
    },
    resolve: (_r, a, ctx) => observedNotFound(() => ctx.licenses.statements(a.tool, a.period)),
  }),
}));

// One pool's statement on its own: `statements` may hold every pool's (its declared size is the
// pools list's), so a page that wants all lines of each pool asks pool by pool within the cost limit.
builder.queryFields((t) => ({
  statement: t.field({
    type: StatementRef,
    description: "One pool's statement for a billing period",
    args: {
      tool: t.arg.string({ required: true }),
      period: t.arg.string({ defaultValue: 'current', description: 'current, previous, or a date in the period (YYYY-MM-DD)' }),
    },
    resolve: async (_r, a, ctx) => {
      // `<source>/<feature>` names an observed pool: the observed domain answers (not found when unpriced).
      if (!a.tool.includes('/')) await requireKnownTool(ctx, a.tool);
      const found = (await observedNotFound(() => ctx.licenses.statements(a.tool, a.period)))[0];
      if (!found) {
        // A closed period the pool is not known to have existed in (licenses/statement-bounds.ts).
        throw new GraphQLError(`${a.tool} has no statement for that period: the pool is not known to have existed then`, {
          extensions: { code: 'NO_STATEMENT', tool: a.tool },
        });
      }
      return found;
    },
  }),
}));
