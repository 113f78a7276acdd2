import { describe, expect, it } from 'vitest';
import { decideBorrow, decideHeartbeat, decideRetry, isOverdue, leaseDeadline, leaseLength, overdueLeases } from './seat-rules.ts';

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
