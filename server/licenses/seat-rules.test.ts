import { describe, expect, it } from 'vitest';
import {
  decideBorrow,
  decideHeartbeat,
  decideRetry,
  goneReason,
  isOverdue,
  leaseDeadline,
  leaseLength,
  lendableSeats,
  mayRetire,
  overdueLeases,
  seatsForWaiters,
  ticketLeaseLength,
} from './seat-rules.ts';

const pool = (borrowed: number, total = 5, commit = 3, maxOverage = 1) => ({ total, borrowed, commit, maxOverage });
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s));

describe('decideBorrow', () => {
  it('lends within commit without overage', () => {
    expect(decideBorrow(pool(0))).toEqual({ take: true, overage: false });
    expect(decideBorrow(pool(2))).toEqual({ take: true, overage: false });
  });
  it('charges the seats beyond commit as overage', () => {
    expect(decideBorrow(pool(3))).toEqual({ take: true, overage: true });
  });
  it('refuses at the overage cap and at the total', () => {
    expect(decideBorrow(pool(4))).toEqual({ take: false, reason: 'max_overage' });
    expect(decideBorrow(pool(5))).toEqual({ take: false, reason: 'exhausted' });
    expect(decideBorrow(pool(2, 2, 5, 5))).toEqual({ take: false, reason: 'exhausted' });
  });
  it('a pool with commit 0 and no overage lends nothing', () => {
    expect(decideBorrow(pool(0, 3, 0, 0))).toEqual({ take: false, reason: 'max_overage' });
  });
});

describe('decideRetry', () => {
  it('the same tool and user get the held borrow; any other request reusing the key is refused', () => {
    expect(decideRetry({ tool: 'a', user: 'u' }, { tool: 'a', user: 'u' })).toBe('same_borrow');
    expect(decideRetry({ tool: 'a', user: 'u' }, { tool: 'b', user: 'u' })).toBe('key_reused');
    expect(decideRetry({ tool: 'a', user: 'u' }, { tool: 'a', user: 'v' })).toBe('key_reused');
  });
});

describe('leases', () => {
  it("a borrow's own lease wins over the pool's; none means none", () => {
    expect(leaseLength(30, 60)).toBe(30);
    expect(leaseLength(undefined, 60)).toBe(60);
    expect(leaseLength(null, null)).toBeNull();
  });
  it('deadline is now + length, null without lease', () => {
    expect(leaseDeadline(at(0), 5)).toEqual(at(5));
    expect(leaseDeadline(at(0), null)).toBeNull();
  });
  it('overdue at or after the deadline, never without lease', () => {
    expect(isOverdue(at(5), at(4))).toBe(false);
    expect(isOverdue(at(5), at(5))).toBe(true);
    expect(isOverdue(null, at(59))).toBe(false);
    const rows = [
      { id: 'a', expiresAt: at(9) },
      { id: 'b', expiresAt: null },
      { id: 'c', expiresAt: at(3) },
      { id: 'd', expiresAt: at(20) },
    ];
    expect(overdueLeases(rows, at(10)).map((r) => r.id)).toEqual(['c', 'a']);
  });
  it('a heartbeat renews a live lease, refuses an overdue one, leaves a lease-less borrow alone', () => {
    expect(decideHeartbeat({ leaseSeconds: 5, expiresAt: at(5) }, at(4))).toEqual({ renew: true, expiresAt: at(9) });
    expect(decideHeartbeat({ leaseSeconds: 5, expiresAt: at(5) }, at(6))).toEqual({ renew: false, reason: 'expired' });
    expect(decideHeartbeat({ leaseSeconds: null, expiresAt: null }, at(6))).toEqual({ renew: true, expiresAt: null });
  });
});

describe('the line', () => {
  const queued = (borrowed: number, waiting: number) => ({ ...pool(borrowed), queued: waiting });
  it('a pool with waiters lends nothing to a borrow that did not queue, even with a seat free', () => {
    expect(lendableSeats(queued(4, 0))).toBe(0);
    expect(lendableSeats(queued(2, 0))).toBe(2);
    expect(lendableSeats(queued(2, 1))).toBe(0);
    expect(decideBorrow(queued(2, 1))).toEqual({ take: false, reason: 'queue_ahead' });
    expect(decideBorrow(queued(5, 1))).toEqual({ take: false, reason: 'exhausted' });
  });
  it('seats as many waiters as the cap has free seats, never more than wait', () => {
    expect(seatsForWaiters(queued(4, 3))).toBe(0);
    expect(seatsForWaiters(queued(3, 3))).toBe(1);
    expect(seatsForWaiters(queued(0, 3))).toBe(3);
    expect(seatsForWaiters(queued(0, 0))).toBe(0);
  });
  it("a ticket's lease: its own, else the pool's, else 60 s", () => {
    expect(ticketLeaseLength(30, 90)).toBe(30);
    expect(ticketLeaseLength(undefined, 90)).toBe(90);
    expect(ticketLeaseLength(null, null)).toBe(60);
  });
  it('a pool may be retired only when nobody holds a seat nor waits for one', () => {
    expect(mayRetire({ borrowed: 0, queued: 0 })).toBe(true);
    expect(mayRetire({ borrowed: 1, queued: 0 })).toBe(false);
    expect(mayRetire({ borrowed: 0, queued: 1 })).toBe(false);
  });
  it('says why a borrow is gone from its last event', () => {
    expect(goneReason('revoked')).toBe('revoked');
    expect(goneReason('expired')).toBe('expired');
    expect(goneReason('returned')).toBe('returned');
    expect(goneReason('borrowed')).toBeNull();
    expect(goneReason(undefined)).toBeNull();
  });
});
