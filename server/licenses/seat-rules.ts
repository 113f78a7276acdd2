// The domain's decisions over one pool's rows, written once. The store (store.ts, on either
// database) locks the pool, loads what these functions need, calls them and writes what they
// decided; nothing here touches a database.
import type { DenialReason } from './types.ts';
export { LEASE_LIMITS } from './limits.ts';

/** The seat counts of a pool, as the store loaded them under the pool's lock. */
export interface SeatCounts {
  total: number;
  borrowed: number;
  commit: number;
  maxOverage: number;
  /** Tickets waiting in the pool's line (0 when the store does not say). */
  queued?: number;
}

/** Seats free under the pool's cap (total, or commit + overage if lower), waiters aside. */
function freeUnderCap(pool: SeatCounts): number {
  return Math.max(Math.min(pool.total, pool.commit + pool.maxOverage) - pool.borrowed, 0);
}

/**
 * Seats a borrow could take now: the pool's cap (total, or commit + overage if lower) less
 * what is held, never negative — and none while anyone waits in line (the line goes first).
 * decideBorrow lends a seat exactly when this is above 0.
 */
export function lendableSeats(pool: SeatCounts): number {
  return (pool.queued ?? 0) > 0 ? 0 : freeUnderCap(pool);
}

export type SeatDecision = { take: true; overage: boolean } | { take: false; reason: Exclude<DenialReason, 'unknown_tool'> };

/**
 * May one more borrow take a seat, and is that seat beyond commit (charged as overage)?
 * A pool lends at most `min(total, commit + maxOverage)` seats.
 */
export function decideBorrow(pool: SeatCounts): SeatDecision {
  if (pool.borrowed >= pool.total) return { take: false, reason: 'exhausted' };
  if (pool.borrowed >= pool.commit + pool.maxOverage) return { take: false, reason: 'max_overage' };
  // A seat is free but promised to the line: a borrow that did not queue may not jump it.
  if ((pool.queued ?? 0) > 0) return { take: false, reason: 'queue_ahead' };
  return { take: true, overage: pool.borrowed >= pool.commit };
}

/**
 * How many waiters the pool can seat now, head of the line first: as many as its cap has
 * free seats. Each grant is a borrow like any other (decideBorrow without the line, since
 * the waiter is the line), so overage is charged the same way.
 */
export function seatsForWaiters(pool: SeatCounts): number {
  return Math.min(freeUnderCap(pool), pool.queued ?? 0);
}

/** The default lease of a ticket (and of the borrow it is granted) when neither it nor its pool names one. */
export const DEFAULT_TICKET_LEASE_SECONDS = 60;

/** A waiter's lease: its own length, else the pool's, else DEFAULT_TICKET_LEASE_SECONDS — a ticket always has one. */
export function ticketLeaseLength(own: number | null | undefined, poolDefault: number | null | undefined): number {
  return own ?? poolDefault ?? DEFAULT_TICKET_LEASE_SECONDS;
}

/** Whether a retire may go ahead: nobody holds a seat and nobody waits for one. */
export function mayRetire(pool: { borrowed: number; queued?: number }): boolean {
  return pool.borrowed === 0 && (pool.queued ?? 0) === 0;
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

/** Why a borrow that is gone cannot be renewed, from its last history event (null: never existed). */
export function goneReason(lastEventType: string | null | undefined): 'expired' | 'revoked' | 'returned' | null {
  if (lastEventType === 'expired' || lastEventType === 'revoked' || lastEventType === 'returned') return lastEventType;
  return null;
}

/**
 * A heartbeat on a borrow still held: a lease not yet over is renewed to now + its length;
 * one that is over has lost its seat; a borrow without lease stays without (expires_at null).
 */
export function decideHeartbeat(borrow: { leaseSeconds: number | null; expiresAt: Date | null }, now: Date): HeartbeatDecision {
  if (borrow.leaseSeconds === null) return { renew: true, expiresAt: null };
  if (isOverdue(borrow.expiresAt, now)) return { renew: false, reason: 'expired' };
  return { renew: true, expiresAt: leaseDeadline(now, borrow.leaseSeconds) };
}
