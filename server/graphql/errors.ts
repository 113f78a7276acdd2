// The domain's error classes as GraphQL object types. A mutation lists the classes it may
// end with (`errors: { types: [...] }`, @pothos/plugin-errors): what the domain throws of
// those becomes that member of the field's result union, so clients switch on __typename
// instead of parsing messages, and a resolver only calls the domain. Anything else thrown
// stays a GraphQL error (masked unless it is a client error).
import { builder } from './builder.ts';
import {
  BorrowNotFoundError,
  BorrowRevokedError,
  TicketGrantedError,
  TicketNotFoundError,
  InvalidBudgetError,
  InvalidInputError,
  LeaseExpiredError,
  NoLicenseAvailableError,
  PoolExistsError,
  PoolInUseError,
  ToolNotFoundError,
} from '../licenses/index.ts';

export const DenialReasonEnum = builder.enumType('DenialReason', {
  values: {
    UNKNOWN_TOOL: { value: 'unknown_tool' },
    EXHAUSTED: { value: 'exhausted', description: 'Every seat of the pool is taken' },
    MAX_OVERAGE: { value: 'max_overage', description: 'The overage allowance is used up' },
    QUEUE_AHEAD: { value: 'queue_ahead', description: "Seats are promised to the pool's line; borrow with queue: true to join it" },
    TEAM_MAX: { value: 'team_max', description: "The borrower's team holds its maximum share of the pool" },
    RESERVED_FOR_OTHER_TEAMS: {
      value: 'reserved_for_other_teams',
      description: 'The free seats are reserved for teams that hold fewer than their reservation',
    },
    SPEND_CAP: {
      value: 'spend_cap',
      description: "The seat's overage charge would take this billing period's overage spend past the pool's spend cap",
    },
  } as const,
});

builder.objectType(NoLicenseAvailableError, {
  name: 'NoLicenseAvailable',
  fields: (t) => ({
    tool: t.exposeString('tool'),
    reason: t.field({ type: DenialReasonEnum, resolve: (err) => err.reason }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ToolNotFoundError, {
  name: 'ToolNotFound',
  fields: (t) => ({ tool: t.exposeString('tool'), message: t.exposeString('message') }),
});

builder.objectType(BorrowNotFoundError, {
  name: 'BorrowNotFound',
  fields: (t) => ({ id: t.exposeID('id'), message: t.exposeString('message') }),
});

builder.objectType(LeaseExpiredError, {
  name: 'LeaseExpired',
  description: "The borrow's lease ran out without a heartbeat and its seat was released",
  fields: (t) => ({ id: t.exposeID('id'), message: t.exposeString('message') }),
});

builder.objectType(BorrowRevokedError, {
  name: 'BorrowRevoked',
  description: 'An admin force-released the seat of this borrow; reason is what they gave',
  fields: (t) => ({ id: t.exposeID('id'), reason: t.exposeString('reason', { nullable: true }), message: t.exposeString('message') }),
});

builder.objectType(TicketNotFoundError, {
  name: 'TicketNotFound',
  fields: (t) => ({ id: t.exposeID('id'), message: t.exposeString('message') }),
});

builder.objectType(TicketGrantedError, {
  name: 'TicketGranted',
  description: 'The ticket was already handed its seat: return the borrow (borrowId) to give it back',
  fields: (t) => ({ id: t.exposeID('id'), borrowId: t.exposeID('borrowId', { nullable: true }), message: t.exposeString('message') }),
});

builder.objectType(InvalidBudgetError, {
  name: 'InvalidBudget',
  description: 'A budget field outside its bounds, a commit above the total (field commit), or a total below the seats borrowed now',
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInput',
  description: 'Text the server refuses (empty, too long, control characters, invalid Unicode), naming the argument',
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

builder.objectType(PoolExistsError, {
  name: 'PoolExists',
  description: 'A pool of that name exists, or existed: a retired pool keeps its name for its history',
  fields: (t) => ({ tool: t.exposeString('tool'), retired: t.exposeBoolean('retired'), message: t.exposeString('message') }),
});

builder.objectType(PoolInUseError, {
  name: 'PoolInUse',
  description: 'A pool cannot be retired while seats of it are borrowed or tickets wait in its line',
  fields: (t) => ({
    tool: t.exposeString('tool'),
    borrowed: t.exposeInt('borrowed'),
    queued: t.exposeInt('queued'),
    message: t.exposeString('message'),
  }),
});
