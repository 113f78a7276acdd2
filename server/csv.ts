// Reports and statements as CSV for spreadsheets (REST `.csv` routes or Accept: text/csv,
// and the GraphQL `csv` fields): RFC 4180 (comma, CRLF, a header row, fields with a comma,
// quote or line break quoted), numbers unformatted (a dot for decimals, no thousands
// separator), times in ISO-8601 UTC. Text that a spreadsheet would run as a formula
// (=, +, -, @ first) gets a leading apostrophe: a team or user name is never a formula.
import type { StatementRecord, UsageReportRecord } from './licenses/index.ts';

type Cell = string | number | boolean | Date | null;

function cell(v: Cell): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export const USAGE_CSV_HEADER = [
  'from',
  'to',
  'tool',
  'group_by',
  'group',
  'peak_seats',
  'seat_hours',
  'capacity',
  'utilisation',
  'denials',
  'true_denials',
  'retried_denials',
  'queue_waits',
  'queue_wait_p50_seconds',
  'queue_wait_p95_seconds',
  'expiries',
  'revocations',
];

export const usageCsv = (r: UsageReportRecord): string =>
  toCsv(
    USAGE_CSV_HEADER,
    r.rows.map((x) => [
      ...[r.from, r.to, x.tool, r.groupBy, x.group, x.peakSeats, x.seatHours, x.capacity, x.utilisation],
      ...[x.denials, x.trueDenials, x.retriedDenials, x.queueWaits, x.queueWaitP50Seconds, x.queueWaitP95Seconds],
      ...[x.expiries, x.revocations],
    ]),
  );

export const STATEMENT_CSV_HEADER = [
  'tool',
  'period_start',
  'period_end',
  'closed',
  'team',
  'seat_hours',
  'share',
  'commit',
  'overage',
  'overage_charges',
  'total',
];

export const statementsCsv = (statements: StatementRecord[]): string =>
  toCsv(
    STATEMENT_CSV_HEADER,
    statements.flatMap((s) =>
      s.teams.map((t) => [
        ...[s.tool, s.periodStart, s.periodEnd, s.closed, t.team],
        ...[t.seatHours, t.share, t.commit, t.overage, t.overageCharges, t.total],
      ]),
    ),
  );
