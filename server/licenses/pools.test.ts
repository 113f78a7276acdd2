// The pool rules as plain functions: lendable seats, commit ≤ total, the name of a new pool.
import { describe, expect, it } from 'vitest';
import { checkBudgetRules, checkToolName, validateBudget } from './budgets.ts';
import { CommitAboveTotalError, InvalidBudgetError, InvalidInputError } from './errors.ts';
import { lendableSeats, toPoolStatus } from './pool-status.ts';

describe('lendable seats', () => {
  it('is the lower of total and commit + overage, less what is held, never negative', () => {
    expect(lendableSeats({ total: 5, commit: 4, maxOverage: 1, borrowed: 0 })).toBe(5);
    expect(lendableSeats({ total: 5, commit: 1, maxOverage: 1, borrowed: 0 })).toBe(2);
    expect(lendableSeats({ total: 5, commit: 1, maxOverage: 1, borrowed: 2 })).toBe(0);
    expect(lendableSeats({ total: 2, commit: 2, maxOverage: 5, borrowed: 1 })).toBe(1);
    // A budget lowered under what is held (commit + overage below borrowed) lends nothing.
    expect(lendableSeats({ total: 5, commit: 1, maxOverage: 0, borrowed: 3 })).toBe(0);
  });

  it('is in the pool status beside available, which keeps its meaning', () => {
    const row = {
      name: 'x',
      total: 5,
      borrowed: 2,
      commit: 1,
      maxOverage: 1,
      commitPrice: 0,
      overagePricePerLicense: 0,
      overageCost: 0,
      leaseSeconds: null,
      queued: 0,
      billingDay: 1,
      overageMode: 'per_borrow' as const,
      spendCap: null,
      periodStart: null,
      periodOverageCost: 0,
    };
    const now = new Date('2026-03-10T08:00:00Z');
    expect(toPoolStatus(row, now)).toMatchObject({ available: 3, lendable: 0, retired: false });
    expect(toPoolStatus({ ...row, borrowed: 0, retiredAt: now }, now)).toMatchObject({ retired: true });
  });
});

describe('budget rules', () => {
  const b = { tool: 'x', total: 2, commit: 2, maxOverage: 0, commitPrice: 0, overagePricePerLicense: 0 };
  it('refuses a commit above the total, naming commit', () => {
    expect(() => checkBudgetRules({ total: 2, commit: 2 })).not.toThrow();
    const err = (() => {
      try {
        validateBudget({ ...b, commit: 3 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CommitAboveTotalError);
    expect(err).toBeInstanceOf(InvalidBudgetError);
    expect(err).toMatchObject({ field: 'commit', message: 'commit (3) cannot exceed total (2)' });
  });

  it('accepts short identifiers as pool names and refuses anything else, naming tool', () => {
    for (const ok of ['a', 'cad_tool', 'solver-2', `a${'b'.repeat(63)}`]) expect(() => checkToolName(ok)).not.toThrow();
    for (const bad of ['', 'A', '1tool', 'my tool', 'tool/x', `a${'b'.repeat(64)}`, 'é']) {
      expect(() => checkToolName(bad), bad).toThrow(InvalidInputError);
    }
  });
});
