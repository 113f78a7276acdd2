// Borrow and return: each one short transaction whose capacity check and seat update
// are a single conditional UPDATE, so the database, not this process, decides who
// gets the last seat. CHECK constraints in the schema back it up. The statements live in
// the stores: store.ts (SQLite, direct) and prisma-store.ts (PostgreSQL, through Prisma).
import { randomUUID } from 'node:crypto';
import { toPoolStatus } from './pool-status.ts';
import { BorrowNotFoundError, NoLicenseAvailableError, ToolNotFoundError } from './errors.ts';
import { toEventRecord } from './records.ts';
import { checkText } from './text.ts';
import type { Store } from './store.ts';
import type { BorrowRecord, LicenseChange, OverageChargeRecord, PoolStatus } from './types.ts';

type Publish = (change: LicenseChange) => void;

// async: callers get a rejected promise for a denial, as before, not a synchronous throw.
export async function borrowLicense(store: Store, publish: Publish, tool: string, user: string): Promise<BorrowRecord> {
  checkText('tool', tool);
  checkText('user', user);
  const started = performance.now();
  const now = new Date();
  const id = randomUUID();
  const outcome = await store.borrow(tool, user, id, now);
  const seconds = (performance.now() - started) / 1000;

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
  const charge: OverageChargeRecord | null = outcome.chargeId
    ? { id: outcome.chargeId, tool, borrowId: id, user, chargedAt: now, amount: outcome.row.overagePricePerLicense }
    : null;
  const borrow: BorrowRecord = { id, tool, user, borrowedAt: now };
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

/** The pool comes from the return's own transaction: no second read, no later state. */
export async function returnLicense(store: Store, publish: Publish, id: string): Promise<{ borrow: BorrowRecord; pool: PoolStatus }> {
  checkText('id', id);
  const outcome = await store.return(id, new Date());
  if (!outcome) throw new BorrowNotFoundError(id);
  const borrow: BorrowRecord = { id, tool: outcome.tool, user: outcome.user, borrowedAt: outcome.borrowedAt };
  const pool = toPoolStatus(outcome.row);
  publish({ kind: 'returned', borrow, pool, event: toEventRecord(outcome.event) });
  return { borrow, pool };
}
