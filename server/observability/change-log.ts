// One log line per domain outcome, with the event names existing Loki queries use.
import type { LicenseChange } from '../licenses/index.ts';
import type { Logger } from './logger.ts';

export function logChange(log: Logger, c: LicenseChange): void {
  switch (c.kind) {
    case 'borrowed':
      log.info(
        {
          event: 'borrow_license',
          tool: c.borrow.tool,
          user: c.borrow.user,
          borrow_id: c.borrow.id,
          overage: c.charge !== null,
          borrowed: c.pool.borrowed,
          total: c.pool.total,
        },
        'license borrowed',
      );
      break;
    case 'denied':
      log.warn(
        { event: 'borrow_denied', tool: c.tool, user: c.user, reason: c.reason, borrowed: c.pool?.borrowed, total: c.pool?.total },
        `borrow denied: ${c.reason}`,
      );
      break;
    case 'returned':
      log.info(
        {
          event: 'return_license',
          tool: c.borrow.tool,
          user: c.borrow.user,
          borrow_id: c.borrow.id,
          borrowed: c.pool.borrowed,
          total: c.pool.total,
        },
        'license returned',
      );
      break;
    case 'expired':
      log.info(
        {
          event: 'lease_expired',
          tool: c.borrow.tool,
          user: c.borrow.user,
          borrow_id: c.borrow.id,
          host: c.borrow.host,
          expires_at: c.borrow.expiresAt?.toISOString(),
          borrowed: c.pool.borrowed,
          total: c.pool.total,
        },
        'lease expired; seat released',
      );
      break;
    case 'revoked':
      log.warn(
        {
          event: 'seat_revoked',
          tool: c.borrow.tool,
          user: c.borrow.user,
          borrow_id: c.borrow.id,
          reason: c.reason,
          borrowed: c.pool.borrowed,
          total: c.pool.total,
        },
        'seat revoked by an admin',
      );
      break;
    case 'queued':
      log.info(
        { event: 'queued', tool: c.ticket.tool, user: c.ticket.user, ticket_id: c.ticket.id, position: c.ticket.position },
        'borrow queued: waiting in line',
      );
      break;
    case 'granted':
      log.info(
        {
          event: 'granted',
          tool: c.borrow.tool,
          user: c.borrow.user,
          borrow_id: c.borrow.id,
          ticket_id: c.ticket.id,
          wait_seconds: c.waitSeconds,
          overage: c.charge !== null,
          borrowed: c.pool.borrowed,
          total: c.pool.total,
        },
        'seat granted to the head of the line',
      );
      break;
    case 'left_queue':
      log.info(
        { event: 'left_queue', tool: c.ticket.tool, user: c.ticket.user, ticket_id: c.ticket.id, reason: c.ticket.state },
        c.ticket.state === 'expired' ? 'ticket expired: its waiter went silent' : 'ticket cancelled',
      );
      break;
    case 'heartbeat':
      log.debug(
        { event: 'lease_renewed', tool: c.lease.tool, borrow_id: c.lease.id, expires_at: c.lease.expiresAt?.toISOString() },
        'lease renewed',
      );
      break;
    case 'budget_changed':
      log.info({ event: 'budget_updated', tool: c.pool.tool, previous: c.previous, current: c.pool }, 'budget updated');
      break;
    case 'pool_created':
      log.info({ event: 'pool_created', tool: c.pool.tool, budget: c.pool }, 'pool created');
      break;
    case 'overage_charged':
      log.info(
        {
          event: 'overage_charged',
          tool: c.pool.tool,
          charges: c.charges.length,
          amount: c.charges.reduce((n, h) => n + h.amount, 0),
          period_overage_cost: c.pool.periodOverageCost,
        },
        'seat-hours of continuing overage use charged',
      );
      break;
    case 'pool_retired':
      log.info({ event: 'pool_retired', tool: c.pool.tool }, 'pool retired');
      break;
  }
}
