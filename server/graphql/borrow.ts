// Borrows and charges, and the borrow/return mutations with their typed failures.
import { builder } from './builder.ts';
import { PoolRef } from './pool.ts';
import { BorrowRef, QueueTicketRef } from './seat-refs.ts';

export { BorrowRef };
import { connectionType, pageArgs, pageQuery, resolvePage } from './connections.ts';
import './errors.ts';
import {
  BorrowNotFoundError,
  BorrowRevokedError,
  InvalidInputError,
  LEASE_LIMITS,
  LeaseExpiredError,
  NoLicenseAvailableError,
  TEXT_LIMITS,
  ToolNotFoundError,
  type BorrowRecord,
  type LeaseRecord,
  type OverageChargeRecord,
  type PoolStatus,
} from '../licenses/index.ts';
import { borrowerFor, requireOwnSeat } from '../auth/index.ts';
import type { GraphQLContext } from './context.ts';

/** Open mode: the seed's required user, refused like any missing field. */
function borrower(ctx: GraphQLContext, user: string | null | undefined): string {
  const name = borrowerFor(ctx.identity, user);
  if (name === undefined) throw new InvalidInputError('user', 'missing', 'user is required (AUTH_MODE=open has no signed-in user)');
  return name;
}

const LeaseRef = builder.objectRef<LeaseRecord>('Lease').implement({
  description: 'A lease just renewed by a heartbeat',
  fields: (t) => ({
    id: t.exposeID('id'),
    tool: t.exposeString('tool'),
    user: t.exposeString('user'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'null for a borrow without lease' }),
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
    kind: t.string({
      description: 'borrow: an overage borrow (per_borrow mode); seat_hour: a started seat-hour of overage use (per_seat_hour mode)',
      resolve: (c) => c.kind ?? 'borrow',
    }),
  }),
});

const ReturnedLicenseRef = builder.objectRef<{ borrow: BorrowRecord; pool: PoolStatus }>('ReturnedLicense').implement({
  fields: (t) => ({
    borrow: t.field({ type: BorrowRef, resolve: (r) => r.borrow }),
    pool: t.field({ type: PoolRef, resolve: (r) => r.pool }),
  }),
});

const BorrowConnection = connectionType('Borrow', BorrowRef);
const OverageChargeConnection = connectionType('OverageCharge', OverageChargeRef);

builder.queryFields((t) => ({
  borrows: t.field({
    type: BorrowConnection,
    description: "Seats held now, newest first, one page at a time; one user's when user is given",
    args: {
      user: t.arg.string(),
      ...pageArgs,
    },
    resolve: (_r, args, ctx) => {
      const user = args.user ?? undefined;
      return resolvePage(
        () => ctx.licenses.borrows(user, pageQuery(args)),
        () => ctx.licenses.countBorrows(user),
      );
    },
  }),
  overageCharges: t.field({
    type: OverageChargeConnection,
    description: 'Charges recorded for overage borrows, newest first, one page at a time',
    args: {
      tool: t.arg.string(),
      ...pageArgs,
    },
    resolve: (_r, args, ctx) => {
      const tool = args.tool ?? undefined;
      return resolvePage(
        () => ctx.licenses.charges(tool, pageQuery(args)),
        () => ctx.licenses.countCharges(tool),
      );
    },
  }),
}));

const NAME_DESCRIPTION = `${TEXT_LIMITS.minLength} to ${TEXT_LIMITS.maxLength} characters, no control characters`;

// Each result union: the success type and the domain errors (errors.ts) the mutation may end with.
// Two success types: a borrow answers a seat (Borrow) or, when it asked to wait, a place in
// line (QueueTicket). The errors plugin's errorUnion turns the listed errors, thrown by the
// resolver, into members, as `errors:` does for the other mutations.
const BorrowLicenseResult = builder.errorUnion('BorrowLicenseResult', {
  types: [BorrowRef, QueueTicketRef, NoLicenseAvailableError, ToolNotFoundError, InvalidInputError],
  resolveType: (v) => ('queuedAt' in v ? 'QueueTicket' : 'Borrow'),
});

builder.mutationFields((t) => ({
  borrowLicense: t.field({
    type: BorrowLicenseResult,
    args: {
      tool: t.arg.string({ required: true }),
      user: t.arg.string({
        description: `${NAME_DESCRIPTION}. Required in open mode; signed in, omit it (the seat is yours) — naming another user needs the admin role`,
      }),
      leaseSeconds: t.arg.int({
        description: `Lease length, ${LEASE_LIMITS.min} to ${LEASE_LIMITS.max} seconds; else the pool's default, else none (never expires)`,
      }),
      host: t.arg.string({ description: `Where the seat is used; ${NAME_DESCRIPTION}` }),
      idempotencyKey: t.arg.string({ description: 'Retries with the same key get the same borrow and never a second seat' }),
      project: t.arg.string({ description: `What the seat is used for (like LM_PROJECT), kept for reports; ${NAME_DESCRIPTION}` }),
      queue: t.arg.boolean({
        description: "Wait in the pool's line when no seat is lendable: the answer is then a QueueTicket, not NoLicenseAvailable",
      }),
    },
    resolve: async (_r, { tool, user, leaseSeconds, host, idempotencyKey, queue, project }, ctx) => {
      const request = { tool, user: borrower(ctx, user), leaseSeconds, host, idempotencyKey, project };
      const got = queue ? await ctx.licenses.borrowOrWait(request) : { borrow: await ctx.licenses.borrow(request), ticket: null };
      const detail = got.borrow ? { borrow_id: got.borrow.id } : { ticket_id: got.ticket?.id };
      await ctx.auth.actedFor(ctx.identity, 'borrowed_for', tool, request.user, detail);
      return got.borrow ?? got.ticket;
    },
  }),
  heartbeat: t.field({
    type: LeaseRef,
    description: "Renews a borrow's lease to now + its length",
    errors: {
      types: [BorrowNotFoundError, LeaseExpiredError, BorrowRevokedError, InvalidInputError],
      directResult: true,
      union: { name: 'HeartbeatResult' },
    },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await requireOwnSeat(ctx.identity, ctx.licenses, String(id), 'renew');
      const lease = await ctx.licenses.heartbeat(String(id));
      await ctx.auth.actedFor(ctx.identity, 'heartbeat_for', lease.tool, lease.user, { borrow_id: lease.id });
      return lease;
    },
  }),
  returnLicense: t.field({
    type: ReturnedLicenseRef,
    errors: { types: [BorrowNotFoundError, InvalidInputError], directResult: true, union: { name: 'ReturnLicenseResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await requireOwnSeat(ctx.identity, ctx.licenses, String(id), 'return');
      const returned = await ctx.licenses.return(String(id));
      const { borrow } = returned;
      await ctx.auth.actedFor(ctx.identity, 'returned_for', borrow.tool, borrow.user, { borrow_id: borrow.id });
      return returned;
    },
  }),
}));
