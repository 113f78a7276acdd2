// Budgets and the pools they belong to: changing a budget, creating a pool, retiring one.
// The rules between fields (commit ≤ total) and the pool name's shape are checked here;
// what depends on the pool's rows ("never below current borrows", "nobody holds a seat")
// is part of the store's conditional UPDATE inside its write transaction, so a borrow
// racing the change cannot slip under it.
import { toPoolStatus } from './pool-status.ts';
import {
  CommitAboveTotalError,
  InvalidBudgetError,
  InvalidInputError,
  PoolExistsError,
  PoolInUseError,
  SharesImpossibleError,
  ToolNotFoundError,
} from './errors.ts';
import { toEventRecord } from './records.ts';
import { BUDGET_LIMITS, SPEND_CAP_LIMITS, TOOL_NAME_PATTERN, type BudgetLimitField } from './limits.ts';
import { BILLING_DAY_LIMITS, isBillingDay } from './billing-periods.ts';
import { isOverageMode } from './overage-rules.ts';
import { checkText, textProblem } from './text.ts';
import { checkLeaseSeconds, publishConsequences } from './borrowing.ts';
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
  checkLeaseSeconds(input.leaseSeconds);
  checkBillingSettings(input);
  checkBudgetRules(input);
}

/** The billing settings, each optional (absent leaves it as it is): refused naming the field, on every transport. */
export function checkBillingSettings(input: Pick<BudgetInput, 'billingDay' | 'overageMode' | 'spendCap'>): void {
  if (input.billingDay !== undefined && !isBillingDay(input.billingDay)) {
    const { min, max } = BILLING_DAY_LIMITS;
    throw new InvalidInputError(
      'billingDay',
      'value_error',
      `billing_day must be a whole number from ${min} to ${max} (every month has those days)`,
    );
  }
  if (input.overageMode !== undefined && !isOverageMode(input.overageMode)) {
    throw new InvalidInputError('overageMode', 'value_error', 'overage_mode must be per_borrow or per_seat_hour');
  }
  const cap = input.spendCap;
  if (cap !== undefined && cap !== null && !(Number.isFinite(cap) && cap >= SPEND_CAP_LIMITS.min && cap <= SPEND_CAP_LIMITS.max)) {
    throw new InvalidInputError(
      'spendCap',
      'value_error',
      `spend_cap must be null (no cap) or a number from ${SPEND_CAP_LIMITS.min} to ${SPEND_CAP_LIMITS.max}`,
    );
  }
}

/** Rules between fields: a commit above the total pays for seats the pool can never lend. */
export function checkBudgetRules(input: Pick<BudgetInput, 'total' | 'commit'>): void {
  if (input.commit > input.total) throw new CommitAboveTotalError(input.commit, input.total);
}

const TOOL_NAME = new RegExp(TOOL_NAME_PATTERN);

/** The name of a new pool (or team, naming `field`): a short identifier (limits.ts), so it fits URLs, metric labels and logs. */
export function checkToolName(tool: string, field = 'tool'): void {
  if (!TOOL_NAME.test(tool)) {
    throw new InvalidInputError(
      field,
      'string_pattern_mismatch',
      `${field} must be a short identifier: a lower case letter, then up to 63 lower case letters, digits, _ or - (${TOOL_NAME_PATTERN})`,
    );
  }
}

export async function createPool(store: Store, publish: (c: LicenseChange) => void, input: BudgetInput, now: Date): Promise<PoolStatus> {
  checkToolName(input.tool);
  validateBudget(input);
  const outcome = await store.createTool(input, now);
  if (outcome.error === 'exists') throw new PoolExistsError(input.tool, outcome.retired);
  const pool = toPoolStatus(outcome.row, now);
  publish({ kind: 'pool_created', pool, event: toEventRecord(outcome.event) });
  return pool;
}

export async function retirePool(store: Store, publish: (c: LicenseChange) => void, tool: string, now: Date): Promise<PoolStatus> {
  // Text no stored name can hold names no tool: a 404, as for status reads.
  if (textProblem(tool)) throw new ToolNotFoundError(tool);
  const outcome = await store.retireTool(tool, now);
  if (outcome.error === 'unknown_tool') throw new ToolNotFoundError(tool);
  if (outcome.error === 'in_use') throw new PoolInUseError(tool, outcome.row.borrowed, outcome.row.queued);
  const pool = toPoolStatus(outcome.row, now);
  publish({ kind: 'pool_retired', pool, event: toEventRecord(outcome.event) });
  return pool;
}

export async function updateBudget(store: Store, publish: (c: LicenseChange) => void, input: BudgetInput, now: Date): Promise<PoolStatus> {
  validateBudget(input);
  const outcome = await store.updateBudget(input, now);
  if (outcome.error === 'unknown_tool') throw new ToolNotFoundError(input.tool);
  if (outcome.error === 'shares') throw new SharesImpossibleError('total', outcome.problem);
  if (outcome.error === 'below_borrowed') {
    throw new InvalidBudgetError('total', `total cannot be reduced below the ${outcome.before.borrowed} seats borrowed now`);
  }
  const pool = toPoolStatus(outcome.after, now);
  publish({ kind: 'budget_changed', pool, previous: toPoolStatus(outcome.before, now), event: toEventRecord(outcome.event) });
  // A budget that grew may have seated waiters; the pool answered is the one right after that.
  publishConsequences(publish, outcome.consequences, now);
  const last = outcome.consequences.at(-1);
  if (last) return toPoolStatus(last.row, now);
  return pool;
}
