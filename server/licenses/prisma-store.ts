// The license tables through Prisma, for PostgreSQL (SQLite uses the faster direct
// store in store.ts). Same statements, same outcomes: the capacity check and the seat
// update are one conditional UPDATE inside one transaction, and PostgreSQL's row lock
// makes concurrent borrowers of the last seat wait for each other's result.
import { randomUUID } from 'node:crypto';
import { Prisma as P } from '../db/generated/prisma/client.ts';
import type { Prisma } from '../db/database.ts';
import type { ToolRow } from './pool-status.ts';
import type { BorrowOutcome, BudgetOutcome, CreateToolOutcome, EventRow, RetireToolOutcome, ReturnOutcome, Store } from './store.ts';
import type { BudgetInput } from './types.ts';
import { DatabaseUnavailableError, isConnectionError, neverSent, retryOnConnectionLoss } from '../db/unavailable.ts';

const COLUMNS = P.raw(`name, total, borrowed, commit_quantity AS "commit", max_overage AS "maxOverage", commit_price AS "commitPrice",
  overage_price_per_license AS "overagePricePerLicense", overage_cost AS "overageCost"`);

type Tx = Pick<Prisma, '$queryRaw' | '$executeRaw'>;

/**
 * One interactive transaction, run again if its connection fails before COMMIT (it
 * rolled back: see ../db/unavailable.ts). The body finishing is the line: a connection
 * failure after it happened at or after COMMIT, so whether it committed is unknown.
 * Every write here records a history event whose id the body already holds (RETURNING
 * id, from a sequence that never hands an id out twice), so one read settles it: the
 * event is there — it committed, the body's outcome stands; it is not — it rolled back,
 * run it again. Only if that read fails too does the caller get
 * DatabaseUnavailableError(outcomeUnknown). An outcome with no event wrote nothing.
 */
function transaction<T>(prisma: Prisma, body: (tx: Tx) => Promise<T>): Promise<T> {
  return retryOnConnectionLoss(async () => {
    let outcome: { value: T } | undefined;
    try {
      return await prisma.$transaction(async (tx) => {
        const value = await body(tx);
        outcome = { value };
        return value;
      });
    } catch (err) {
      if (!outcome || !isConnectionError(err) || neverSent(err)) throw err; // retried if a connection error
      const event = (outcome.value as { event?: EventRow | null } | null)?.event;
      if (!event) return outcome.value;
      let committed: boolean;
      try {
        committed = await retryOnConnectionLoss(
          async () => (await prisma.$queryRaw<unknown[]>`SELECT 1 FROM license_events WHERE id = ${event.id}`).length > 0,
        );
      } catch (checkErr) {
        throw new DatabaseUnavailableError(true, { cause: checkErr });
      }
      if (committed) return outcome.value;
      throw err;
    }
  });
}

async function insertEvent(tx: Tx, e: Omit<EventRow, 'id'>): Promise<EventRow> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO license_events (at, type, tool, "user", borrow_id, reason, borrowed, total)
    VALUES (${e.at}, ${e.type}, ${e.tool}, ${e.user}, ${e.borrowId}, ${e.reason}, ${e.borrowed}, ${e.total}) RETURNING id`;
  return { id: Number(rows[0]!.id), ...e };
}

// A retired pool is gone for every read: status, metrics, borrows (404), budgets.
const toolRow = async (tx: Tx, name: string) =>
  (await tx.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE name = ${name} AND retired_at IS NULL`)[0];

export class PrismaLicenseStore implements Store {
  constructor(private readonly prisma: Prisma) {}

