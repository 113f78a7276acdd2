// The license tables on the direct better-sqlite3 connection: every statement prepared
// once, every write one synchronous transaction (BEGIN IMMEDIATE ... COMMIT) that never
// yields to the event loop. BEGIN IMMEDIATE takes SQLite's write lock (every process
// sharing the file waits its turn), so the rows read inside are current: the store loads
// them, seat-rules.ts decides (capacity, overage, overdue leases, heartbeats) and the store
// writes what it decided. The CHECK constraints back the capacity rule up.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { checkpointOffThread } from '../db/checkpointer.ts';
import { sqlTime } from '../db/sqlite.ts';
import type { ToolRow } from './pool-status.ts';
import { decideBorrow, decideHeartbeat, leaseDeadline, leaseLength, overdueLeases } from './seat-rules.ts';
import type { BorrowRequest, BudgetInput, DenialReason } from './types.ts';

/** What the rows of license_events hold (at as a Date, as the domain uses it). */
export interface EventRow {
  id: number;
  at: Date;
  type: string;
  tool: string;
  user: string | null;
  borrowId: string | null;
  reason: string | null;
  borrowed: number;
  total: number;
}

/** A borrow row as the domain needs it (times as Dates). */
export interface BorrowRow {
  id: string;
  tool: string;
  user: string;
  borrowedAt: Date;
  leaseSeconds: number | null;
  expiresAt: Date | null;
  host: string | null;
}

/** A lease released because it ran out, with the pool right after and its `expired` event. */
export interface ExpiredOutcome {
  borrow: BorrowRow;
  row: ToolRow;
  event: EventRow;
}

export type BorrowOutcome = (
  | { denied: null; row: ToolRow; event: EventRow; chargeId: string | null; borrow: BorrowRow }
  /** An idempotent retry: the borrow taken earlier with the same key; nothing was written. */
  | { denied: null; replayed: true; borrow: BorrowRow; row: null; event: null; chargeId: null }
  | { denied: 'unknown_tool'; row: null; event: null }
  | { denied: Exclude<DenialReason, 'unknown_tool'>; row: ToolRow; event: EventRow }
) & { expired: ExpiredOutcome[] };

export type HeartbeatOutcome =
  | { state: 'renewed'; borrow: BorrowRow }
  /** The lease was over: released now (expired holds it) or earlier (expired is empty). */
  | { state: 'expired'; expired: ExpiredOutcome[] }
  | { state: 'unknown' };

export interface ReturnOutcome {
  borrow: BorrowRow;
  row: ToolRow;
  event: EventRow;
}

export type CreateToolOutcome = { error: null; row: ToolRow; event: EventRow } | { error: 'exists'; retired: boolean };

export type RetireToolOutcome =
  | { error: null; row: ToolRow; event: EventRow }
  | { error: 'unknown_tool' }
  | { error: 'in_use'; row: ToolRow };

export type BudgetOutcome =
  | { error: 'unknown_tool' }
  | { error: 'below_borrowed'; before: ToolRow }
  | { error: null; before: ToolRow; after: ToolRow; event: EventRow };

// Tool rows come back as arrays (statement.raw()) and become objects here: better-sqlite3
// builds a keyed row through V8's API one property at a time, which cost ~8 µs of a ~16 µs
// pool-status read under load; an object literal in JS costs next to nothing.
const TOOL_COLUMNS =
  'name, total, borrowed, commit_quantity, max_overage, commit_price, overage_price_per_license, overage_cost, lease_seconds';
type RawTool = [string, number, number, number, number, number, number, number, number | null];
const toolRow = (r: RawTool): ToolRow => ({
  name: r[0],
  total: r[1],
  borrowed: r[2],
  commit: r[3],
  maxOverage: r[4],
  commitPrice: r[5],
  overagePricePerLicense: r[6],
  overageCost: r[7],
  leaseSeconds: r[8],
});
const BORROW_COLUMNS = 'id, tool, user, borrowed_at, lease_seconds, expires_at, host';
type RawBorrow = [string, string, string, string, number | null, string | null, string | null];
const borrowRow = (r: RawBorrow): BorrowRow => ({
  id: r[0],
  tool: r[1],
  user: r[2],
  borrowedAt: new Date(r[3]),
  leaseSeconds: r[4],
  expiresAt: r[5] === null ? null : new Date(r[5]),
  host: r[6],
});
const maybeToolRow = (r: unknown): ToolRow | undefined => (r === undefined ? undefined : toolRow(r as RawTool));

