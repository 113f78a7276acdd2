// Usage reports: over any window [from, to), per pool, team, user or project:
// peak concurrent seats, seat-hours, utilisation, true and retried denials, queue waits,
// lease expiries and revocations, and a usage series per row for charts. The database
// aggregates (report-queries.ts); the rules here check the question, pick the series'
// bucket size, label the groups and page the rows.
import { InvalidInputError } from './errors.ts';
import { DATE_FORMAT_HINT, parseIsoDate } from './dates.ts';
import { checkFilterText } from './text.ts';
import { loadDenials, loadQueueWaits, type ReportDb, type ReportGroupBy } from './report-queries.ts';
import type { SeatRollup } from './seat-rollup.ts';
import { seatUsage, seriesKey } from './seat-usage.ts';
import { seriesOrigin } from './series-buckets.ts';
import { RETRY_HORIZON_SECONDS } from './seat-hour-queries.ts';
import type { StatementRecord } from './statements.ts';
import type { PoolStatus } from './types.ts';

export type { ReportGroupBy };
export const REPORT_GROUPS: readonly ReportGroupBy[] = ['pool', 'team', 'user', 'project'];

export const REPORT_LIMITS = {
  /** Longest window one report covers. */
  maxDays: 366,
  /** The grace after a denial in which a seat makes it a retried one (minutes). */
  trueDenialMinutes: { min: 0, max: RETRY_HORIZON_SECONDS / 60, default: 10 },
  /** Rows per page. */
  rows: { max: 500, default: 100 },
  /** Most points of one row's usage series. */
  maxPoints: 200,
} as const;

/** Bucket sizes a usage series may use (seconds): the smallest that keeps it within maxPoints. */
const BUCKETS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 2 * 86_400, 7 * 86_400];

/** Labels of rows whose key is missing: seats of users in no team, borrows naming no project. */
export const NO_TEAM = '(no team)';
export const NO_PROJECT = '(no project)';

export interface ReportQueryInput {
  from?: string | Date | null;
  to?: string | Date | null;
  groupBy?: string | null;
  tool?: string | null;
  trueDenialMinutes?: number | string | null;
  first?: number | string | null;
  after?: string | null;
}

export interface ReportQuery {
  from: Date;
  to: Date;
  groupBy: ReportGroupBy;
  tool: string | null;
  trueDenialMinutes: number;
  first: number;
  offset: number;
}

export interface UsagePointRecord {
  at: Date;
  /** Average seats held over the bucket that starts at `at`. */
  seats: number;
}

export interface UsageRowRecord {
  tool: string;
  /** The pool's name (group_by pool), the team, user or project; (no team) / (no project) for none. */
  group: string;
  peakSeats: number;
  seatHours: number;
  /** The pool's seats (its total now). */
  capacity: number;
  /** seat-hours / (capacity × hours of the window that have passed). */
  utilisation: number;
  denials: number;
  trueDenials: number;
  retriedDenials: number;
  queueWaits: number;
  queueWaitP50Seconds: number | null;
  queueWaitP95Seconds: number | null;
  expiries: number;
  revocations: number;
  series: UsagePointRecord[];
}

export interface UsageReportRecord {
  from: Date;
  to: Date;
  groupBy: ReportGroupBy;
  tool: string | null;
  trueDenialMinutes: number;
  bucketSeconds: number;
  /** First and last instant any reported seat was held (null: none): a chart's time axis. */
  dataFrom: Date | null;
  dataTo: Date | null;
  totalCount: number;
  rows: UsageRowRecord[];
  /** Pass as `after` for the next page; null on the last. */
  nextCursor: string | null;
}

/** Rows of pools reported beside the native ones, labelled, with their series; first and last seat held. */
export interface ExtraUsage {
  rows: UsageRowRecord[];
  first: Date | null;
  last: Date | null;
}

/**
 * Pools Floatline reports on but does not serve: the FlexNet/RLM pools it observes
 * (server/observed/reports.ts). Their names hold a `/`, which no native pool's can.
 */
export interface ExtraPools {
  usage(q: ReportQuery, bucketSeconds: number, now: Date): Promise<ExtraUsage>;
  /** Statements of one such pool (a name with `/`) or of all (null). */
  statements(tool: string | null, period: string | null | undefined, now: Date): Promise<StatementRecord[]>;
  /** Freezes closed periods before the history is pruned. */
  freezeClosed(now: Date): Promise<void>;
}

