// The domain's decisions over one pool's rows, written once. The stores (store.ts for
// SQLite, prisma-store.ts for PostgreSQL) lock the pool, load what these functions need,
// call them and write what they decided; nothing here touches a database.
import type { DenialReason } from './types.ts';
export { LEASE_LIMITS } from './limits.ts';

/** The seat counts of a pool, as the store loaded them under the pool's lock. */
export interface SeatCounts {
  total: number;
  borrowed: number;
  commit: number;
  maxOverage: number;
}

/**
 * Seats a borrow could take now: the pool's cap (total, or commit + overage if lower) less
 * what is held, never negative. decideBorrow lends a seat exactly when this is above 0.
 */
export function lendableSeats(pool: SeatCounts): number {
  return Math.max(Math.min(pool.total, pool.commit + pool.maxOverage) - pool.borrowed, 0);
}

export type SeatDecision = { take: true; overage: boolean } | { take: false; reason: Exclude<DenialReason, 'unknown_tool'> };

/**
 * May one more borrow take a seat, and is that seat beyond commit (charged as overage)?
 * A pool lends at most `min(total, commit + maxOverage)` seats.
 */
export function decideBorrow(pool: SeatCounts): SeatDecision {
  if (pool.borrowed >= pool.total) return { take: false, reason: 'exhausted' };
  if (pool.borrowed >= pool.commit + pool.maxOverage) return { take: false, reason: 'max_overage' };
  return { take: true, overage: pool.borrowed >= pool.commit };
}

/** A borrow's lease: its own length, else the pool's default, else none (it never expires). */
export function leaseLength(own: number | null | undefined, poolDefault: number | null | undefined): number | null {
  return own ?? poolDefault ?? null;
}

/** When a lease of `seconds` renewed at `now` runs out; null for a borrow without lease. */
export function leaseDeadline(now: Date, seconds: number | null): Date | null {
  return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
}

/** Whether a lease is over at `now` (a borrow without lease never is). */
export function isOverdue(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/** The leases among `borrows` that are over at `now`, in deadline order. */
export function overdueLeases<T extends { expiresAt: Date | null }>(borrows: readonly T[], now: Date): T[] {
  return borrows
    .filter((b) => isOverdue(b.expiresAt, now))
    .sort((a, b) => (a.expiresAt as Date).getTime() - (b.expiresAt as Date).getTime());
}

/**
 * A borrow whose idempotency key is already held by a live borrow: the same request again
 * (same tool and user) is answered with that borrow; another request reusing the key is refused.
 */
export function decideRetry(held: { tool: string; user: string }, req: { tool: string; user: string }): 'same_borrow' | 'key_reused' {
  return held.tool === req.tool && held.user === req.user ? 'same_borrow' : 'key_reused';
}

export type HeartbeatDecision = { renew: true; expiresAt: Date | null } | { renew: false; reason: 'expired' };

/**
 * A heartbeat on a borrow still held: a lease not yet over is renewed to now + its length;
 * one that is over has lost its seat; a borrow without lease stays without (expires_at null).
 */
export function decideHeartbeat(borrow: { leaseSeconds: number | null; expiresAt: Date | null }, now: Date): HeartbeatDecision {
  if (borrow.leaseSeconds === null) return { renew: true, expiresAt: null };
  if (isOverdue(borrow.expiresAt, now)) return { renew: false, reason: 'expired' };
  return { renew: true, expiresAt: leaseDeadline(now, borrow.leaseSeconds) };
}
