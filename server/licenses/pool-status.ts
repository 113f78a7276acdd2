// Derives a pool's status and cost from its stored row: the one place the budget
// arithmetic of the contract lives.
import type { PoolStatus } from './types.ts';

export interface ToolRow {
  name: string;
  total: number;
  borrowed: number;
  commit: number;
  maxOverage: number;
  commitPrice: number;
  overagePricePerLicense: number;
  overageCost: number;
  /** Set once the pool is retired (soft delete); reads never return retired rows. */
  retiredAt?: Date | string | null;
}

/** Seats a borrow could take now: the pool's cap (total, or commit + overage if lower) less what is held. */
export function lendableSeats(row: Pick<ToolRow, 'total' | 'borrowed' | 'commit' | 'maxOverage'>): number {
  return Math.max(Math.min(row.total, row.commit + row.maxOverage) - row.borrowed, 0);
}

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
    lendable: lendableSeats(row),
    retired: row.retiredAt != null,
  };
}