  borrow(tool: string, user: string, id: string, now: Date): Promise<BorrowOutcome> {
    return transaction(this.prisma, async (tx): Promise<BorrowOutcome> => {
      const row = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET
          borrowed = borrowed + 1,
          overage_cost = overage_cost + CASE WHEN borrowed >= commit_quantity THEN overage_price_per_license ELSE 0 END
        WHERE name = ${tool} AND borrowed < total AND borrowed < commit_quantity + max_overage AND retired_at IS NULL
        RETURNING ${COLUMNS}`
      )[0];
      if (!row) {
        const current = await toolRow(tx, tool);
        if (!current) return { denied: 'unknown_tool', row: null, event: null };
        const reason = current.borrowed >= current.total ? ('exhausted' as const) : ('max_overage' as const);
        const event = await insertEvent(tx, {
          at: now,
          type: 'denied',
          tool,
          user,
          borrowId: null,
          reason,
          borrowed: current.borrowed,
          total: current.total,
        });
        return { denied: reason, row: current, event };
      }
      await tx.$executeRaw`INSERT INTO borrows (id, tool, "user", borrowed_at) VALUES (${id}, ${tool}, ${user}, ${now})`;
      const chargeId = row.borrowed - 1 >= row.commit ? randomUUID() : null;
      if (chargeId) {
        await tx.$executeRaw`INSERT INTO overage_charges (id, tool, borrow_id, "user", charged_at, amount)
          VALUES (${chargeId}, ${tool}, ${id}, ${user}, ${now}, ${row.overagePricePerLicense})`;
      }
      const event = await insertEvent(tx, {
        at: now,
        type: 'borrowed',
        tool,
        user,
        borrowId: id,
        reason: null,
        borrowed: row.borrowed,
        total: row.total,
      });
      return { denied: null, row, chargeId, event };
    });
  }

  return(id: string, now: Date): Promise<ReturnOutcome | null> {
    return transaction(this.prisma, async (tx): Promise<ReturnOutcome | null> => {
      // DELETE ... RETURNING hands the row to exactly one caller, however many race.
      const gone = (
        await tx.$queryRaw<{ tool: string; user: string; borrowedAt: Date }[]>`
        DELETE FROM borrows WHERE id = ${id} RETURNING tool, "user", borrowed_at AS "borrowedAt"`
      )[0];
      if (!gone) return null;
      const freed = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET borrowed = borrowed - 1 WHERE name = ${gone.tool} AND borrowed > 0 RETURNING ${COLUMNS}`
      )[0];
      const row = freed ?? (await toolRow(tx, gone.tool))!;
      const event = await insertEvent(tx, {
        at: now,
        type: 'returned',
        tool: gone.tool,
        user: gone.user,
        borrowId: id,
        reason: null,
        borrowed: row.borrowed,
        total: row.total,
      });
      return { tool: gone.tool, user: gone.user, borrowedAt: new Date(gone.borrowedAt), row, event };
    });
  }

  updateBudget(b: BudgetInput, now: Date): Promise<BudgetOutcome> {
    return transaction(this.prisma, async (tx): Promise<BudgetOutcome> => {
      const before = await toolRow(tx, b.tool);
      if (!before) return { error: 'unknown_tool' };
      const after = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET total = ${b.total}, commit_quantity = ${b.commit}, max_overage = ${b.maxOverage},
          commit_price = ${b.commitPrice}, overage_price_per_license = ${b.overagePricePerLicense}, updated_at = ${now}
        WHERE name = ${b.tool} AND borrowed <= ${b.total} AND retired_at IS NULL RETURNING ${COLUMNS}`
      )[0];
      if (!after) return { error: 'below_borrowed', before };
      const event = await insertEvent(tx, {
        at: now,
        type: 'budget_changed',
        tool: b.tool,
        user: null,
        borrowId: null,
        reason: null,
        borrowed: after.borrowed,
        total: after.total,
      });
      return { error: null, before, after, event };
    });
  }

  // The name is the key, retired or not, so a name once used stays reserved for its history.
  createTool(b: BudgetInput, now: Date): Promise<CreateToolOutcome> {
    return transaction(this.prisma, async (tx): Promise<CreateToolOutcome> => {
      const row = (
        await tx.$queryRaw<ToolRow[]>`
        INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at)
        VALUES (${b.tool}, ${b.total}, ${b.commit}, ${b.maxOverage}, ${b.commitPrice}, ${b.overagePricePerLicense}, ${now})
        ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`
      )[0];
      if (!row) {
        const found = await tx.$queryRaw<
          { retired: boolean }[]
        >`SELECT retired_at IS NOT NULL AS retired FROM tools WHERE name = ${b.tool}`;
        return { error: 'exists', retired: found[0]?.retired === true };
      }
      const e = { at: now, type: 'pool_created', tool: b.tool, user: null, borrowId: null, reason: null };
      return { error: null, row, event: await insertEvent(tx, { ...e, borrowed: row.borrowed, total: row.total }) };
    });
  }

  // "Nobody holds a seat" is part of the UPDATE's WHERE clause: the row lock makes a racing
  // borrow wait, and whichever commits first decides (READ COMMITTED re-checks the WHERE).
  retireTool(name: string, now: Date): Promise<RetireToolOutcome> {
    return transaction(this.prisma, async (tx): Promise<RetireToolOutcome> => {
      const retired = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET retired_at = ${now}, updated_at = ${now}
        WHERE name = ${name} AND retired_at IS NULL AND borrowed = 0 RETURNING ${COLUMNS}`
      )[0];
      if (!retired) {
        const current = (
          await tx.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE name = ${name} AND retired_at IS NULL FOR UPDATE`
        )[0];
        return current ? { error: 'in_use', row: current } : { error: 'unknown_tool' };
      }
      const row = { ...retired, retiredAt: now };
      const e = { at: now, type: 'pool_retired', tool: name, user: null, borrowId: null, reason: null };
      return { error: null, row, event: await insertEvent(tx, { ...e, borrowed: row.borrowed, total: row.total }) };
    });
  }

  tool(name: string): Promise<ToolRow | undefined> {
    return retryOnConnectionLoss(() => toolRow(this.prisma, name));
  }

  // One bounded batch; SKIP LOCKED lets several processes prune side by side without
  // waiting on each other's rows.
  pruneEvents(before: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM license_events WHERE id IN (
      SELECT id FROM license_events WHERE at < ${before} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }

  // Sorted here, not by ORDER BY: PostgreSQL's collation would not sort like SQLite's bytes.
  async tools(): Promise<ToolRow[]> {
    const rows = await retryOnConnectionLoss(() => this.prisma.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE retired_at IS NULL`);
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
