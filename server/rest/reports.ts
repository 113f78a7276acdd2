// Usage reports and statements over REST: JSON, or CSV for spreadsheets with
// `Accept: text/csv` or the `.csv` twin of each route. The domain checks the parameters
// (licenses/reports.ts, statements.ts), so a bad one is the same 422 naming it on every
// door and both databases. Reads: every role (the auth hook asks for a viewer at least).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_GROUPS, REPORT_LIMITS, type Licenses, type StatementRecord, type UsageReportRecord } from '../licenses/index.ts';
import { statementsCsv, usageCsv } from '../csv.ts';

const text = (description: string) => ({ type: 'string', maxLength: 200, description }) as const;

const usageQuerystring = {
  type: 'object',
  properties: {
    from: text('Start of the window (inclusive), ISO-8601, e.g. 2026-11-01T00:00:00Z'),
    to: text(`End of the window (exclusive), after from, at most ${REPORT_LIMITS.maxDays} days later`),
    group_by: text(`One of ${REPORT_GROUPS.join(', ')} (default pool)`),
    tool: text('Only this pool'),
    true_denial_minutes: text(
      `A denial is retried when the same user got a seat in the pool within this many minutes, else true (${REPORT_LIMITS.trueDenialMinutes.min}-${REPORT_LIMITS.trueDenialMinutes.max}, default ${REPORT_LIMITS.trueDenialMinutes.default})`,
    ),
    first: text(`Rows in the page, 1-${REPORT_LIMITS.rows.max} (default ${REPORT_LIMITS.rows.default}; CSV: ${REPORT_LIMITS.rows.max})`),
    after: text('next_cursor of the previous page'),
  },
  required: ['from', 'to'],
} as const;

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const usageReply = {
  type: 'object',
  properties: {
    from: time,
    to: time,
    group_by: { type: 'string' },
    tool: { type: ['string', 'null'] },
    true_denial_minutes: int,
    bucket_seconds: { type: 'integer', description: "The width of each point of a row's series" },
    data_from: { type: ['string', 'null'], format: 'date-time', description: 'First instant a reported seat was held' },
    data_to: { type: ['string', 'null'], format: 'date-time', description: 'Last instant a reported seat was held' },
    total_count: int,
    next_cursor: { type: ['string', 'null'] },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          tool: { type: 'string' },
          group: { type: 'string' },
          peak_seats: int,
          seat_hours: num,
          capacity: int,
          utilisation: num,
          denials: int,
          true_denials: int,
          retried_denials: int,
          queue_waits: int,
          queue_wait_p50_seconds: { type: ['number', 'null'] },
          queue_wait_p95_seconds: { type: ['number', 'null'] },
          expiries: int,
          revocations: int,
          series: {
            type: 'array',
            items: { type: 'object', properties: { at: time, seats: { type: 'number', description: 'Average seats held in the bucket' } } },
          },
        },
      },
    },
  },
} as const;

const statementsQuerystring = {
  type: 'object',
  properties: {
    tool: text('Only this pool (default: every pool)'),
    period: text('current (default), previous, or a date in the period (YYYY-MM-DD)'),
  },
} as const;

const statementReply = {
  type: 'object',
  properties: {
    statements: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          tool: { type: 'string' },
          period_start: time,
          period_end: time,
          closed: { type: 'boolean', description: 'The period has ended: this statement is frozen and never changes' },
          frozen_at: { type: ['string', 'null'], format: 'date-time' },
          billing_day: int,
          commit_price: num,
          overage: num,
          total: num,
          seat_hours: num,
          teams: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                team: { type: 'string' },
                seat_hours: num,
                share: num,
                commit: num,
                overage: num,
                overage_charges: int,
                total: num,
              },
            },
          },
        },
      },
    },
  },
} as const;

const csvReply = { 200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } } };

