// The seat a borrower holds and the place in line a waiter holds: the two answers of
// borrowLicense, shared by the borrow and queue files.
import { builder } from './builder.ts';
import type { BorrowRecord, QueueTicketRecord } from '../licenses/index.ts';

export const BorrowRef = builder.objectRef<BorrowRecord>('Borrow').implement({
  description: 'A seat held now',
  fields: (t) => ({
    id: t.exposeID('id'),
    tool: t.exposeString('tool'),
    user: t.exposeString('user'),
    borrowedAt: t.expose('borrowedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the lease lapses unless renewed (heartbeat); null for a borrow without lease, which never expires',
    }),
    host: t.exposeString('host', { nullable: true, description: 'Where the seat is used, as the borrower named it' }),
    project: t.string({
      nullable: true,
      description: 'What the seat is used for, as the borrower named it',
      resolve: (b) => b.project ?? null,
    }),
    team: t.string({
      nullable: true,
      description: "The borrower's team, recorded where the pool has team shares",
      resolve: (b) => b.team ?? null,
    }),
  }),
});

const TicketStateEnum = builder.enumType('TicketState', {
  values: {
    WAITING: { value: 'waiting', description: 'In line (position 1 is next)' },
    GRANTED: { value: 'granted', description: 'Handed a seat: borrow is the seat while it is held' },
    EXPIRED: { value: 'expired', description: 'Its waiter went silent for longer than its lease; it left the line' },
    CANCELLED: { value: 'cancelled', description: 'Its waiter left the line' },
  } as const,
});

export const QueueTicketRef = builder.objectRef<QueueTicketRecord>('QueueTicket').implement({
  description: "A place in a pool's line. Keep it by polling (queueTicket query) or by subscribing (queueTicket subscription)",
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'queuedAt' in v,
  fields: (t) => ({
    id: t.exposeID('id'),
    tool: t.exposeString('tool'),
    user: t.exposeString('user'),
    host: t.exposeString('host', { nullable: true }),
    state: t.field({ type: TicketStateEnum, resolve: (q) => q.state }),
    position: t.exposeInt('position', { nullable: true, description: '1 for the head of the line; null unless waiting' }),
    queuedAt: t.expose('queuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The waiter must poll or stay subscribed before this, or the ticket expires; null once ended',
    }),
    leaseSeconds: t.exposeInt('leaseSeconds', { description: 'The ticket lease, inherited by the granted borrow' }),
    borrow: t.field({ type: BorrowRef, nullable: true, description: 'The seat granted, while it is held', resolve: (q) => q.borrow }),
    borrowId: t.exposeID('borrowId', { nullable: true, description: 'The granted borrow, even after it ended' }),
  }),
});
