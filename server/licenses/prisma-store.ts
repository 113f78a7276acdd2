// The license tables through Prisma, for PostgreSQL (SQLite uses the faster direct
// store in store.ts). Same outcomes: each write locks its pool's row first
// (SELECT ... FOR UPDATE; a return too, so pool-then-borrow is the one lock order and a
// return never deadlocks with the sweep), loads the rows, lets seat-rules.ts decide and
// writes that; concurrent borrowers of the last seat wait for each other's result.
import { randomUUID } from 'node:crypto';
import { Prisma as P } from '../db/generated/prisma/client.ts';
import type { Prisma } from '../db/database.ts';
import type { ToolRow } from './pool-status.ts';
import type {
  BorrowOutcome,
  BorrowRow,
  BudgetOutcome,
  CreateToolOutcome,
  EventRow,
  ExpiredOutcome,
  HeartbeatOutcome,
  RetireToolOutcome,
  ReturnOutcome,
  Store,
} from './store.ts';
import { decideBorrow, decideHeartbeat, leaseDeadline, leaseLength, overdueLeases } from './seat-rules.ts';
import type { BorrowRequest, BudgetInput } from './types.ts';
import { DatabaseUnavailableError, isConnectionError, neverSent, retryOnConnectionLoss } from '../db/unavailable.ts';

const COLUMNS = P.raw(`name, total, borrowed, commit_quantity AS "commit", max_overage AS "maxOverage", commit_price AS "commitPrice",
  overage_price_per_license AS "overagePricePerLicense", overage_cost AS "overageCost", lease_seconds AS "leaseSeconds"`);
const BORROW_COLUMNS = P.raw(
  `id, tool, "user", borrowed_at AS "borrowedAt", lease_seconds AS "leaseSeconds", expires_at AS "expiresAt", host`,
);

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
/**
 * The pool's row, locked until COMMIT: every decision about its seats waits its turn here.
 * A retired pool is not found (a borrow waiting on a retire re-checks the WHERE once it commits).
 */
const lockTool = async (tx: Tx, name: string) =>
  (await tx.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE name = ${name} AND retired_at IS NULL FOR UPDATE`)[0];

/** Releases the locked pool's overdue leases (seat-rules.ts decides which), each exactly once. */
async function expireIn(tx: Tx, tool: string, now: Date): Promise<ExpiredOutcome[]> {
  const candidates = await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE tool = ${tool} AND expires_at <= ${now}`;
  const out: ExpiredOutcome[] = [];
  for (const b of overdueLeases(candidates, now)) {
    const gone = await tx.$executeRaw`DELETE FROM borrows WHERE id = ${b.id}`;
    if (gone === 0) continue;
    const freed = (
      await tx.$queryRaw<ToolRow[]>`UPDATE tools SET borrowed = borrowed - 1 WHERE name = ${tool} AND borrowed > 0 RETURNING ${COLUMNS}`
    )[0];
    const row = freed ?? (await toolRow(tx, tool))!;
    const event = await insertEvent(tx, {
      at: now,
      type: 'expired',
      tool,
      user: b.user,
      borrowId: b.id,
      reason: null,
      borrowed: row.borrowed,
      total: row.total,
    });
    out.push({ borrow: b, row, event });
  }
  return out;
}

/** Thrown inside a borrow's transaction to roll it back (see borrow()). */
class KeyTakenMeanwhile extends Error {}

export class PrismaLicenseStore implements Store {
  constructor(private readonly prisma: Prisma) {}

  async borrow(req: BorrowRequest, id: string, now: Date): Promise<BorrowOutcome> {
    try {
      return await this.#borrow(req, id, now);
    } catch (err) {
      // The key was taken meanwhile by a borrow of another pool (whose lock this one did not
      // wait for): that attempt rolled back; once more, the key's borrow is found and answered.
      if (!(err instanceof KeyTakenMeanwhile)) throw err;
      return this.#borrow(req, id, now);
    }
  }