export const usageJson = (r: UsageReportRecord) => ({
  from: r.from.toISOString(),
  to: r.to.toISOString(),
  group_by: r.groupBy,
  tool: r.tool,
  true_denial_minutes: r.trueDenialMinutes,
  bucket_seconds: r.bucketSeconds,
  data_from: r.dataFrom?.toISOString() ?? null,
  data_to: r.dataTo?.toISOString() ?? null,
  total_count: r.totalCount,
  next_cursor: r.nextCursor,
  rows: r.rows.map((x) => ({
    tool: x.tool,
    group: x.group,
    peak_seats: x.peakSeats,
    seat_hours: x.seatHours,
    capacity: x.capacity,
    utilisation: x.utilisation,
    denials: x.denials,
    true_denials: x.trueDenials,
    retried_denials: x.retriedDenials,
    queue_waits: x.queueWaits,
    queue_wait_p50_seconds: x.queueWaitP50Seconds,
    queue_wait_p95_seconds: x.queueWaitP95Seconds,
    expiries: x.expiries,
    revocations: x.revocations,
    series: x.series.map((p) => ({ at: p.at.toISOString(), seats: p.seats })),
  })),
});

export const statementJson = (s: StatementRecord) => ({
  tool: s.tool,
  period_start: s.periodStart.toISOString(),
  period_end: s.periodEnd.toISOString(),
  closed: s.closed,
  frozen_at: s.frozenAt?.toISOString() ?? null,
  billing_day: s.billingDay,
  commit_price: s.commitPrice,
  overage: s.overage,
  total: s.total,
  seat_hours: s.seatHours,
  teams: s.teams.map((t) => ({
    team: t.team,
    seat_hours: t.seatHours,
    share: t.share,
    commit: t.commit,
    overage: t.overage,
    overage_charges: t.overageCharges,
    total: t.total,
  })),
});

type UsageQuery = Partial<Record<keyof (typeof usageQuerystring)['properties'], string>>;
type StatementQuery = Partial<Record<'tool' | 'period', string>>;

/** CSV when the route ends in .csv or the client prefers text/csv over JSON. */
const wantsCsv = (req: FastifyRequest, csvRoute: boolean) => {
  if (csvRoute) return true;
  const accept = req.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
};
const sendCsv = (reply: FastifyReply, name: string, body: string) =>
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);

export function registerReportRoutes(app: FastifyInstance, { licenses }: { licenses: Licenses }): void {
  const usage = (csvRoute: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as UsageQuery;
    const csv = wantsCsv(req, csvRoute);
    const report = await licenses.usageReport({
      from: q.from,
      to: q.to,
      groupBy: q.group_by,
      tool: q.tool,
      trueDenialMinutes: q.true_denial_minutes,
      first: q.first ?? (csv ? REPORT_LIMITS.rows.max : undefined),
      after: q.after,
    });
    return csv ? sendCsv(reply, 'usage', usageCsv(report)) : reply.send(usageJson(report));
  };
  const usageSummary = 'Usage over a window per pool, team, user or project: peak seats, seat-hours, utilisation, denials, queue waits';
  app.get(
    '/reports/usage',
    { schema: { summary: usageSummary, querystring: usageQuerystring, response: { 200: usageReply } } },
    usage(false),
  );
  app.get(
    '/reports/usage.csv',
    { schema: { summary: `${usageSummary} (CSV)`, querystring: usageQuerystring, response: csvReply } },
    usage(true),
  );

  const statements = (csvRoute: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as StatementQuery;
    const list = await licenses.statements(q.tool, q.period);
    return wantsCsv(req, csvRoute)
      ? sendCsv(reply, 'statements', statementsCsv(list))
      : reply.send({ statements: list.map(statementJson) });
  };
  const statementSummary =
    "Each pool's statement for a billing period: the commit price spread over teams by seat-hours, plus each team's overage";
  app.get(
    '/statements',
    { schema: { summary: statementSummary, querystring: statementsQuerystring, response: { 200: statementReply } } },
    statements(false),
  );
  app.get(
    '/statements.csv',
    { schema: { summary: `${statementSummary} (CSV)`, querystring: statementsQuerystring, response: csvReply } },
    statements(true),
  );
}
