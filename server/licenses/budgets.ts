// Budget changes. The "never below current borrows" rule is part of the UPDATE's WHERE
// clause, so a borrow racing the change cannot slip under it.
import { toPoolStatus } from './pool-status.ts';
import { InvalidBudgetError, ToolNotFoundError } from './errors.ts';
import { toEventRecord } from './records.ts';
import { BUDGET_LIMITS, type BudgetLimitField } from './limits.ts';
import { checkText } from './text.ts';
import { checkLeaseSeconds } from './borrowing.ts';
import type { Store } from './store.ts';
import type { BudgetInput, LicenseChange, PoolStatus } from './types.ts';

/** Refuses a number outside its field's bounds (limits.ts), naming the field. */
function checkBound(field: BudgetLimitField, value: number): void {
  const { min, max, integer } = BUDGET_LIMITS[field];
  const valid = (integer ? Number.isInteger(value) : Number.isFinite(value)) && value >= min && value <= max;
  if (!valid) throw new InvalidBudgetError(field, `${field} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
}

export function validateBudget(input: BudgetInput): void {
  checkText('tool', input.tool);
  for (const field of Object.keys(BUDGET_LIMITS) as BudgetLimitField[]) checkBound(field, input[field]);
  checkLeaseSeconds('lease_seconds', input.leaseSeconds);
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
