// Borrow, return, heartbeat, revoke and the lease sweep: each one short transaction in
// which the store locks the pool, loads its rows and applies the decisions of
// seat-rules.ts, so the database's lock, not this process, decides who gets the last seat,
// which waiter is handed a freed one and which lease is released (exactly once). CHECK
// constraints in the schema back it up. The statements live in the store (store.ts, one
// program over both databases' dialects). Outcomes — expired
// leases and grants to the line included — are published after the transaction commits.
import { randomUUID } from 'node:crypto';
import { toPoolStatus } from './pool-status.ts';
import {
  BorrowNotFoundError,
  BorrowRevokedError,
  InvalidInputError,
  LeaseExpiredError,
  NoLicenseAvailableError,
  ToolNotFoundError,
} from './errors.ts';
import { LEASE_LIMITS, decideRetry } from './seat-rules.ts';
import { toBorrowRecord, toEventRecord, toTicketRecord } from './records.ts';
import { checkText, checkUserName } from './text.ts';
import type { Consequence, Store } from './store.ts';
import type {
  BorrowRecord,
  BorrowRequest,
  LeaseRecord,
  LicenseChange,
  OverageChargeRecord,
  PoolStatus,
  QueueTicketRecord,
  RevocationRecord,
} from './types.ts';

type Publish = (change: LicenseChange) => void;

