// Billing periods of a pool, pure arithmetic: no database, no clock; its only
// import is the bounds file limits.ts (itself import-free), so the reports may import it as it is.
//
// A pool's period runs from its billing day at 00:00 UTC to the same day of the next month
// at 00:00 UTC, end exclusive: [start, end). The commit price is owed once per period;
// overage charges and the spend cap count within it.
//
// Why the billing day is 1–28: every month has a 28th, but not a 29th, 30th or 31st. With
// day 31 a period would have to start on "Feb 31" — clamping to Feb 28 and jumping back to
// Mar 31 gives periods of 28 and 31 days that drift from what a reader of the setting
// expects, and day 29 would move every fourth year. Keeping to 1–28 makes every period start
// on the same calendar day, all times UTC, so periods tile time with no gaps or overlaps.

import { BILLING_DAY_LIMITS } from './limits.ts';

/** The inclusive bounds of a pool's billing day (see above for why not 29–31); defined with the other bounds in limits.ts. */
export { BILLING_DAY_LIMITS };

/** The day of month a pool's periods start when it names none. */
export const DEFAULT_BILLING_DAY = 1;

/** One billing period: from `start` (inclusive) to `end` (exclusive), both 00:00 UTC on the billing day. */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

/** Whether `day` is a valid billing day: a whole number 1–28. */
export function isBillingDay(day: unknown): day is number {
  return typeof day === 'number' && Number.isInteger(day) && day >= BILLING_DAY_LIMITS.min && day <= BILLING_DAY_LIMITS.max;
}

function checkDay(billingDay: number): void {
  if (!isBillingDay(billingDay)) throw new RangeError(`billing day must be a whole number from 1 to 28, not ${billingDay}`);
}

/** 00:00 UTC on `day` of the month `monthIndex` months after January of `year` (Date.UTC carries over years). */
function dayStart(year: number, monthIndex: number, day: number): Date {
  return new Date(Date.UTC(year, monthIndex, day));
}

/** The period holding the instant `at` for a pool whose periods start on `billingDay` (1–28). */
export function billingPeriod(at: Date, billingDay: number = DEFAULT_BILLING_DAY): BillingPeriod {
  checkDay(billingDay);
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('billingPeriod needs a valid date');
  const year = at.getUTCFullYear();
  // This month's start if `at` is on or after it, else last month's.
  const month = at.getUTCDate() >= billingDay ? at.getUTCMonth() : at.getUTCMonth() - 1;
  return { start: dayStart(year, month, billingDay), end: dayStart(year, month + 1, billingDay) };
}

/** The period right before `period` (its end is `period.start`). */
export function previousPeriod(period: BillingPeriod, billingDay: number = DEFAULT_BILLING_DAY): BillingPeriod {
  return billingPeriod(new Date(period.start.getTime() - 1), billingDay);
}

/** The period right after `period` (its start is `period.end`). */
export function nextPeriod(period: BillingPeriod, billingDay: number = DEFAULT_BILLING_DAY): BillingPeriod {
  return billingPeriod(period.end, billingDay);
}

/**
 * The periods that overlap [from, to), oldest first (to ≤ from: none). Bounded by `limit`
 * so a caller's wide range cannot make an unbounded list; more periods than that throw.
 */
export function periodsBetween(from: Date, to: Date, billingDay: number = DEFAULT_BILLING_DAY, limit = 1200): BillingPeriod[] {
  const out: BillingPeriod[] = [];
  if (to.getTime() <= from.getTime()) return out;
  for (let p = billingPeriod(from, billingDay); p.start.getTime() < to.getTime(); p = nextPeriod(p, billingDay)) {
    if (out.length >= limit)
      throw new RangeError(`more than ${limit} billing periods between ${from.toISOString()} and ${to.toISOString()}`);
    out.push(p);
  }
  return out;
}

/** Whether the instant `at` lies in `period` (start inclusive, end exclusive). */
export function inPeriod(at: Date, period: BillingPeriod): boolean {
  const t = at.getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
}
