// Statements: what each team owes for a pool's billing period. The commit price
// (per period) is spread over the teams by their share of the period's seat-hours in the
// pool; each team adds the overage charges it caused. Money is split in whole cents by the
// largest-remainder rule (allocate.ts), so the lines add up to the pool's cost exactly.
//
// The current period is computed on every read. A closed period is frozen: its statement is
// stored (table statements) the first time it is read after the period ended, or by the
// retention job before it prunes history, and served as stored from then on, so later
// events, price changes or pruned history never change it. Which closed periods may be
// frozen at all, and how a billing-day change meets a frozen period: statement-bounds.ts.
import { allocateCents, fromCents, toCents } from './allocate.ts';
import { billingPeriod, type BillingPeriod } from './billing-periods.ts';
import { InvalidInputError, ToolNotFoundError } from './errors.ts';
import { DATE_FORMAT_HINT, parseIsoDate } from './dates.ts';
import { loadOverageByTeam, loadPoolRow, type OverageByGroup, type ReportDb } from './report-queries.ts';
import type { SeatRollup } from './seat-rollup.ts';
import { seatUsage } from './seat-usage.ts';
import { NO_TEAM } from './reports.ts';
import { textProblem } from './text.ts';
import { clipToFrozen, firstEvidence, freeze, frozenAt, frozenHolding, storedStatement } from './statement-bounds.ts';

export interface StatementLine {
  team: string;
  seatHours: number;
  /** The team's share of the pool's seat-hours (0-1). */
  share: number;
  /** The team's part of the commit price. */
  commit: number;
  /** Overage charges the team caused in the period. */
  overage: number;
  overageCharges: number;
  total: number;
}

export interface StatementRecord {
  tool: string;
  periodStart: Date;
  periodEnd: Date;
  /** The period has ended: the statement is frozen and never changes. */
  closed: boolean;
  /** When the closed statement was stored; null for the current period. */
  frozenAt: Date | null;
  billingDay: number;
  commitPrice: number;
  overage: number;
  total: number;
  seatHours: number;
  teams: StatementLine[];
}

/** Which period: the current one, the one before, or the one holding a date (YYYY-MM-DD or ISO). */
export function periodFor(period: string | null | undefined, billingDay: number, now: Date): BillingPeriod {
  const current = billingPeriod(now, billingDay);
  if (period === undefined || period === null || period === '' || period === 'current') return current;
  if (period === 'previous') return billingPeriod(new Date(current.start.getTime() - 1), billingDay);
  const at = parseIsoDate(period);
  if (!at) {
    throw new InvalidInputError('period', 'value_error', `Input should be current, previous or a date in the period: ${DATE_FORMAT_HINT}`);
  }
  if (at.getTime() >= current.end.getTime()) throw new InvalidInputError('period', 'value_error', 'That period has not begun');
  return billingPeriod(at, billingDay);
}

/** The instant a period argument names: the date given, the last moment of the previous
 *  period, or now. */
function instantAsked(period: string | null | undefined, asked: BillingPeriod, now: Date): Date {
  if (period === 'previous') return new Date(asked.end.getTime() - 1);
  return (period && parseIsoDate(period)) || now;
}

/** The pool's billing day, 1 until the billing settings (tools.billing_day) exist. */
export const billingDayOf = (row: Record<string, unknown>): number => {
  const d = Number(row.billing_day ?? 1);
  return Number.isInteger(d) && d >= 1 && d <= 28 ? d : 1;
};

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits + 0;
const byTeam = (a: string, b: string) => (a === NO_TEAM ? 1 : b === NO_TEAM ? -1 : a < b ? -1 : a > b ? 1 : 0);

/** Seat-seconds per team (null: no team) and overage per team over a period: what a statement spreads. */
export interface PeriodUse {
  seats: { group: string | null; seatSeconds: number }[];
  overage: OverageByGroup[];
}

/**
 * What a statement is made of, whatever the pool: a native one (its seats and overage from
 * the history), or an observed FlexNet/RLM pool (server/observed/reports.ts: its observed
 * seat-hours, no overage). The rules below — periods, freezing, the largest-remainder split —
 * are the same for both.
 */