/** Publishes what a write set in motion (expiries, grants, tickets leaving the line), in order, after it committed. */
export function publishConsequences(publish: Publish, consequences: readonly Consequence[], now: Date): void {
  for (const c of consequences) {
    const pool = toPoolStatus(c.row, now);
    if (c.kind === 'charged') {
      const charges = c.charges.map((h) => ({
        id: h.id,
        tool: pool.tool,
        borrowId: h.borrowId,
        user: h.user,
        chargedAt: h.at,
        amount: h.amount,
      }));
      publish({ kind: 'overage_charged', event: null, pool, charges });
      continue;
    }
    const event = toEventRecord(c.event);
    if (c.kind === 'expired') publish({ kind: 'expired', borrow: toBorrowRecord(c.borrow), pool, event });
    else if (c.kind === 'left_queue') publish({ kind: 'left_queue', ticket: toTicketRecord(c.ticket), pool, event });
    else {
      const borrow = toBorrowRecord(c.borrow);
      const charge: OverageChargeRecord | null = c.chargeId
        ? {
            id: c.chargeId,
            tool: borrow.tool,
            borrowId: borrow.id,
            user: borrow.user,
            chargedAt: borrow.borrowedAt,
            amount: c.row.overagePricePerLicense,
          }
        : null;
      const waitSeconds = (borrow.borrowedAt.getTime() - c.ticket.queuedAt.getTime()) / 1000;
      publish({ kind: 'granted', ticket: toTicketRecord(c.ticket, c.borrow), borrow, charge, pool, event, waitSeconds });
    }
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

/** A borrow's answer: the seat, or (when it asked to wait and none was lendable) its place in line. */
export type BorrowResult = { borrow: BorrowRecord; ticket: null } | { borrow: null; ticket: QueueTicketRecord };

/**
 * Idempotency keys are the borrower's own: the key stored is the client's key inside the
 * user's namespace, so one user's key can neither be squatted nor probed by another (before,
 * borrowing with a key another user held answered 422). Done here, before the store, so
 * every store (SQLite, PostgreSQL) keeps one unique key column and needs no change. The
 * length prefix keeps the namespace unambiguous whatever characters a name holds.
 */
export const scopedIdempotencyKey = (user: string, key: string): string => `${user.length}:${user}:${key}`;

function withScopedKey(req: BorrowRequest): BorrowRequest {
  if (req.idempotencyKey === undefined || req.idempotencyKey === null) return req;
  return { ...req, idempotencyKey: scopedIdempotencyKey(req.user, req.idempotencyKey) };
}

// async: callers get a rejected promise for a denial, as before, not a synchronous throw.
export async function borrowLicense(store: Store, publish: Publish, req: BorrowRequest, now: Date): Promise<BorrowResult> {
  const { tool, user } = req;
  checkText('tool', tool);
  checkUserName('user', user);
  if (req.host !== undefined && req.host !== null) checkText('host', req.host);
  if (req.idempotencyKey !== undefined && req.idempotencyKey !== null) checkText('idempotencyKey', req.idempotencyKey);
  if (req.project !== undefined && req.project !== null) checkText('project', req.project);
  checkLeaseSeconds(req.leaseSeconds);
  const started = performance.now();
  const id = randomUUID();
  const outcome = await store.borrow(withScopedKey(req), id, now);
  const seconds = (performance.now() - started) / 1000;
  publishConsequences(publish, outcome.consequences, now);

  if (outcome.denied) {
    publish({
      kind: 'denied',
      tool,
      user,
      reason: outcome.denied,
      seconds,
      event: outcome.event ? toEventRecord(outcome.event) : null,
      pool: outcome.row ? toPoolStatus(outcome.row, now) : null,
    });
    if (outcome.denied === 'unknown_tool') throw new ToolNotFoundError(tool);
    throw new NoLicenseAvailableError(tool, outcome.denied);
  }
  if ('queued' in outcome) {
    const ticket = toTicketRecord(outcome.queued);
    if (outcome.replayed) checkRetry(ticket, req);
    else publish({ kind: 'queued', ticket, pool: toPoolStatus(outcome.row!, now), event: toEventRecord(outcome.event!) });
    return { borrow: null, ticket };
  }
  const borrow = toBorrowRecord(outcome.borrow);
  // A retry with a key already held: the same borrow, no second seat, nothing to publish.
  if (!outcome.row) {
    checkRetry(borrow, req);
    return { borrow, ticket: null };
  }
  const charge: OverageChargeRecord | null = outcome.chargeId
    ? { id: outcome.chargeId, tool, borrowId: id, user, chargedAt: now, amount: outcome.row.overagePricePerLicense }
    : null;
  publish({
    kind: 'borrowed',
    borrow,
    charge,
    seconds,
    pool: toPoolStatus(outcome.row, now),
    event: toEventRecord(outcome.event),
  });
  return { borrow, ticket: null };
}

function checkRetry(held: { tool: string; user: string }, req: BorrowRequest): void {
  if (decideRetry(held, req) === 'key_reused') {
    throw new InvalidInputError(
      'idempotencyKey',
      'idempotency_key_reused',
      'You already used this idempotency key for a borrow of another tool; use a new key',
    );
  }
}

/** Renews a lease to now + its length; a borrow without lease answers expiresAt null. */
export async function heartbeat(store: Store, publish: Publish, id: string, now: Date): Promise<LeaseRecord> {
  checkText('id', id);
  const outcome = await store.heartbeat(id, now);
  if (outcome.state === 'unknown') throw new BorrowNotFoundError(id);
  if (outcome.state === 'revoked') throw new BorrowRevokedError(id, outcome.reason);
  if (outcome.state === 'expired') {
    publishConsequences(publish, outcome.consequences, now);
    throw new LeaseExpiredError(id);
  }
  const b = outcome.borrow;
  const lease: LeaseRecord = { id: b.id, tool: b.tool, user: b.user, expiresAt: b.expiresAt };
  publish({ kind: 'heartbeat', event: null, pool: null, lease });
  return lease;
}

/** One sweep: releases every overdue lease and silent waiter, one locked transaction per pool; returns how many. */
export async function sweepLeases(store: Store, publish: Publish, now: Date): Promise<number> {
  let released = 0;
  for (const tool of await store.overdueTools(now)) {
    const consequences = await store.expireOverdue(tool, now);
    publishConsequences(publish, consequences, now);
    released += consequences.filter((c) => c.kind !== 'granted' && c.kind !== 'charged').length;
  }
  return released;
}

/** The pool comes from the return's own transaction: no second read, no later state. */
export async function returnLicense(
  store: Store,
  publish: Publish,
  id: string,
  now: Date,
): Promise<{ borrow: BorrowRecord; pool: PoolStatus }> {
  checkText('id', id);
  const outcome = await store.return(id, now);
  if (!outcome) throw new BorrowNotFoundError(id);
  const borrow = toBorrowRecord(outcome.borrow);
  const pool = toPoolStatus(outcome.row, now);
  publish({ kind: 'returned', borrow, pool, event: toEventRecord(outcome.event) });
  publishConsequences(publish, outcome.consequences, now);
  return { borrow, pool };
}

/** An admin's force-release: the seat is freed (and handed to the line) and the holder's next heartbeat hears why. */
export async function revokeBorrow(store: Store, publish: Publish, id: string, reason: string, now: Date): Promise<RevocationRecord> {
  checkText('id', id);
  checkText('reason', reason);
  if (reason.trim().length === 0) throw new InvalidInputError('reason', 'string_too_short', 'A revocation needs a reason');
  const outcome = await store.revoke(id, reason, now);
  if (!outcome) throw new BorrowNotFoundError(id);
  const borrow = toBorrowRecord(outcome.borrow);
  publish({ kind: 'revoked', borrow, reason, pool: toPoolStatus(outcome.row, now), event: toEventRecord(outcome.event) });
  publishConsequences(publish, outcome.consequences, now);
  return { borrow, reason, revokedAt: now };
}
