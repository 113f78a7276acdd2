// The line: QueueTicket, a waiter's poll and leaving, the pool's line, the queueTicket
// subscription, and an admin's force-release. Joining the line is borrowLicense with
// queue: true (borrow.ts).
import { GraphQLError } from 'graphql';
import { setTimeout as delay } from 'node:timers/promises';
import { builder } from './builder.ts';
import { BorrowRef, QueueTicketRef } from './seat-refs.ts';
import { connectionType, pageArgs, pageQuery, resolvePage } from './connections.ts';
import type { GraphQLContext } from './context.ts';
import {
  BorrowNotFoundError,
  InvalidInputError,
  TicketGrantedError,
  TicketNotFoundError,
  type LicenseEventRecord,
  type QueueTicketRecord,
  type RevocationRecord,
} from '../licenses/index.ts';
import { requireKnownTool } from './known-tool.ts';
import { stoppable } from './stoppable.ts';
import { requireAdmin, requireOwnTicket } from '../auth/index.ts';

/** Queue tickets are their holder's (admins any): the rule every door asks (auth/caller-rules.ts). */
const checkTicket = (ctx: GraphQLContext, id: string, what: string) => requireOwnTicket(ctx.identity, ctx.licenses, id, what);

const RevocationRef = builder.objectRef<RevocationRecord>('Revocation').implement({
  description: 'A seat an admin force-released',
  fields: (t) => ({
    borrow: t.field({ type: BorrowRef, resolve: (r) => r.borrow }),
    reason: t.exposeString('reason'),
    revokedAt: t.expose('revokedAt', { type: 'DateTime' }),
  }),
});

const QueueTicketConnection = connectionType('QueueTicket', QueueTicketRef);

builder.queryFields((t) => ({
  queueTicket: t.field({
    type: QueueTicketRef,
    nullable: true,
    description: "A ticket's state and place; asking keeps a waiting ticket in line for another lease. null if unknown",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await checkTicket(ctx, String(id), 'follow');
      try {
        return await ctx.licenses.ticket(String(id));
      } catch (err) {
        if (err instanceof TicketNotFoundError) return null;
        throw err;
      }
    },
  }),
  queue: t.field({
    type: QueueTicketConnection,
    description: "A pool's line: the waiting tickets, head first, one page at a time",
    args: { tool: t.arg.string({ required: true }), ...pageArgs },
    resolve: async (_r, args, ctx) => {
      await requireKnownTool(ctx, args.tool);
      return resolvePage(
        () => ctx.licenses.queue(args.tool, pageQuery(args)),
        async () => (await ctx.licenses.pool(args.tool)).queued,
      );
    },
  }),
}));

builder.mutationFields((t) => ({
  cancelQueueTicket: t.field({
    type: QueueTicketRef,
    description: 'Leaves the line (state cancelled). A ticket already granted is refused: return its borrow instead',
    errors: {
      types: [TicketNotFoundError, TicketGrantedError, InvalidInputError],
      directResult: true,
      union: { name: 'CancelQueueTicketResult' },
    },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      await checkTicket(ctx, String(id), 'leave the line with');
      const ticket = await ctx.licenses.cancelTicket(String(id));
      await ctx.auth.actedFor(ctx.identity, 'queue_left_for', ticket.tool, ticket.user, { ticket_id: ticket.id });
      return ticket;
    },
  }),
  revokeBorrow: t.field({
    type: RevocationRef,
    description: "Force-releases any seat (admin); the reason is kept in the history and the holder's next heartbeat is told",
    errors: { types: [BorrowNotFoundError, InvalidInputError], directResult: true, union: { name: 'RevokeBorrowResult' } },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, { id, reason }, ctx) => {
      requireAdmin(ctx.identity, 'revoke seats');
      return ctx.auth.audit.audited(ctx.identity, () => ctx.licenses.revoke(String(id), reason));
    },
  }),
}));

const STOP: unique symbol = Symbol('stopped');

/** Events after which a waiting ticket's place may differ: someone ahead left or was seated. */
const LINE_MOVED = new Set<LicenseEventRecord['type']>(['granted', 'left_queue', 'pool_retired']);

/**
 * The ticket now, then again each time the line moves, until it is no longer waiting. While
 * the subscription is open the ticket is polled every third of its lease, which keeps it in
 * line: an open subscription is a waiter showing it is alive. When the client goes away
 * (`stopped`, see stoppable.ts) the polling stops at once, so the ticket lapses within its lease.
 */
async function* followTicket(
  ctx: GraphQLContext,
  id: string,
  first: QueueTicketRecord,
  stopped: Promise<void>,
): AsyncGenerator<QueueTicketRecord> {
  let current = first;
  yield current;
  if (current.state !== 'waiting') return;
  const events = ctx.live.events(ctx.transport, current.tool)[Symbol.asyncIterator]();
  const renewEveryMs = (current.leaseSeconds * 1000) / 3;
  // When to wake up, on the system clock (a timer, as the lease sweep's tick is); the renewal
  // itself, and so the ticket's new expiry, is decided by licenses.ticket on the server's clock.
  let renewAt = Date.now() + renewEveryMs;
  let next = events.next();
  const stop = stopped.then((): typeof STOP => STOP);
  try {
    for (;;) {
      // The next event of the pool, or the time to renew, whichever comes first. The renewal
      // keeps its own deadline: a busy pool's other events do not postpone it.
      const ac = new AbortController();
      const tick = delay(Math.max(renewAt - Date.now(), 0), null, { signal: ac.signal }).catch(() => null);
      const got = await Promise.race([next, tick, stop]);
      ac.abort();
      if (got === STOP) return;
      if (got) {
        if (got.done) return;
        next = events.next();
        if (!LINE_MOVED.has(got.value.type)) continue;
      }
      renewAt = Date.now() + renewEveryMs;
      const t = await Promise.race([ctx.licenses.ticket(id), stop]);
      if (t === STOP) return;
      const changed = t.state !== current.state || t.position !== current.position;
      current = t;
      if (changed) yield t;
      if (t.state !== 'waiting') return;
    }
  } finally {
    await events.return?.();
  }
}

builder.subscriptionFields((t) => ({
  queueTicket: t.field({
    type: QueueTicketRef,
    description:
      "A ticket's state now and at every change of its place, until it is granted (borrow set), expires or is cancelled. " +
      'Staying subscribed keeps the ticket in line',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_r, { id }, ctx) => {
      await checkTicket(ctx, String(id), 'follow');
      let first: QueueTicketRecord;
      try {
        // First read before the stream starts, so an unknown ticket is an error, not an empty
        // stream; it is also the stream's first value.
        first = await ctx.licenses.ticket(String(id));
      } catch (err) {
        if (err instanceof TicketNotFoundError) {
          throw new GraphQLError('Queue ticket not found', { extensions: { code: 'TICKET_NOT_FOUND', id } });
        }
        throw err;
      }
      return stoppable((stopped) => followTicket(ctx, String(id), first, stopped));
    },
    resolve: (ticket) => ticket,
  }),
}));
