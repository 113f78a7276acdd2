// Borrow and return: each one short transaction whose capacity check and seat update
// are a single conditional UPDATE, so the database, not this process, decides who
// gets the last seat. CHECK constraints in the schema back it up.
import { randomUUID } from 'node:crypto';
import { Prisma as P } from '../db/generated/prisma/client.ts';
import type { Prisma } from '../db/database.ts';
import { toPoolStatus, type ToolRow } from './pool-status.ts';
import { BorrowNotFoundError, NoLicenseAvailableError, ToolNotFoundError } from './errors.ts';
import { insertEvent, toEventRecord } from './records.ts';
import type { BorrowRecord, DenialReason, LicenseChange, OverageChargeRecord } from './types.ts';

/** The tool columns every statement returns, under the names ToolRow uses. */
export const TOOL_COLUMNS = P.raw(
  `name, total, borrowed, commit_quantity AS "commit", max_overage AS "maxOverage", commit_price AS "commitPrice",
   overage_price_per_license AS "overagePricePerLicense", overage_cost AS "overageCost"`,
);

type Publish = (change: LicenseChange) => void;

export async function borrowLicense(prisma: Prisma, publish: Publish, tool: string, user: string): Promise<BorrowRecord> {
  const started = performance.now();
  const now = new Date();
  const id = randomUUID();
  const outcome = await prisma.$transaction(async (tx) => {
    // Take a seat only if one may be lent; charge overage in the same statement, from the
    // row's values before the update (SQLite evaluates SET against the old row).
    const taken = await tx.$queryRaw<ToolRow[]>`
      UPDATE tools SET
        borrowed = borrowed + 1,
        overage_cost = overage_cost + CASE WHEN borrowed >= commit_quantity THEN overage_price_per_license ELSE 0 END
      WHERE name = ${tool} AND borrowed < total AND borrowed < commit_quantity + max_overage
      RETURNING ${TOOL_COLUMNS}`;
    const row = taken[0];
    if (!row) {
      const found = await tx.$queryRaw<ToolRow[]>`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ${tool}`;
      const current = found[0];
      if (!current) return { denied: 'unknown_tool' as const, row: null, event: null };
      const reason: DenialReason = current.borrowed >= current.total ? 'exhausted' : 'max_overage';
      const event = await insertEvent(tx, { at: now, type: 'denied', tool, user, reason, borrowed: current.borrowed, total: current.total });
      return { denied: reason, row: current, event };
    }
    await tx.$executeRaw`INSERT INTO borrows (id, tool, user, borrowed_at) VALUES (${id}, ${tool}, ${user}, ${now})`;
    let charge: OverageChargeRecord | null = null;
    if (row.borrowed - 1 >= row.commit) {
      charge = { id: randomUUID(), tool, borrowId: id, user, chargedAt: now, amount: row.overagePricePerLicense };
      await tx.$executeRaw`INSERT INTO overage_charges (id, tool, borrow_id, user, charged_at, amount)
        VALUES (${charge.id}, ${tool}, ${id}, ${user}, ${now}, ${charge.amount})`;
    }
    const event = await insertEvent(tx, { at: now, type: 'borrowed', tool, user, borrowId: id, borrowed: row.borrowed, total: row.total });
    return { denied: null, row, event, charge };
  });
  const seconds = (performance.now() - started) / 1000;

  if (outcome.denied) {
    publish({
      kind: 'denied', tool, user, reason: outcome.denied, seconds,
      event: outcome.event ? toEventRecord(outcome.event) : null,
      pool: outcome.row ? toPoolStatus(outcome.row) : null,
    });
    if (outcome.denied === 'unknown_tool') throw new ToolNotFoundError(tool);
    throw new NoLicenseAvailableError(tool, outcome.denied);
  }
  const borrow: BorrowRecord = { id, tool, user, borrowedAt: now };
  publish({
    kind: 'borrowed', borrow, charge: outcome.charge ?? null, seconds,
    pool: toPoolStatus(outcome.row), event: toEventRecord(outcome.event),
  });
  return borrow;
}

export async function returnLicense(prisma: Prisma, publish: Publish, id: string): Promise<BorrowRecord> {
  const now = new Date();
  const outcome = await prisma.$transaction(async (tx) => {
    // DELETE ... RETURNING hands the row to exactly one caller, however many race.
    const gone = await tx.$queryRaw<{ tool: string; user: string; borrowedAt: Date | string }[]>`
      DELETE FROM borrows WHERE id = ${id} RETURNING tool, user, borrowed_at AS "borrowedAt"`;
    const borrow = gone[0];
    if (!borrow) return null;
    const freed = await tx.$queryRaw<ToolRow[]>`
      UPDATE tools SET borrowed = borrowed - 1 WHERE name = ${borrow.tool} AND borrowed > 0
      RETURNING ${TOOL_COLUMNS}`;
    const row = freed[0] ?? (await tx.$queryRaw<ToolRow[]>`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ${borrow.tool}`)[0]!;
    const event = await insertEvent(tx, { at: now, type: 'returned', tool: borrow.tool, user: borrow.user, borrowId: id, borrowed: row.borrowed, total: row.total });
    return { borrow, row, event };
  });
  if (!outcome) throw new BorrowNotFoundError(id);
  const borrow: BorrowRecord = {
    id, tool: outcome.borrow.tool, user: outcome.borrow.user, borrowedAt: new Date(outcome.borrow.borrowedAt),
  };
  publish({ kind: 'returned', borrow, pool: toPoolStatus(outcome.row), event: toEventRecord(outcome.event) });
  return borrow;
}
