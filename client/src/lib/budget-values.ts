// What the budget form checks before it sends anything: the values GraphQL itself would
// refuse while coercing BudgetInput (an empty field, a fraction for an Int), so no answer ever
// has to be read out of a graphql-js error message. The budget rules are the server's.
import { LEASE_LIMITS } from './limits';
import type { BudgetField } from './types';

/** Why `value` cannot be sent for a budget field, or null when it can. */
export function budgetValueProblem(value: number | null | undefined, wholeNumber: boolean): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'Enter a number.';
  if (wholeNumber && !Number.isInteger(value)) return `Must be a whole number (${value} is not).`;
  return null;
}

/**
 * Why `value` cannot be a pool's default lease, or null when it can. Empty means none (borrows
 * that name no lease never expire). The words are the server's (checkLeaseSeconds), so the
 * form says the same thing whether it or the server refuses.
 */
export function leaseSecondsProblem(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < LEASE_LIMITS.min || value > LEASE_LIMITS.max) {
    return `A lease must be a whole number of seconds from ${LEASE_LIMITS.min} to ${LEASE_LIMITS.max}`;
  }
  return null;
}

/** The budget inputs both forms show (budgets page, new pool), in order. */
export const BUDGET_FIELDS: readonly { key: BudgetField; label: string; step: string; hint: string }[] = [
  { key: 'total', label: 'Total seats', step: '1', hint: 'Seats in the pool' },
  { key: 'commit', label: 'Commit', step: '1', hint: 'Seats paid for up front (at most total)' },
  { key: 'maxOverage', label: 'Max overage', step: '1', hint: 'Seats allowed beyond commit' },
  { key: 'commitPrice', label: 'Commit price', step: '0.01', hint: 'Fixed, per period' },
  { key: 'overagePricePerLicense', label: 'Overage price', step: '0.01', hint: 'Per overage borrow' },
];
