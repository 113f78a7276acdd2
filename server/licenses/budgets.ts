// Budget changes. The "never below current borrows" rule is part of the UPDATE's WHERE
// clause, so a borrow racing the change cannot slip under it.
import { toPoolStatus } from './pool-status.ts';
import { InvalidBudgetError, ToolNotFoundError } from './errors.ts';
import { toEventRecord } from './records.ts';
import { checkText } from './text.ts';
import type { Store } from './store.ts';
import type { BudgetInput, LicenseChange, PoolStatus } from './types.ts';

export const BUDGET_LIMITS = { maxSeats: 1_000_000, maxPrice: 1_000_000_000 } as const;

function checkCount(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > BUDGET_LIMITS.maxSeats) {
    throw new InvalidBudgetError(field, `${field} must be a whole number from ${min} to ${BUDGET_LIMITS.maxSeats}`);
  }
}

function checkPrice(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > BUDGET_LIMITS.maxPrice) {
    throw new InvalidBudgetError(field, `${field} must be a number from 0 to ${BUDGET_LIMITS.maxPrice}`);
  }
}

export function validateBudget(input: BudgetInput): void {
  checkText('tool', input.tool);
  checkCount('total', input.total, 1);
  checkCount('commit', input.commit, 0);
  checkCount('maxOverage', input.maxOverage, 0);
  checkPrice('commitPrice', input.commitPrice);
  checkPrice('overagePricePerLicense', input.overagePricePerLicense);
}

export async function updateBudget(store: Store, publish: (c: LicenseChange) => void, input: BudgetInput): Promise<PoolStatus> {
  validateBudget(input);
  const outcome = await store.updateBudget(input, new Date());
  if (outcome.error === 'unknown_tool') throw new ToolNotFoundError(input.tool);
  if (outcome.error === 'below_borrowed') {
    throw new InvalidBudgetError('total', `total cannot be reduced below the ${outcome.before.borrowed} seats borrowed now`);
  }
  const pool = toPoolStatus(outcome.after);
  publish({ kind: 'budget_changed', pool, previous: toPoolStatus(outcome.before), event: toEventRecord(outcome.event) });
  return pool;
}