export interface StatementSubject {
  tool: string;
  commitPrice: number;
  billingDay: number;
  /** The first instant the pool is known to have existed (statement-bounds.ts). */
  since(): Promise<Date | null>;
  use(period: BillingPeriod, now: Date): Promise<PeriodUse>;
}

/** The statement of one period from its use: the commit spread by seat-hours, overage as caused. */
export function buildStatement(s: StatementSubject, period: BillingPeriod, use: PeriodUse, now: Date): StatementRecord {
  const { tool, commitPrice, billingDay } = s;
  const teams = new Map<string, { seconds: number; overage: number; charges: number }>();
  const team = (key: string | null) => {
    const name = key ?? NO_TEAM;
    let t = teams.get(name);
    if (!t) {
      t = { seconds: 0, overage: 0, charges: 0 };
      teams.set(name, t);
    }
    return t;
  };
  for (const x of use.seats) team(x.group).seconds += x.seatSeconds;
  for (const o of use.overage) {
    const t = team(o.group);
    t.overage += o.amount;
    t.charges += o.charges;
  }
  // Nobody used the pool: the commit price is still owed, on the (no team) line.
  const totalSeconds = [...teams.values()].reduce((a, t) => a + t.seconds, 0);
  if (totalSeconds === 0) team(null);
  const names = [...teams.keys()].sort(byTeam);
  const rows = names.map((n) => teams.get(n)!);
  const commitCents = allocateCents(
    toCents(commitPrice),
    rows.map((t, i) => (totalSeconds > 0 ? t.seconds : names[i] === NO_TEAM ? 1 : 0)),
  );
  const overageTotal = toCents(rows.reduce((a, t) => a + t.overage, 0));
  const overageCents =
    overageTotal > 0
      ? allocateCents(
          overageTotal,
          rows.map((t) => t.overage),
        )
      : rows.map(() => 0);
  // The share is the weight the commit was spread by, so a line never carries the whole commit
  // at "0 %": with no seat-hours at all, the (no team) line's share is the whole (1).
  const lines = names.map((name, i) => ({
    team: name,
    seatHours: round(rows[i]!.seconds / 3600),
    share: totalSeconds > 0 ? round(rows[i]!.seconds / totalSeconds) : name === NO_TEAM ? 1 : 0,
    commit: fromCents(commitCents[i]!),
    overage: fromCents(overageCents[i]!),
    overageCharges: rows[i]!.charges,
    total: fromCents(commitCents[i]! + overageCents[i]!),
  }));
  return {
    ...{ tool, periodStart: period.start, periodEnd: period.end, closed: period.end.getTime() <= now.getTime(), frozenAt: null },
    ...{ billingDay, commitPrice: fromCents(toCents(commitPrice)), overage: fromCents(overageTotal) },
    ...{ total: fromCents(toCents(commitPrice) + overageTotal), seatHours: round(totalSeconds / 3600), teams: lines },
  };
}

const toJson = (s: StatementRecord) => JSON.stringify(s);
const fromJson = (body: string, frozenAt: Date): StatementRecord => {
  const s = JSON.parse(body) as StatementRecord & { periodStart: string; periodEnd: string };
  return { ...s, periodStart: new Date(s.periodStart), periodEnd: new Date(s.periodEnd), closed: true, frozenAt };
};

/** A native pool as a statement's subject: its seats from seat_hours and the history, its overage charges. */
function nativeSubject(db: ReportDb, rollup: SeatRollup, tool: string, row: Record<string, unknown>): StatementSubject {
  return {
    tool,
    commitPrice: Number(row.commit_price),
    billingDay: billingDayOf(row),
    since: () => firstEvidence(db, tool),
    use: async (p, now) => ({
      seats: (await seatUsage(db, rollup, { from: p.start, to: p.end, now, tool, groupBy: 'team' }, null)).totals,
      overage: await loadOverageByTeam(db, tool, p.start, p.end),
    }),
  };
}

