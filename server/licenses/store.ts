// The license tables on the direct better-sqlite3 connection: every statement prepared
// once, every write one synchronous transaction (BEGIN IMMEDIATE ... COMMIT) that never
// yields to the event loop. The capacity check and the seat update stay one conditional
// UPDATE inside that transaction, so the database, not this process, decides who gets
// the last seat; the CHECK constraints back it up.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { checkpointOffThread } from '../db/checkpointer.ts';
import { sqlTime } from '../db/sqlite.ts';
import type { ToolRow } from './pool-status.ts';
import type { BudgetInput, DenialReason } from './types.ts';

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

export type BorrowOutcome =
  | { denied: null; row: ToolRow; event: EventRow; chargeId: string | null }
  | { denied: 'unknown_tool'; row: null; event: null }
  | { denied: Exclude<DenialReason, 'unknown_tool'>; row: ToolRow; event: EventRow };

export interface ReturnOutcome {
  tool: string;
  user: string;
  borrowedAt: Date;
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
const TOOL_COLUMNS = 'name, total, borrowed, commit_quantity, max_overage, commit_price, overage_price_per_license, overage_cost';
type RawTool = [string, number, number, number, number, number, number, number];
const toolRow = (r: RawTool): ToolRow => ({
  name: r[0],
  total: r[1],
  borrowed: r[2],
  commit: r[3],
  maxOverage: r[4],
  commitPrice: r[5],
  overagePricePerLicense: r[6],
  overageCost: r[7],
});
const maybeToolRow = (r: unknown): ToolRow | undefined => (r === undefined ? undefined : toolRow(r as RawTool));

export class LicenseStore {
  readonly #take: Database.Statement;
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
  readonly #borrow: (tool: string, user: string, id: string, now: Date) => BorrowOutcome;
  readonly #return: (id: string, now: Date) => ReturnOutcome | null;
  readonly #budget: (b: BudgetInput, now: Date) => BudgetOutcome;

  constructor(db: Database.Database) {
    checkpointOffThread(db);
    // Take a seat only if one may be lent; charge overage in the same statement, from
    // the row's values before the update (SQLite evaluates SET against the old row).
    this.#take = db
      .prepare(`UPDATE tools SET
        borrowed = borrowed + 1,
        overage_cost = overage_cost + CASE WHEN borrowed >= commit_quantity THEN overage_price_per_license ELSE 0 END
      WHERE name = ? AND borrowed < total AND borrowed < commit_quantity + max_overage AND retired_at IS NULL
      RETURNING ${TOOL_COLUMNS}`)
      .raw();
    // A retired pool is gone for every read: status, metrics, borrows (404), budgets.
    this.#tool = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ? AND retired_at IS NULL`).raw();
    this.#tools = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE retired_at IS NULL ORDER BY name`).raw();
    this.#insertBorrow = db.prepare('INSERT INTO borrows (id, tool, user, borrowed_at) VALUES (?, ?, ?, ?)');
    this.#insertCharge = db.prepare(
      'INSERT INTO overage_charges (id, tool, borrow_id, user, charged_at, amount) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertEvent = db
      .prepare(`INSERT INTO license_events (at, type, tool, user, borrow_id, reason, borrowed, total)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      .pluck();
    // DELETE ... RETURNING hands the row to exactly one caller, however many race.
    this.#deleteBorrow = db.prepare('DELETE FROM borrows WHERE id = ? RETURNING tool, user, borrowed_at AS "borrowedAt"');
    this.#free = db.prepare(`UPDATE tools SET borrowed = borrowed - 1 WHERE name = ? AND borrowed > 0 RETURNING ${TOOL_COLUMNS}`).raw();
    // "Never below current borrows" is part of the WHERE clause, so a borrow cannot slip under it.
    this.#setBudget = db
      .prepare(`UPDATE tools SET total = ?, commit_quantity = ?, max_overage = ?,
        commit_price = ?, overage_price_per_license = ?, updated_at = ?
      WHERE name = ? AND borrowed <= ? AND retired_at IS NULL RETURNING ${TOOL_COLUMNS}`)
      .raw();
    // Pools an admin creates and retires. The name is the key, retired or not, so a name
    // once used stays reserved for its history.
    this.#insertTool = db
      .prepare(`INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING ${TOOL_COLUMNS}`)
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

    this.#borrow = db.transaction((tool: string, user: string, id: string, now: Date): BorrowOutcome => {
      const row = maybeToolRow(this.#take.get(tool));
      if (!row) {
        const current = this.tool(tool);
        if (!current) return { denied: 'unknown_tool', row: null, event: null };
        const reason = current.borrowed >= current.total ? ('exhausted' as const) : ('max_overage' as const);
        return {
          denied: reason,
          row: current,
          event: event({ at: now, type: 'denied', tool, user, borrowId: null, reason, borrowed: current.borrowed, total: current.total }),
        };
      }
      const at = sqlTime(now);
      this.#insertBorrow.run(id, tool, user, at);
      const chargeId = row.borrowed - 1 >= row.commit ? randomUUID() : null;
      if (chargeId) this.#insertCharge.run(chargeId, tool, id, user, at, row.overagePricePerLicense);
      return {
        denied: null,
        row,
        chargeId,
        event: event({ at: now, type: 'borrowed', tool, user, borrowId: id, reason: null, borrowed: row.borrowed, total: row.total }),
      };
    }).immediate;

    this.#return = db.transaction((id: string, now: Date): ReturnOutcome | null => {
      const gone = this.#deleteBorrow.get(id) as { tool: string; user: string; borrowedAt: string } | undefined;
      if (!gone) return null;
      const row = (maybeToolRow(this.#free.get(gone.tool)) ?? this.tool(gone.tool))!;
      return {
        tool: gone.tool,
        user: gone.user,
        borrowedAt: new Date(gone.borrowedAt),
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
        this.#setBudget.get(b.total, b.commit, b.maxOverage, b.commitPrice, b.overagePricePerLicense, sqlTime(now), b.tool, b.total),
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
      const row = maybeToolRow(this.#insertTool.get(b.tool, b.total, b.commit, b.maxOverage, b.commitPrice, b.overagePricePerLicense, at));
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
  borrow(tool: string, user: string, id: string, now: Date): BorrowOutcome {
    return this.#borrow(tool, user, id, now);
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
  tools(): ToolRow[] {
    return (this.#tools.all() as RawTool[]).map(toolRow);
  }
  pruneEvents(before: Date, limit: number): number {
    return this.#pruneEvents.run(sqlTime(before), limit).changes;
  }
}

/** What the domain needs of a store; the SQLite store answers synchronously. */
export type Store = {
  [K in 'borrow' | 'return' | 'updateBudget' | 'createTool' | 'retireTool' | 'tool' | 'tools' | 'pruneEvents']: (
    ...args: Parameters<LicenseStore[K]>
  ) => ReturnType<LicenseStore[K]> | Promise<ReturnType<LicenseStore[K]>>;
};
