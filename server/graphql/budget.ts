// Budget changes through GraphQL: the domain validates, its errors come back typed.
import { builder } from './builder.ts';
import { OverageModeEnum, PoolRef } from './pool.ts';
import './errors.ts';
import {
  BUDGET_LIMITS,
  InvalidBudgetError,
  InvalidInputError,
  LEASE_LIMITS,
  BILLING_DAY_LIMITS,
  SPEND_CAP_LIMITS,
  PoolExistsError,
  PoolInUseError,
  TOOL_NAME_PATTERN,
  ToolNotFoundError,
  type BudgetLimitField,
  type BudgetInput as DomainBudget,
} from '../licenses/index.ts';
import { requireAdmin } from '../auth/index.ts';

/** The field's bounds as the domain enforces them (licenses/limits.ts). */
const bounds = (field: BudgetLimitField, what: string) => `${what}, ${BUDGET_LIMITS[field].min} to ${BUDGET_LIMITS[field].max}`;

const BudgetInput = builder.inputType('BudgetInput', {
  fields: (t) => ({
    tool: t.string({ required: true }),
    total: t.int({ required: true, description: bounds('total', 'Seats in the pool') }),
    commit: t.int({ required: true, description: bounds('commit', 'Seats covered by the fixed commit price') }),
    maxOverage: t.int({ required: true, description: bounds('maxOverage', 'Seats allowed beyond commit') }),
    commitPrice: t.float({ required: true, description: bounds('commitPrice', 'Fixed price per period') }),
    overagePricePerLicense: t.float({ required: true, description: bounds('overagePricePerLicense', 'Charged per overage borrow') }),
    leaseSeconds: t.int({
      description: `Default lease of a borrow that names none, ${LEASE_LIMITS.min} to ${LEASE_LIMITS.max} seconds; null clears it, absent leaves it`,
    }),
    billingDay: t.int({
      description: `Day of month the billing periods start, ${BILLING_DAY_LIMITS.min} to ${BILLING_DAY_LIMITS.max} (00:00 UTC); absent leaves it (new pool: 1)`,
    }),
    overageMode: t.field({ type: OverageModeEnum, description: 'How overage is charged; absent leaves it (new pool: PER_BORROW)' }),
    spendCap: t.float({
      description: `Most overage money one billing period may take, ${SPEND_CAP_LIMITS.min} to ${SPEND_CAP_LIMITS.max}; null clears it (no cap), absent leaves it`,
    }),
  }),
});

/** The input in the domain's terms: a null billing day or mode is the same as leaving it out. */
const toBudget = (input: typeof BudgetInput.$inferInput): DomainBudget => ({
  ...input,
  billingDay: input.billingDay ?? undefined,
  overageMode: input.overageMode ?? undefined,
});

builder.mutationFields((t) => ({
  updateBudget: t.field({
    type: PoolRef,
    errors: {
      types: [ToolNotFoundError, InvalidBudgetError, InvalidInputError],
      directResult: true,
      union: { name: 'UpdateBudgetResult' },
    },
    args: { input: t.arg({ type: BudgetInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      requireAdmin(ctx.identity, 'change budgets');
      return ctx.auth.audit.audited(ctx.identity, () => ctx.licenses.updateBudget(toBudget(input)));
    },
  }),
  createPool: t.field({
    type: PoolRef,
    description: `Creates a pool with this budget; tool must match ${TOOL_NAME_PATTERN}`,
    errors: {
      types: [PoolExistsError, InvalidBudgetError, InvalidInputError],
      directResult: true,
      union: { name: 'CreatePoolResult' },
    },
    args: { input: t.arg({ type: BudgetInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      requireAdmin(ctx.identity, 'create pools');
      return ctx.auth.audit.audited(ctx.identity, () => ctx.licenses.createPool(toBudget(input)));
    },
  }),
  retirePool: t.field({
    type: PoolRef,
    description: 'Retires a pool nobody holds a seat of: it disappears from status, metrics and the dashboard; its history stays',
    errors: {
      types: [ToolNotFoundError, PoolInUseError, InvalidInputError],
      directResult: true,
      union: { name: 'RetirePoolResult' },
    },
    args: { tool: t.arg.string({ required: true }) },
    resolve: (_r, { tool }, ctx) => {
      requireAdmin(ctx.identity, 'retire pools');
      return ctx.auth.audit.audited(ctx.identity, () => ctx.licenses.retirePool(tool));
    },
  }),
}));
