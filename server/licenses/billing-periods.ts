// Billing periods (issue #15): a pool's period runs from its billing day (1-28, so every
// month has it) at 00:00 UTC to the same day of the next month. Pure: callers pass the day.
// (The reports branch holds a copy of the billing branch's file with the same signature.)

export interface BillingPeriod {
  start: Date;
  end: Date;
}

const startOf = (year: number, month: number, day: number) => new Date(Date.UTC(year, month, day));

/** The period that holds the instant `at`, for a pool billed on `billingDay`. */
export function billingPeriod(at: Date, billingDay: number): BillingPeriod {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const thisMonth = startOf(y, m, billingDay);
  const start = at.getTime() >= thisMonth.getTime() ? thisMonth : startOf(y, m - 1, billingDay);
  return { start, end: startOf(start.getUTCFullYear(), start.getUTCMonth() + 1, billingDay) };
}