function parseTime(field: string, value: string | Date | null | undefined): Date {
  if (value === null || value === undefined || value === '') throw new InvalidInputError(field, 'missing', 'Field required');
  const d = value instanceof Date ? value : parseIsoDate(value);
  if (!d || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
    throw new InvalidInputError(field, 'datetime_parsing', `Input should be ${DATE_FORMAT_HINT}`);
  }
  return d;
}

function parseWhole(field: string, value: number | string | null | undefined, min: number, max: number, fallback: number): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) throw new InvalidInputError(field, 'int_type', 'Input should be a valid integer');
  if (n < min) throw new InvalidInputError(field, 'greater_than_equal', `Input should be greater than or equal to ${min}`);
  if (n > max) throw new InvalidInputError(field, 'less_than_equal', `Input should be less than or equal to ${max}`);
  return n;
}

/** Checks a report's parameters (a 422 naming the first bad one); fields as the domain names them. */
export function parseReportQuery(input: ReportQueryInput): ReportQuery {
  const from = parseTime('from', input.from);
  const to = parseTime('to', input.to);
  if (to.getTime() <= from.getTime()) throw new InvalidInputError('to', 'value_error', '`to` should be after `from`');
  if (to.getTime() - from.getTime() > REPORT_LIMITS.maxDays * 86_400_000) {
    throw new InvalidInputError('to', 'value_error', `A report covers at most ${REPORT_LIMITS.maxDays} days`);
  }
  const groupBy = (input.groupBy ?? 'pool') as ReportGroupBy;
  if (!REPORT_GROUPS.includes(groupBy)) {
    throw new InvalidInputError('groupBy', 'enum', `Input should be one of ${REPORT_GROUPS.join(', ')}`);
  }
  const tool = input.tool ?? null;
  if (tool !== null) checkFilterText('tool', tool);
  const m = REPORT_LIMITS.trueDenialMinutes;
  const trueDenialMinutes = parseWhole('trueDenialMinutes', input.trueDenialMinutes, m.min, m.max, m.default);
  const first = parseWhole('first', input.first, 1, REPORT_LIMITS.rows.max, REPORT_LIMITS.rows.default);
  let offset = 0;
  if (input.after !== null && input.after !== undefined && input.after !== '') {
    const decoded = /^r\d{1,7}$/.test(input.after) ? Number(input.after.slice(1)) : Number.NaN;
    if (!Number.isInteger(decoded)) throw new InvalidInputError('after', 'value_error', 'Not a cursor this report issued');
    offset = decoded;
  }
  return { from, to, groupBy, tool, trueDenialMinutes, first, offset };
}

const pointsOf = (from: Date, to: Date, b: number) => Math.ceil((to.getTime() - seriesOrigin(from, b)) / 1000 / b);

/** The smallest bucket size (seconds) that draws the window in at most maxPoints points. */
export function bucketSecondsFor(from: Date, to: Date): number {
  return BUCKETS.find((b) => pointsOf(from, to, b) <= REPORT_LIMITS.maxPoints) ?? BUCKETS.at(-1)!;
}

/**
 * A usage series from the seat-seconds per bucket (index k from seriesOrigin): each point is
 * the average seats held over its bucket's part of the window. Buckets that have not begun
 * are not drawn.
 */
export function usageSeries(seatSeconds: Map<number, number>, from: Date, to: Date, bucketSeconds: number, now = to): UsagePointRecord[] {
  const origin = seriesOrigin(from, bucketSeconds);
  const size = bucketSeconds * 1000;
  const n = Math.max(0, Math.ceil((Math.min(to.getTime(), now.getTime()) - origin) / size));
  const points: UsagePointRecord[] = [];
  for (let k = 0; k < n; k++) {
    const start = Math.max(from.getTime(), origin + k * size);
    const end = Math.min(origin + (k + 1) * size, to.getTime());
    points.push({ at: new Date(start), seats: round(((seatSeconds.get(k) ?? 0) * 1000) / (end - start)) });
  }
  return points;
}

const round = (x: number, digits = 6) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f + 0; // + 0: never -0
};
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function label(groupBy: ReportGroupBy, tool: string, group: string | null): string {
  if (groupBy === 'pool') return tool;
  if (group !== null) return group;
  return groupBy === 'team' ? NO_TEAM : groupBy === 'project' ? NO_PROJECT : '';
}