export class LicenseStore {
  readonly #take: Database.Statement;
  readonly #byKey: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #overdue: Database.Statement;
  readonly #overdueTools: Database.Statement;
  readonly #renew: Database.Statement;
  readonly #goneWhy: Database.Statement;
  readonly #tool: Database.Statement;
  readonly #tools: Database.Statement;
  readonly #insertBorrow: Database.Statement;
  readonly #insertCharge: Database.Statement;
  readonly #insertEvent: Database.Statement;
  readonly #deleteBorrow: Database.Statement;
  readonly #free: Database.Statement;
  readonly #setBudget: Database.Statement;
  readonly #pruneEvents: Database.Statement;
  readonly #insertTool: Database.Statement;
  readonly #toolRetired: Database.Statement;
  readonly #retireTool: Database.Statement;
  readonly #create: (b: BudgetInput, now: Date) => CreateToolOutcome;
  readonly #retire: (name: string, now: Date) => RetireToolOutcome;
  readonly #borrow: (req: BorrowRequest, id: string, now: Date) => BorrowOutcome;
  readonly #heartbeat: (id: string, now: Date) => HeartbeatOutcome;
  readonly #expire: (tool: string, now: Date) => ExpiredOutcome[];
  readonly #return: (id: string, now: Date) => ReturnOutcome | null;
  readonly #budget: (b: BudgetInput, now: Date) => BudgetOutcome;