  #borrow(req: BorrowRequest, id: string, now: Date): Promise<BorrowOutcome> {
    const { tool, user } = req;
    return transaction(this.prisma, async (tx): Promise<BorrowOutcome> => {
      const locked = await lockTool(tx, tool);
      // Under the pool's lock: a retry racing the first borrow of its key finds it here.
      if (req.idempotencyKey) {
        const seen = (
          await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE idempotency_key = ${req.idempotencyKey}`
        )[0];
        if (seen) return { denied: null, replayed: true, borrow: seen, row: null, event: null, chargeId: null, expired: [] };
      }
      if (!locked) return { denied: 'unknown_tool', row: null, event: null, expired: [] };
      const expired = await expireIn(tx, tool, now);
      const current = expired.length > 0 ? expired[expired.length - 1]!.row : locked;
      const decision = decideBorrow(current);
      if (!decision.take) {
        const event = await insertEvent(tx, {
          at: now,
          type: 'denied',
          tool,
          user,
          borrowId: null,
          reason: decision.reason,
          borrowed: current.borrowed,
          total: current.total,
        });
        return { denied: decision.reason, row: current, event, expired };
      }
      const charge = decision.overage ? current.overagePricePerLicense : 0;
      const row = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET borrowed = ${current.borrowed + 1}, overage_cost = ${current.overageCost + charge}
        WHERE name = ${tool} RETURNING ${COLUMNS}`
      )[0]!;
      const leaseSeconds = leaseLength(req.leaseSeconds, current.leaseSeconds);
      const expiresAt = leaseDeadline(now, leaseSeconds);
      const host = req.host ?? null;
      const inserted =
        await tx.$executeRaw`INSERT INTO borrows (id, tool, "user", borrowed_at, lease_seconds, expires_at, host, idempotency_key)
        VALUES (${id}, ${tool}, ${user}, ${now}, ${leaseSeconds}, ${expiresAt}, ${host}, ${req.idempotencyKey ?? null})
        ON CONFLICT (idempotency_key) DO NOTHING`;
      if (inserted === 0) throw new KeyTakenMeanwhile();
      const chargeId = decision.overage ? randomUUID() : null;
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
      return { denied: null, row, chargeId, event, expired, borrow: { id, tool, user, borrowedAt: now, leaseSeconds, expiresAt, host } };
    });
  }

  heartbeat(id: string, now: Date): Promise<HeartbeatOutcome> {
    return transaction(this.prisma, async (tx): Promise<HeartbeatOutcome> => {
      const first = (await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ${id}`)[0];
      // Locked like every decision on the pool, then read again: the sweep may have been first.
      if (first) await lockTool(tx, first.tool);
      const b = first && (await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ${id}`)[0];
      if (!b) {
        const why = await tx.$queryRaw<unknown[]>`SELECT 1 FROM license_events WHERE borrow_id = ${id} AND type = 'expired' LIMIT 1`;
        return why.length > 0 ? { state: 'expired', expired: [] } : { state: 'unknown' };
      }
      const decision = decideHeartbeat(b, now);
      if (!decision.renew) return { state: 'expired', expired: await expireIn(tx, b.tool, now) };
      if (decision.expiresAt) await tx.$executeRaw`UPDATE borrows SET expires_at = ${decision.expiresAt} WHERE id = ${id}`;
      return { state: 'renewed', borrow: { ...b, expiresAt: decision.expiresAt } };
    });
  }

  async overdueTools(now: Date): Promise<string[]> {
    const rows = await retryOnConnectionLoss(
      () => this.prisma.$queryRaw<{ tool: string }[]>`SELECT DISTINCT tool FROM borrows WHERE expires_at <= ${now}`,
    );
    return rows.map((r) => r.tool);
  }

  expireOverdue(tool: string, now: Date): Promise<ExpiredOutcome[]> {
    return transaction(this.prisma, async (tx) => {
      if (!(await lockTool(tx, tool))) return [];
      return expireIn(tx, tool, now);
    });
  }

  return(id: string, now: Date): Promise<ReturnOutcome | null> {
    return transaction(this.prisma, async (tx): Promise<ReturnOutcome | null> => {
      // The pool is locked first, in the order every writer takes (pool, then its borrows),
      // so a return never deadlocks with the sweep releasing the same lease.
      const holder = (await tx.$queryRaw<{ tool: string }[]>`SELECT tool FROM borrows WHERE id = ${id}`)[0];
      if (!holder) return null;
      await lockTool(tx, holder.tool);
      // DELETE ... RETURNING hands the row to exactly one caller, however many race.
      const gone = (await tx.$queryRaw<BorrowRow[]>`DELETE FROM borrows WHERE id = ${id} RETURNING ${BORROW_COLUMNS}`)[0];
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
      return { borrow: gone, row, event };
    });
  }

  updateBudget(b: BudgetInput, now: Date): Promise<BudgetOutcome> {
    return transaction(this.prisma, async (tx): Promise<BudgetOutcome> => {
      const before = await toolRow(tx, b.tool);
      if (!before) return { error: 'unknown_tool' };
      const after = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET total = ${b.total}, commit_quantity = ${b.commit}, max_overage = ${b.maxOverage},
          commit_price = ${b.commitPrice}, overage_price_per_license = ${b.overagePricePerLicense}, updated_at = ${now},
          lease_seconds = CASE WHEN ${b.leaseSeconds !== undefined} THEN ${b.leaseSeconds ?? null}::integer ELSE lease_seconds END
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
        INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at, lease_seconds)
        VALUES (${b.tool}, ${b.total}, ${b.commit}, ${b.maxOverage}, ${b.commitPrice}, ${b.overagePricePerLicense}, ${now},
          ${b.leaseSeconds ?? null}::integer)
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

  async holder(id: string): Promise<string | undefined> {
    const row = await retryOnConnectionLoss(() => this.prisma.borrow.findUnique({ where: { id }, select: { user: true } }));
    return row?.user;
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