/** A native pool's statement as its rows show it now (live for the current period; the benchmark's entry). */
export async function computeStatement(
  db: ReportDb,
  rollup: SeatRollup,
  tool: string,
  commitPrice: number,
  billingDay: number,
  period: BillingPeriod,
  now: Date,
): Promise<StatementRecord> {
  const s = nativeSubject(db, rollup, tool, { commit_price: commitPrice, billing_day: billingDay });
  return buildStatement(s, period, await s.use(period, now), now);
}

/**
 * The statement of `tool` for `period` (current, previous, or a date): live while the period
 * runs; once it has ended, the stored copy (stored now if this is the first read since).
 */
export async function statement(
  db: ReportDb,
  rollup: SeatRollup,
  tool: string,
  period: string | null | undefined,
  now: Date,
): Promise<StatementRecord | null> {
  if (textProblem(tool)) throw new ToolNotFoundError(tool);
  const row = await loadPoolRow(db, tool);
  if (!row) throw new ToolNotFoundError(tool);
  return subjectStatement(db, nativeSubject(db, rollup, tool, row), period, now);
}

/** The statement of any subject (native or observed pool) for `period`, frozen once closed. */
export async function subjectStatement(
  db: ReportDb,
  s: StatementSubject,
  period: string | null | undefined,
  now: Date,
): Promise<StatementRecord | null> {
  const asked = periodFor(period, s.billingDay, now);
  // Never across a frozen period (statement-bounds.ts): the frozen one holding the instant
  // asked about, else the period cut where frozen ones begin or end.
  const holding = await frozenHolding(db, s.tool, instantAsked(period, asked, now));
  if (holding) return fromJson(holding.body, holding.frozenAt);
  const clipped = await clipToFrozen(db, s.tool, asked);
  if (clipped.frozen) return fromJson(clipped.frozen.body, clipped.frozen.frozenAt);
  const p = clipped.period;
  if (p.end.getTime() > now.getTime()) return buildStatement(s, p, await s.use(p, now), now);
  // A closed period the pool is not known to have existed in: no statement, nothing stored.
  const since = await s.since();
  if (since === null || since.getTime() >= p.end.getTime()) return null;
  return frozenStatement(db, s, p, now);
}

async function frozenStatement(db: ReportDb, s: StatementSubject, p: BillingPeriod, now: Date): Promise<StatementRecord> {
  const tool = s.tool;
  const stored = (await db.all(frozenAt.compile(db, { tool, start: p.start })))[0];
  if (stored) return fromStored(stored);
  const computed = buildStatement(s, p, await s.use(p, now), now);
  // Another reader (or process) may freeze it first: theirs is the statement.
  const body = toJson({ ...computed, frozenAt: null });
  await db.run(freeze.compile(db, { tool, start: p.start, end: p.end, at: now, body }));
  return fromStored((await db.all(frozenAt.compile(db, { tool, start: p.start })))[0]!);
}

const fromStored = (r: Record<string, unknown>) => {
  const s = storedStatement(r);
  return fromJson(s.body, s.frozenAt);
};

/**
 * Freezes the last closed period of every pool that is not frozen yet (the retention job
 * runs this before it prunes), and answers the oldest instant whose history is still
 * needed: the start of the current period of the pool billed earliest.
 */
export async function freezeClosedPeriods(db: ReportDb, rollup: SeatRollup, tools: string[], now: Date): Promise<Date> {
  let keepFrom = now;
  for (const tool of tools) {
    const row = await loadPoolRow(db, tool);
    if (!row) continue;
    const asked = periodFor('previous', billingDayOf(row), now);
    if (asked.end.getTime() < keepFrom.getTime()) keepFrom = asked.end;
    await freezePrevious(db, nativeSubject(db, rollup, tool, row), now);
  }
  return keepFrom;
}

/** Freezes the subject's previous period if it is not frozen yet and the pool existed then. */
export async function freezePrevious(db: ReportDb, s: StatementSubject, now: Date): Promise<void> {
  const previous = (await clipToFrozen(db, s.tool, periodFor('previous', s.billingDay, now))).period;
  if (previous === null) return; // frozen already
  // Only periods the pool existed in (statement-bounds.ts); its history is kept from then.
  const since = await s.since();
  if (since !== null && since.getTime() < previous.end.getTime()) await frozenStatement(db, s, previous, now);
}
