// Typed failure results: clients switch on __typename instead of parsing messages.
import { builder } from './builder.ts';
import { GraphQLError } from 'graphql';
import { InvalidInputError, type DenialReason } from '../licenses/index.ts';

export const DenialReasonEnum = builder.enumType('DenialReason', {
  values: {
    UNKNOWN_TOOL: { value: 'unknown_tool' },
    EXHAUSTED: { value: 'exhausted', description: 'Every seat of the pool is taken' },
    MAX_OVERAGE: { value: 'max_overage', description: 'The overage allowance is used up' },
  } as const,
});

export interface Failure<K extends string, T> { kind: K; data: T }
export const fail = <K extends string, T>(kind: K, data: T): Failure<K, T> => ({ kind, data });

export const NoLicenseAvailableRef = builder.objectRef<Failure<'NoLicenseAvailable', { tool: string; reason: DenialReason; message: string }>>('NoLicenseAvailable').implement({
  fields: (t) => ({
    tool: t.string({ resolve: (f) => f.data.tool }),
    reason: t.field({ type: DenialReasonEnum, resolve: (f) => f.data.reason }),
    message: t.string({ resolve: (f) => f.data.message }),
  }),
});

export const ToolNotFoundRef = builder.objectRef<Failure<'ToolNotFound', { tool: string; message: string }>>('ToolNotFound').implement({
  fields: (t) => ({
    tool: t.string({ resolve: (f) => f.data.tool }),
    message: t.string({ resolve: (f) => f.data.message }),
  }),
});

export const BorrowNotFoundRef = builder.objectRef<Failure<'BorrowNotFound', { id: string; message: string }>>('BorrowNotFound').implement({
  fields: (t) => ({
    id: t.id({ resolve: (f) => f.data.id }),
    message: t.string({ resolve: (f) => f.data.message }),
  }),
});

const fieldAndMessage = <K extends string>(name: K) =>
  builder.objectRef<Failure<K, { field: string; message: string }>>(name).implement({
    fields: (t) => ({
      field: t.string({ resolve: (f) => f.data.field }),
      message: t.string({ resolve: (f) => f.data.message }),
    }),
  });

export const InvalidBudgetRef = fieldAndMessage('InvalidBudget');
export const InvalidInputRef = fieldAndMessage('InvalidInput');

/** Union members are told apart by `kind` on failures; anything else is the success type. */
export function failureType(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'kind' in value && 'data' in value ? String((value as { kind: string }).kind) : undefined;
}

/** The domain's text refusal as the InvalidInput member, naming the argument. */
export const invalidInput = (err: InvalidInputError) => fail('InvalidInput', { field: err.field, message: err.message });

/**
 * For queries that return lists (no union to carry a failure): a GraphQL error with a code
 * and the field, instead of the masked "Unexpected error." of a server fault.
 */
export async function refuseBadText<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof InvalidInputError) {
      throw new GraphQLError(`${err.field}: ${err.message}`, { extensions: { code: 'BAD_USER_INPUT', field: err.field, type: err.type } });
    }
    throw err;
  }
}
