// Budget changes through GraphQL: the domain validates, failures come back typed.
import { builder } from './builder.ts';
import { PoolRef } from './pool.ts';
import { InvalidBudgetRef, InvalidInputRef, ToolNotFoundRef, fail, failureType, invalidInput } from './failures.ts';
import { InvalidBudgetError, InvalidInputError, ToolNotFoundError } from '../licenses/index.ts';

const BudgetInput = builder.inputType('BudgetInput', {
  fields: (t) => ({
    tool: t.string({ required: true }),
    total: t.int({ required: true }),
    commit: t.int({ required: true }),
    maxOverage: t.int({ required: true }),
    commitPrice: t.float({ required: true }),
    overagePricePerLicense: t.float({ required: true }),
  }),
});

const UpdateBudgetResult = builder.unionType('UpdateBudgetResult', {
  types: [PoolRef, ToolNotFoundRef, InvalidBudgetRef, InvalidInputRef],
  resolveType: (value) => failureType(value) ?? 'Pool',
});

builder.mutationFields((t) => ({
  updateBudget: t.field({
    type: UpdateBudgetResult,
    args: { input: t.arg({ type: BudgetInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      try {
        return await ctx.licenses.updateBudget(input);
      } catch (err) {
        if (err instanceof ToolNotFoundError) return fail('ToolNotFound', { tool: input.tool, message: err.message });
        if (err instanceof InvalidInputError) return invalidInput(err);
        if (err instanceof InvalidBudgetError) return fail('InvalidBudget', { field: err.field, message: err.message });
        throw err;
      }
    },
  }),
}));
