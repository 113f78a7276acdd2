// Budget changes. The "never below current borrows" rule is part of the UPDATE's WHERE
// clause, so a borrow racing the change cannot slip under it.
import type { Prisma } from '../db/database.ts';
import { toPoolStatus, type ToolRow } from './pool-status.ts';
import { TOOL_COLUMNS } from './borrowing.ts';
import { InvalidBudgetError, ToolNotFoundError } from './errors.ts';
import { insertEvent, toEventRecord } from './records.ts';
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
  checkCount('total', input.total, 1);
  checkCount('commit', input.commit, 0);
  checkCount('maxOverage', input.maxOverage, 0);
  checkPrice('commitPrice', input.commitPrice);
  checkPrice('overagePricePerLicense', input.overagePricePerLicense);
}

export async function updateBudget(prisma: Prisma, publish: (c: LicenseChange) => void, input: BudgetInput): Promise<PoolStatus> {
  validateBudget(input);
  const now = new Date();
  const outcome = await prisma.$transaction(async (tx) => {
    const before = (await tx.$queryRaw<ToolRow[]>`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ${input.tool}`)[0];
    if (!before) return { error: new ToolNotFoundError(input.tool) };
    const after = (await tx.$queryRaw<ToolRow[]>`
      UPDATE tools SET total = ${input.total}, commit_quantity = ${input.commit}, max_overage = ${input.maxOverage},
        commit_price = ${input.commitPrice}, overage_price_per_license = ${input.overagePricePerLicense}, updated_at = ${now}
      WHERE name = ${input.tool} AND borrowed <= ${input.total}
      RETURNING ${TOOL_COLUMNS}`)[0];
    if (!after) {
      return { error: new InvalidBudgetError('total', `total cannot be reduced below the ${before.borrowed} seats borrowed now`) };
    }
    const event = await insertEvent(tx, { at: now, type: 'budget_changed', tool: input.tool, borrowed: after.borrowed, total: after.total });
    return { before, after, event };
  });
  if ('error' in outcome) throw outcome.error;
  const pool = toPoolStatus(outcome.after);
  publish({ kind: 'budget_changed', pool, previous: toPoolStatus(outcome.before), event: toEventRecord(outcome.event) });
  return pool;
}