  constructor(db: Database.Database) {
    checkpointOffThread(db);
    // Take the seat seat-rules.ts decided on, from the row read under the same lock.
    this.#take = db.prepare(`UPDATE tools SET borrowed = ?, overage_cost = ? WHERE name = ? RETURNING ${TOOL_COLUMNS}`).raw();
    this.#byKey = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE idempotency_key = ?`).raw();
    this.#byId = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ?`).raw();
    // Candidates by deadline (index borrows_tool_expires_at_idx); seat-rules.ts decides.
    this.#overdue = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE tool = ? AND expires_at <= ?`).raw();
    // By deadline: left alone, SQLite's planner scans the whole (tool, expires_at) index for
    // the DISTINCT, ~0.8 ms with 20,000 leases; this visits only the overdue ones.
    this.#overdueTools = db.prepare('SELECT DISTINCT tool FROM borrows INDEXED BY borrows_expires_at_idx WHERE expires_at <= ?').pluck();
    this.#renew = db.prepare('UPDATE borrows SET expires_at = ? WHERE id = ?');
    this.#goneWhy = db.prepare("SELECT type FROM license_events WHERE borrow_id = ? AND type IN ('expired') LIMIT 1").pluck();
    // A retired pool is gone for every read: status, metrics, borrows (404), budgets. The
    // borrow decides on this row, read under the lock, so a retired pool lends no seat.
    this.#tool = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ? AND retired_at IS NULL`).raw();
    this.#tools = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE retired_at IS NULL ORDER BY name`).raw();
    this.#insertBorrow = db.prepare(
      'INSERT INTO borrows (id, tool, user, borrowed_at, lease_seconds, expires_at, host, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertCharge = db.prepare(
      'INSERT INTO overage_charges (id, tool, borrow_id, user, charged_at, amount) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertEvent = db
      .prepare(`INSERT INTO license_events (at, type, tool, user, borrow_id, reason, borrowed, total)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      .pluck();
    // DELETE ... RETURNING hands the row to exactly one caller, however many race.
    this.#deleteBorrow = db.prepare(`DELETE FROM borrows WHERE id = ? RETURNING ${BORROW_COLUMNS}`).raw();
    this.#free = db.prepare(`UPDATE tools SET borrowed = borrowed - 1 WHERE name = ? AND borrowed > 0 RETURNING ${TOOL_COLUMNS}`).raw();
    // "Never below current borrows" is part of the WHERE clause, so a borrow cannot slip under it.
    this.#setBudget = db
      .prepare(`UPDATE tools SET total = ?, commit_quantity = ?, max_overage = ?,
        commit_price = ?, overage_price_per_license = ?, updated_at = ?,
        lease_seconds = CASE WHEN ? THEN ? ELSE lease_seconds END
      WHERE name = ? AND borrowed <= ? AND retired_at IS NULL RETURNING ${TOOL_COLUMNS}`)
      .raw();
    // Pools an admin creates and retires. The name is the key, retired or not, so a name
    // once used stays reserved for its history.
    this.#insertTool = db
      .prepare(`INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at, lease_seconds)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING ${TOOL_COLUMNS}`)
      .raw();
    this.#toolRetired = db.prepare('SELECT retired_at IS NOT NULL FROM tools WHERE name = ?').pluck();
    // "Nobody holds a seat" is part of the WHERE clause, decided inside the write transaction.
    this.#retireTool = db
      .prepare(`UPDATE tools SET retired_at = ?, updated_at = ? WHERE name = ? AND retired_at IS NULL AND borrowed = 0
      RETURNING ${TOOL_COLUMNS}`)
      .raw();

    // Retention (retention.ts): one bounded batch per statement, so the write lock is held
    // for a few milliseconds and borrows of this or another process slip in between.
    this.#pruneEvents = db.prepare('DELETE FROM license_events WHERE id IN (SELECT id FROM license_events WHERE at < ? LIMIT ?)');

    const event = (e: Omit<EventRow, 'id'>): EventRow => {
      const id = this.#insertEvent.get(sqlTime(e.at), e.type, e.tool, e.user, e.borrowId, e.reason, e.borrowed, e.total) as number;
      return { id: Number(id), ...e };
    };

    /** Releases the pool's overdue leases (seat-rules.ts decides which), each exactly once. */
    const expireIn = (tool: string, now: Date): ExpiredOutcome[] => {
      const due = overdueLeases((this.#overdue.all(tool, sqlTime(now)) as RawBorrow[]).map(borrowRow), now);
      const out: ExpiredOutcome[] = [];
      for (const b of due) {
        if (!this.#deleteBorrow.get(b.id)) continue;
        const row = (maybeToolRow(this.#free.get(b.tool)) ?? this.tool(b.tool))!;
        out.push({
          borrow: b,
          row,
          event: event({
            at: now,
            type: 'expired',
            tool: b.tool,
            user: b.user,
            borrowId: b.id,
            reason: null,
            borrowed: row.borrowed,
            total: row.total,
          }),
        });
      }
      return out;
    };
    this.#expire = db.transaction(expireIn).immediate;

    this.#borrow = db.transaction((req: BorrowRequest, id: string, now: Date): BorrowOutcome => {
      const { tool, user } = req;
      if (req.idempotencyKey) {
        const seen = this.#byKey.get(req.idempotencyKey) as RawBorrow | undefined;
        if (seen) return { denied: null, replayed: true, borrow: borrowRow(seen), row: null, event: null, chargeId: null, expired: [] };
      }
      const expired = expireIn(tool, now);
      const current = this.tool(tool);
      if (!current) return { denied: 'unknown_tool', row: null, event: null, expired };
      const decision = decideBorrow(current);
      if (!decision.take) {
        const reason = decision.reason;
        return {
          denied: reason,
          row: current,
          expired,
          event: event({ at: now, type: 'denied', tool, user, borrowId: null, reason, borrowed: current.borrowed, total: current.total }),
        };
      }
      const charge = decision.overage ? current.overagePricePerLicense : 0;
      const row = toolRow(this.#take.get(current.borrowed + 1, current.overageCost + charge, tool) as RawTool);
      const at = sqlTime(now);
      const leaseSeconds = leaseLength(req.leaseSeconds, current.leaseSeconds);
      const expiresAt = leaseDeadline(now, leaseSeconds);
      const host = req.host ?? null;
      this.#insertBorrow.run(id, tool, user, at, leaseSeconds, expiresAt && sqlTime(expiresAt), host, req.idempotencyKey ?? null);
      const chargeId = decision.overage ? randomUUID() : null;
      if (chargeId) this.#insertCharge.run(chargeId, tool, id, user, at, row.overagePricePerLicense);
      return {
        denied: null,
        row,
        chargeId,
        expired,
        borrow: { id, tool, user, borrowedAt: now, leaseSeconds, expiresAt, host },
        event: event({ at: now, type: 'borrowed', tool, user, borrowId: id, reason: null, borrowed: row.borrowed, total: row.total }),
      };
    }).immediate;

    this.#heartbeat = db.transaction((id: string, now: Date): HeartbeatOutcome => {
      const raw = this.#byId.get(id) as RawBorrow | undefined;
      if (!raw) return this.#goneWhy.get(id) ? { state: 'expired', expired: [] } : { state: 'unknown' };
      const b = borrowRow(raw);
      const decision = decideHeartbeat(b, now);
      if (!decision.renew) return { state: 'expired', expired: expireIn(b.tool, now) };
      if (decision.expiresAt) this.#renew.run(sqlTime(decision.expiresAt), id);
      return { state: 'renewed', borrow: { ...b, expiresAt: decision.expiresAt } };
    }).immediate;

    this.#return = db.transaction((id: string, now: Date): ReturnOutcome | null => {
      const raw = this.#deleteBorrow.get(id) as RawBorrow | undefined;
      if (!raw) return null;
      const gone = borrowRow(raw);
      const row = (maybeToolRow(this.#free.get(gone.tool)) ?? this.tool(gone.tool))!;
      return {
        borrow: gone,
        row,
        event: event({
          at: now,
          type: 'returned',
          tool: gone.tool,
          user: gone.user,
          borrowId: id,
          reason: null,
          borrowed: row.borrowed,
          total: row.total,
        }),
      };
    }).immediate;

    this.#budget = db.transaction((b: BudgetInput, now: Date): BudgetOutcome => {
      const before = this.tool(b.tool);
      if (!before) return { error: 'unknown_tool' };
      const after = maybeToolRow(
        this.#setBudget.get(
          b.total,
          b.commit,
          b.maxOverage,
          b.commitPrice,
          b.overagePricePerLicense,
          sqlTime(now),
          b.leaseSeconds === undefined ? 0 : 1,
          b.leaseSeconds ?? null,
          b.tool,
          b.total,
        ),
      );
      if (!after) return { error: 'below_borrowed', before };
      return {
        error: null,
        before,
        after,
        event: event({
          at: now,
          type: 'budget_changed',
          tool: b.tool,
          user: null,
          borrowId: null,
          reason: null,
          borrowed: after.borrowed,
          total: after.total,
        }),
      };
    }).immediate;

    this.#create = db.transaction((b: BudgetInput, now: Date): CreateToolOutcome => {
      const at = sqlTime(now);
      const row = maybeToolRow(
        this.#insertTool.get(b.tool, b.total, b.commit, b.maxOverage, b.commitPrice, b.overagePricePerLicense, at, b.leaseSeconds ?? null),
      );
      if (!row) return { error: 'exists', retired: this.#toolRetired.get(b.tool) === 1 };
      const e = { at: now, type: 'pool_created', tool: b.tool, user: null, borrowId: null, reason: null };
      return { error: null, row, event: event({ ...e, borrowed: row.borrowed, total: row.total }) };
    }).immediate;

    this.#retire = db.transaction((name: string, now: Date): RetireToolOutcome => {
      const at = sqlTime(now);
      const retired = maybeToolRow(this.#retireTool.get(at, at, name));
      if (!retired) {
        const current = this.tool(name);
        return current ? { error: 'in_use', row: current } : { error: 'unknown_tool' };
      }
      const row = { ...retired, retiredAt: now };
      const e = { at: now, type: 'pool_retired', tool: name, user: null, borrowId: null, reason: null };
      return { error: null, row, event: event({ ...e, borrowed: row.borrowed, total: row.total }) };
    }).immediate;
  }

  createTool(b: BudgetInput, now: Date): CreateToolOutcome {
    return this.#create(b, now);
  }
  retireTool(name: string, now: Date): RetireToolOutcome {
    return this.#retire(name, now);
  }
  borrow(req: BorrowRequest, id: string, now: Date): BorrowOutcome {
    return this.#borrow(req, id, now);
  }
  heartbeat(id: string, now: Date): HeartbeatOutcome {
    return this.#heartbeat(id, now);
  }
  /** The pools with a lease over at `now` (read without lock; expireOverdue decides under it). */
  overdueTools(now: Date): string[] {
    return this.#overdueTools.all(sqlTime(now)) as string[];
  }
  expireOverdue(tool: string, now: Date): ExpiredOutcome[] {
    return this.#expire(tool, now);
  }
  return(id: string, now: Date): ReturnOutcome | null {
    return this.#return(id, now);
  }
  updateBudget(b: BudgetInput, now: Date): BudgetOutcome {
    return this.#budget(b, now);
  }
  tool(name: string): ToolRow | undefined {
    return maybeToolRow(this.#tool.get(name));
  }
  /** Who holds the live borrow `id` (read without lock: a borrow's holder never changes). */
  holder(id: string): string | undefined {
    const r = this.#byId.get(id) as unknown[] | undefined;
    return r === undefined ? undefined : (r[2] as string);
  }
  tools(): ToolRow[] {
    return (this.#tools.all() as RawTool[]).map(toolRow);
  }
  pruneEvents(before: Date, limit: number): number {
    return this.#pruneEvents.run(sqlTime(before), limit).changes;
  }
}

/** What the domain needs of a store; the SQLite store answers synchronously. */
export type Store = {
  [K in
    | 'borrow'
    | 'return'
    | 'heartbeat'
    | 'overdueTools'
    | 'expireOverdue'
    | 'updateBudget'
    | 'createTool'
    | 'retireTool'
    | 'tool'
    | 'holder'
    | 'tools'
    | 'pruneEvents']: (...args: Parameters<LicenseStore[K]>) => ReturnType<LicenseStore[K]> | Promise<ReturnType<LicenseStore[K]>>;
};
