// Borrow, return, heartbeat and the lease sweep: each one short transaction in which the
// store locks the pool, loads its rows and applies the decisions of seat-rules.ts, so the
// database's lock, not this process, decides who gets the last seat and which lease is
// released (exactly once). CHECK constraints in the schema back it up. The statements live
// in the stores: store.ts (SQLite, direct) and prisma-store.ts (PostgreSQL, through Prisma).
// Outcomes (expired leases included) are published after the transaction commits.
import { randomUUID } from 'node:crypto';
import { toPoolStatus } from './pool-status.ts';
import { BorrowNotFoundError, InvalidInputError, LeaseExpiredError, NoLicenseAvailableError, ToolNotFoundError } from './errors.ts';
import { LEASE_LIMITS, decideRetry } from './seat-rules.ts';
import { toEventRecord } from './records.ts';
import { checkText } from './text.ts';
import type { BorrowRow, ExpiredOutcome, Store } from './store.ts';
import type { BorrowRecord, BorrowRequest, LeaseRecord, LicenseChange, OverageChargeRecord, PoolStatus } from './types.ts';

type Publish = (change: LicenseChange) => void;

const toBorrowRecord = (b: BorrowRow): BorrowRecord => ({
  id: b.id,
  tool: b.tool,
  user: b.user,
  borrowedAt: b.borrowedAt,
  expiresAt: b.expiresAt,
  host: b.host,
});

/** Publishes each released lease, after its transaction committed. */
export function publishExpired(publish: Publish, expired: readonly ExpiredOutcome[]): void {
  for (const e of expired) {
    publish({ kind: 'expired', borrow: toBorrowRecord(e.borrow), pool: toPoolStatus(e.row), event: toEventRecord(e.event) });
  }
}

/** Refuses a lease length outside LEASE_LIMITS. Fields are named in the domain's terms
 *  (`leaseSeconds`); each transport says them in its own (REST: `lease_seconds`). */
export function checkLeaseSeconds(value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < LEASE_LIMITS.min || value > LEASE_LIMITS.max) {
    throw new InvalidInputError(
      'leaseSeconds',
      'value_error',
      `A lease must be a whole number of seconds from ${LEASE_LIMITS.min} to ${LEASE_LIMITS.max}`,
    );
  }
}

// async: callers get a rejected promise for a denial, as before, not a synchronous throw.
export async function borrowLicense(store: Store, publish: Publish, req: BorrowRequest): Promise<BorrowRecord> {
  const { tool, user } = req;
  checkText('tool', tool);
  checkText('user', user);
  if (req.host !== undefined && req.host !== null) checkText('host', req.host);
  if (req.idempotencyKey !== undefined && req.idempotencyKey !== null) checkText('idempotencyKey', req.idempotencyKey);
  checkLeaseSeconds(req.leaseSeconds);
  const started = performance.now();
  const now = new Date();
  const id = randomUUID();
  const outcome = await store.borrow(req, id, now);
  const seconds = (performance.now() - started) / 1000;
  publishExpired(publish, outcome.expired);

  if (outcome.denied) {
    publish({
      kind: 'denied',
      tool,
      user,
      reason: outcome.denied,
      seconds,
      event: outcome.event ? toEventRecord(outcome.event) : null,
      pool: outcome.row ? toPoolStatus(outcome.row) : null,
    });
    if (outcome.denied === 'unknown_tool') throw new ToolNotFoundError(tool);
    throw new NoLicenseAvailableError(tool, outcome.denied);
  }
  const borrow = toBorrowRecord(outcome.borrow);
  // A retry with a key already held: the same borrow, no second seat, nothing to publish.
  if (!outcome.row) {
    if (decideRetry(borrow, req) === 'key_reused') {
      throw new InvalidInputError(
        'idempotencyKey',
        'idempotency_key_reused',
        'This idempotency key is already held by a borrow of another tool or user; use a new key',
      );
    }
    return borrow;
  }
  const charge: OverageChargeRecord | null = outcome.chargeId
    ? { id: outcome.chargeId, tool, borrowId: id, user, chargedAt: now, amount: outcome.row.overagePricePerLicense }
    : null;
  publish({
    kind: 'borrowed',
    borrow,
    charge,
    seconds,
    pool: toPoolStatus(outcome.row),
    event: toEventRecord(outcome.event),
  });
  return borrow;
}

/** Renews a lease to now + its length; a borrow without lease answers expiresAt null. */
export async function heartbeat(store: Store, publish: Publish, id: string): Promise<LeaseRecord> {
  checkText('id', id);
  const outcome = await store.heartbeat(id, new Date());
  if (outcome.state === 'unknown') throw new BorrowNotFoundError(id);
  if (outcome.state === 'expired') {
    publishExpired(publish, outcome.expired);
    throw new LeaseExpiredError(id);
  }
  const b = outcome.borrow;
  const lease: LeaseRecord = { id: b.id, tool: b.tool, user: b.user, expiresAt: b.expiresAt };
  publish({ kind: 'heartbeat', event: null, pool: null, lease });
  return lease;
}

/** One sweep: releases every overdue lease, one locked transaction per pool; returns how many. */
export async function sweepLeases(store: Store, publish: Publish, now = new Date()): Promise<number> {
  let released = 0;
  for (const tool of await store.overdueTools(now)) {
    const expired = await store.expireOverdue(tool, now);
    publishExpired(publish, expired);
    released += expired.length;
  }
  return released;
}

/** The pool comes from the return's own transaction: no second read, no later state. */
export async function returnLicense(store: Store, publish: Publish, id: string): Promise<{ borrow: BorrowRecord; pool: PoolStatus }> {
  checkText('id', id);
  const outcome = await store.return(id, new Date());
  if (!outcome) throw new BorrowNotFoundError(id);
  const borrow = toBorrowRecord(outcome.borrow);
  const pool = toPoolStatus(outcome.row);
  publish({ kind: 'returned', borrow, pool, event: toEventRecord(outcome.event) });
  return { borrow, pool };
}
