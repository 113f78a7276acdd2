// Derives a pool's status and cost from its stored row: the one place the budget
// arithmetic of the contract lives.
import type { PoolStatus } from './types.ts';
import { lendableSeats } from './seat-rules.ts';
import { type OverageMode, periodSpend } from './overage-rules.ts';

export interface ToolRow {
  name: string;
  total: number;
  borrowed: number;
  commit: number;
  maxOverage: number;
  commitPrice: number;
  overagePricePerLicense: number;
  overageCost: number;
  /** The pool's default lease in seconds; null = none. */
  leaseSeconds: number | null;
  /** Tickets waiting in the pool's line. */
  queued: number;
  /** Team shares set on the pool (0: no team rules). */
  shares?: number;
  /** Day of month (1-28) the pool's billing periods start (billing-periods.ts). */
  billingDay: number;
  overageMode: OverageMode;
  /** Most overage money a period may take; null = no cap. */
  spendCap: number | null;
  /** The period periodOverageCost counts (null: no charge yet); kept in step with the charges. */
  periodStart: Date | null;
  periodOverageCost: number;
  /** Set once the pool is retired (soft delete); reads never return retired rows. */
  retiredAt?: Date | string | null;
}

// The rule lives with the other seat decisions (seat-rules.ts); re-exported for its callers.
export { lendableSeats };

/** The pool's status at `now` (the billing period holding it, and its overage spend so far). */
export function toPoolStatus(row: ToolRow, now: Date): PoolStatus {
  const { total: t, borrowed: b, commit: c } = row;
  const { period, spent } = periodSpend(row, now);
  return {
    tool: row.name,
    total: t,
    borrowed: b,
    available: Math.max(t - b, 0),
    commit: c,
    maxOverage: row.maxOverage,
    overage: Math.max(b - c, 0),
    inCommit: b <= c,
    commitPrice: row.commitPrice,
    overagePricePerLicense: row.overagePricePerLicense,
    currentOverageCost: row.overageCost,
    totalCost: row.commitPrice + row.overageCost,
    leaseSeconds: row.leaseSeconds,
    lendable: lendableSeats(row),
    queued: row.queued,
    retired: row.retiredAt != null,
    overageMode: row.overageMode,
    billingDay: row.billingDay,
    periodStart: period.start,
    periodEnd: period.end,
    periodOverageCost: spent,
    spendCap: row.spendCap,
  };
}