/** The report: the database's aggregates joined per (pool, group), labelled, sorted and paged. */
export async function usageReport(
  db: ReportDb,
  rollup: SeatRollup,
  pools: PoolStatus[],
  q: ReportQuery,
  now: Date,
  extra: ExtraPools | null = null,
): Promise<UsageReportRecord> {
  const w = { from: q.from, to: q.to, now, tool: q.tool, groupBy: q.groupBy };
  const bucketSeconds = bucketSecondsFor(q.from, q.to);
  // One after another: SQLite answers on one connection anyway, and PostgreSQL's pool is shared.
  const seats = await seatUsage(db, rollup, w, bucketSeconds);
  const denials = await loadDenials(db, w, q.trueDenialMinutes * 60);
  const waits = await loadQueueWaits(db, w);
  const capacity = new Map(pools.map((p) => [p.tool, p.total]));
  const known = (tool: string) => capacity.has(tool); // retired pools are not reported
  const hours = Math.max(0, Math.min(q.to.getTime(), now.getTime()) - q.from.getTime()) / 3_600_000;
  const rows = new Map<string, UsageRowRecord & { key: string | null }>();
  const row = (tool: string, group: string | null) => {
    const k = JSON.stringify([tool, group]);
    let r = rows.get(k);
    if (!r) {
      r = {
        ...{ key: group, tool, group: label(q.groupBy, tool, group), peakSeats: 0, seatHours: 0, capacity: capacity.get(tool)! },
        ...{ utilisation: 0, denials: 0, trueDenials: 0, retriedDenials: 0, queueWaits: 0 },
        ...{ queueWaitP50Seconds: null, queueWaitP95Seconds: null, expiries: 0, revocations: 0, series: [] },
      };
      rows.set(k, r);
    }
    return r;
  };
  // Every pool asked for has a row at group_by pool, used or not.
  if (q.groupBy === 'pool') for (const p of pools) if (q.tool === null || p.tool === q.tool) row(p.tool, '');
  let dataFrom: number | null = null;
  let dataTo: number | null = null;
  for (const t of seats.totals.filter((x) => known(x.tool))) {
    const r = row(t.tool, t.group);
    r.seatHours = round(t.seatSeconds / 3600);
    r.peakSeats = t.peak;
    r.expiries = t.expiries;
    r.revocations = t.revocations;
    r.utilisation = hours > 0 && r.capacity > 0 ? round(r.seatHours / (r.capacity * hours)) : 0;
    if (t.first !== null) dataFrom = Math.min(dataFrom ?? t.first, t.first);
    if (t.last !== null) dataTo = Math.max(dataTo ?? t.last, t.last);
  }
  for (const d of denials.filter((x) => known(x.tool))) {
    const r = row(d.tool, d.group);
    r.denials = d.denials;
    r.retriedDenials = d.retried;
    r.trueDenials = d.denials - d.retried;
  }
  for (const wt of waits.filter((x) => known(x.tool))) {
    const r = row(wt.tool, wt.group);
    r.queueWaits = wt.count;
    r.queueWaitP50Seconds = round(wt.p50, 3);
    r.queueWaitP95Seconds = round(wt.p95, 3);
  }
  // Observed pools' rows come whole (series included); they join the sort and the paging.
  const others = extra ? await extra.usage(q, bucketSeconds, now) : { rows: [], first: null, last: null };
  const fromMs = q.from.getTime();
  if (others.first) dataFrom = Math.min(dataFrom ?? Infinity, (others.first.getTime() - fromMs) / 1000);
  if (others.last) dataTo = Math.max(dataTo ?? -Infinity, (others.last.getTime() - fromMs) / 1000);
  for (const r of others.rows) rows.set(JSON.stringify([r.tool, r.group]), { ...r, key: r.group });
  const sorted = [...rows.values()].sort((a, b) => byCode(a.tool, b.tool) || byCode(a.group, b.group));
  const page = sorted.slice(q.offset, q.offset + q.first);
  const native = page.filter((r) => !r.tool.includes('/')); // an observed pool's name has a `/`
  const series = seats.series(native.map((r) => ({ tool: r.tool, group: r.key })));
  for (const r of native) r.series = usageSeries(series.get(seriesKey(r.tool, r.key)) ?? new Map(), q.from, q.to, bucketSeconds, now);
  const at = (s: number | null) => (s === null ? null : new Date(q.from.getTime() + s * 1000));
  return {
    ...{ from: q.from, to: q.to, groupBy: q.groupBy, tool: q.tool, trueDenialMinutes: q.trueDenialMinutes, bucketSeconds },
    ...{ dataFrom: at(dataFrom), dataTo: at(dataTo), totalCount: sorted.length },
    rows: page.map(({ key: _key, ...r }) => r),
    nextCursor: q.offset + q.first < sorted.length ? `r${q.offset + q.first}` : null,
  };
}
