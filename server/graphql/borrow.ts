// Borrows and charges, and the borrow/return mutations with their typed failures.
import { builder } from './builder.ts';
import { PoolRef } from './pool.ts';
import { FIRST_DESCRIPTION, connectionType, pageQuery, resolvePage } from './connections.ts';
import {
  BorrowNotFoundRef, InvalidInputRef, NoLicenseAvailableRef, ToolNotFoundRef, fail, failureType, invalidInput,
} from './failures.ts';
import {
  BorrowNotFoundError, DEFAULT_PAGE_SIZE, InvalidInputError, NoLicenseAvailableError, ToolNotFoundError,
  type BorrowRecord, type OverageChargeRecord, type PoolStatus,
} from '../licenses/index.ts';

export const BorrowRef = builder.objectRef<BorrowRecord>('Borrow').implement({
  description: 'A seat held now',
  fields: (t) => ({
    id: t.exposeID('id'),
    tool: t.exposeString('tool'),
    user: t.exposeString('user'),
    borrowedAt: t.expose('borrowedAt', { type: 'DateTime' }),
  }),
});

const OverageChargeRef = builder.objectRef<OverageChargeRecord>('OverageCharge').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    tool: t.exposeString('tool'),
    borrowId: t.exposeID('borrowId'),
    user: t.exposeString('user'),
    chargedAt: t.expose('chargedAt', { type: 'DateTime' }),
    amount: t.exposeFloat('amount'),
  }),
});

const ReturnedLicenseRef = builder.objectRef<{ borrow: BorrowRecord; pool: PoolStatus }>('ReturnedLicense').implement({
  fields: (t) => ({
    borrow: t.field({ type: BorrowRef, resolve: (r) => r.borrow }),
    pool: t.field({ type: PoolRef, resolve: (r) => r.pool }),
  }),
});

const BorrowLicenseResult = builder.unionType('BorrowLicenseResult', {
  types: [BorrowRef, NoLicenseAvailableRef, ToolNotFoundRef, InvalidInputRef],
  resolveType: (value) => failureType(value) ?? 'Borrow',
});

const ReturnLicenseResult = builder.unionType('ReturnLicenseResult', {
  types: [ReturnedLicenseRef, BorrowNotFoundRef, InvalidInputRef],
  resolveType: (value) => failureType(value) ?? 'ReturnedLicense',
});

const BorrowConnection = connectionType('Borrow', BorrowRef);
const OverageChargeConnection = connectionType('OverageCharge', OverageChargeRef);

builder.queryFields((t) => ({
  borrows: t.field({
    type: BorrowConnection,
    description: 'Seats held now, newest first, one page at a time; one user\'s when user is given',
    args: {
      user: t.arg.string(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, description: FIRST_DESCRIPTION }),
      after: t.arg.string(),
    },
    resolve: (_r, args, ctx) => {
      const user = args.user ?? undefined;
      return resolvePage(() => ctx.licenses.borrows(user, pageQuery(args)), () => ctx.licenses.countBorrows(user));
    },
  }),
  overageCharges: t.field({
    type: OverageChargeConnection,
    description: 'Charges recorded for overage borrows, newest first, one page at a time',
    args: {
      tool: t.arg.string(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, description: FIRST_DESCRIPTION }),
      after: t.arg.string(),
    },
    resolve: (_r, args, ctx) => {
      const tool = args.tool ?? undefined;
      return resolvePage(() => ctx.licenses.charges(tool, pageQuery(args)), () => ctx.licenses.countCharges(tool));
    },
  }),
}));

builder.mutationFields((t) => ({
  borrowLicense: t.field({
    type: BorrowLicenseResult,
    args: { tool: t.arg.string({ required: true }), user: t.arg.string({ required: true }) },
    resolve: async (_r, { tool, user }, ctx) => {
      try {
        return await ctx.licenses.borrow(tool, user);
      } catch (err) {
        if (err instanceof InvalidInputError) return invalidInput(err);
        if (err instanceof NoLicenseAvailableError) return fail('NoLicenseAvailable', { tool, reason: err.reason, message: err.message });
        if (err instanceof ToolNotFoundError) return fail('ToolNotFound', { tool, message: err.message });
        throw err;
      }
    },
  }),
  returnLicense: t.field({
    type: ReturnLicenseResult,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.licenses.return(String(id));
      } catch (err) {
        if (err instanceof InvalidInputError) return invalidInput(err);
        if (err instanceof BorrowNotFoundError) return fail('BorrowNotFound', { id: String(id), message: err.message });
        throw err;
      }
    },
  }),
}));
