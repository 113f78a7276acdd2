// Derives a pool's status and cost from its stored row: the one place the budget
// arithmetic of the contract lives.
import type { PoolStatus } from './types.ts';
import { lendableSeats } from './seat-rules.ts';

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
  /** Set once the pool is retired (soft delete); reads never return retired rows. */
  retiredAt?: Date | string | null;
}

// The rule lives with the other seat decisions (seat-rules.ts); re-exported for its callers.
export { lendableSeats };

export function toPoolStatus(row: ToolRow): PoolStatus {
  const { total: t, borrowed: b, commit: c } = row;
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
  };
}
