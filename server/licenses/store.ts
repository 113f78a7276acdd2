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
import {
  type SeatDecision,
  decideBorrow,
  decideHeartbeat,
  goneReason,
  isOverdue,
  leaseDeadline,
  leaseLength,
  mayRetire,
  overdueLeases,
  seatsForWaiters,
  ticketLeaseLength,
} from './seat-rules.ts';
import { decideSharedBorrow, decideTeamSeat, sharesProblem, type TeamShare } from './team-rules.ts';
import {
  type OverageDecision,
  type OverageMode,
  type SlotRow,
  addToPeriod,
  decideOverage,
  dueSeatHours,
  reassignSlots,
  slotFilled,
  slotsInUse,
} from './overage-rules.ts';
import { DEFAULT_BILLING_DAY, billingPeriod } from './billing-periods.ts';
import type { BorrowRequest, BudgetInput, DenialReason, TicketState } from './types.ts';
import { inSpan } from '../observability/tracing.ts';

const SQLITE_SPAN = { 'db.system.name': 'sqlite' };

/** What the rows of license_events hold (at as a Date, as the domain uses it). */
export interface EventRow {
  id: number;
  at: Date;
  type: string;
  tool: string;
  user: string | null;
  borrowId: string | null;
  reason: string | null;
  ticketId?: string | null;
  team?: string | null;
  project?: string | null;
  /** On returned, expired and revoked events: when the borrow began (reports read seat intervals from them). */
  startedAt?: Date | null;
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
  /** The borrower's team where the pool has team shares; null otherwise. */
  team?: string | null;
  project?: string | null;
}

/** A queue ticket row (times as Dates); position is computed, 1 = head, null unless waiting. */
export interface TicketRow {
  id: string;
  tool: string;
  user: string;
  host: string | null;
  seq: number;
  queuedAt: Date;
  leaseSeconds: number;
  expiresAt: Date | null;
  state: TicketState;
  borrowId: string | null;
  position: number | null;
  team?: string | null;
  project?: string | null;
}

/**
 * What one write set in motion besides its own change, in the order it happened: leases
 * that ran out, waiters handed a freed seat, tickets that left the line because their
 * waiter went silent. Each with the pool right after it and its history event.
 */
export type Consequence =
  | { kind: 'expired'; borrow: BorrowRow; row: ToolRow; event: EventRow }
  | { kind: 'granted'; ticket: TicketRow; borrow: BorrowRow; row: ToolRow; event: EventRow; chargeId: string | null }
  | { kind: 'left_queue'; ticket: TicketRow; row: ToolRow; event: EventRow }
  /** Continuing overage use charged by the seat-hour (overage-rules.ts): the pool's cost changed, no seat did. */
  | { kind: 'charged'; row: ToolRow; charges: SeatHourCharge[]; event?: undefined };

/** One started seat-hour of continuing overage use, charged to the borrow its slot records. */
export interface SeatHourCharge {
  id: string;
  borrowId: string;
  user: string;
  at: Date;
  amount: number;
}

export type BorrowOutcome = (
  | { denied: null; row: ToolRow; event: EventRow; chargeId: string | null; borrow: BorrowRow }
  /** An idempotent retry: the borrow taken earlier with the same key; nothing was written. */
  | { denied: null; replayed: true; borrow: BorrowRow; row: null; event: null; chargeId: null }
  /** No lendable seat and the borrower asked to wait: a ticket in the line (or, replayed, the one its key holds). */
  | { denied: null; queued: TicketRow; replayed: boolean; row: ToolRow | null; event: EventRow | null }
  | { denied: 'unknown_tool'; row: null; event: null }
  | { denied: Exclude<DenialReason, 'unknown_tool'>; row: ToolRow; event: EventRow }
) & { consequences: Consequence[] };

export type HeartbeatOutcome =
  | { state: 'renewed'; borrow: BorrowRow }
  /** The lease was over: released now (consequences hold it) or earlier (they are empty). */
  | { state: 'expired'; consequences: Consequence[] }
  /** An admin force-released the seat. */
  | { state: 'revoked'; reason: string | null }
  | { state: 'unknown' };

/** A return or a revocation: the borrow, the pool right after, its event, then what the freed seat set in motion. */
export interface ReleaseOutcome {
  borrow: BorrowRow;
  row: ToolRow;
  event: EventRow;
  consequences: Consequence[];
}
export type ReturnOutcome = ReleaseOutcome;

export type TicketOutcome =
  | { state: 'found'; ticket: TicketRow; borrow: BorrowRow | null; consequences: Consequence[] }
  | { state: 'unknown' }
  /** Cancel refused: the ticket was granted its seat; return the borrow instead. */
  | { state: 'granted'; ticket: TicketRow };

export type CreateToolOutcome = { error: null; row: ToolRow; event: EventRow } | { error: 'exists'; retired: boolean };

export type RetireToolOutcome =
  | { error: null; row: ToolRow; event: EventRow }
  | { error: 'unknown_tool' }
  | { error: 'in_use'; row: ToolRow };

export type BudgetOutcome =
  | { error: 'unknown_tool' }
  | { error: 'below_borrowed'; before: ToolRow }
  /** The new budget cannot hold the pool's team reservations. */
  | { error: 'shares'; before: ToolRow; problem: string }
  | { error: null; before: ToolRow; after: ToolRow; event: EventRow; consequences: Consequence[] };

export type SharesOutcome =
  | { error: null; shares: TeamShare[]; row: ToolRow; consequences: Consequence[] }
  | { error: 'unknown_tool' }
  | { error: 'unknown_team'; team: string }
  | { error: 'impossible'; problem: string };

/** A user's team as the identity provider's groups name it (null: none); what it was before. */
export type SyncTeamOutcome = { changed: boolean; previous: { team: string; source: string } | null; teamCreated: boolean };

export type TeamOutcome =
  | { error: null }
  | { error: 'exists' | 'unknown_team' }
  /** Users already in another team (a user's borrows count for one team). */
  | { error: 'member_elsewhere'; users: { user: string; team: string }[] };

// Tool rows come back as arrays (statement.raw()) and become objects here: better-sqlite3
// builds a keyed row through V8's API one property at a time, which cost ~8 µs of a ~16 µs
// pool-status read under load; an object literal in JS costs next to nothing.
const TOOL_COLUMNS =
  'name, total, borrowed, commit_quantity, max_overage, commit_price, overage_price_per_license, overage_cost, lease_seconds, queued, shares, billing_day, overage_mode, spend_cap, period_start, period_overage_cost';
type RawTool = [
  string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number | null,
  number,
  number,
  number,
  OverageMode,
  number | null,
  string | null,
  number,
];
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
  queued: r[9],
  shares: r[10],
  billingDay: r[11],
  overageMode: r[12],
  spendCap: r[13],
  periodStart: r[14] === null ? null : new Date(r[14]),
  periodOverageCost: r[15],
});
const SLOT_COLUMNS = 'slot, paid_until, borrow_id, user, team, project';
type RawSlot = [number, string, string | null, string | null, string | null, string | null];
const slotRow = (r: RawSlot): SlotRow => ({
  slot: r[0],
  paidUntil: new Date(r[1]),
  borrowId: r[2],
  user: r[3],
  team: r[4],
  project: r[5],
});
const BORROW_COLUMNS = 'id, tool, user, borrowed_at, lease_seconds, expires_at, host, team, project';
type RawBorrow = [string, string, string, string, number | null, string | null, string | null, string | null, string | null];
const borrowRow = (r: RawBorrow): BorrowRow => ({
  id: r[0],
  tool: r[1],
  user: r[2],
  borrowedAt: new Date(r[3]),
  leaseSeconds: r[4],
  expiresAt: r[5] === null ? null : new Date(r[5]),
  host: r[6],
  team: r[7],
  project: r[8],
});
const TICKET_COLUMNS = 'id, tool, user, host, seq, queued_at, lease_seconds, expires_at, state, borrow_id, team, project';
type RawTicket = [
  string,
  string,
  string,
  string | null,
  number,
  string,
  number,
  string | null,
  TicketState,
  string | null,
  string | null,
  string | null,
];
const ticketRow = (r: RawTicket, position: number | null = null): TicketRow => ({
  id: r[0],
  tool: r[1],
  user: r[2],
  host: r[3],
  seq: r[4],
  queuedAt: new Date(r[5]),
  leaseSeconds: r[6],
  expiresAt: r[7] === null ? null : new Date(r[7]),
  state: r[8],
  borrowId: r[9],
  position,
  team: r[10],
  project: r[11],
});
// Pools the sweep visits for billing besides overdue leases: per_seat_hour pools with a slot in
// use whose paid hour ran out (its next hour is charged), and capped pools whose line waits
// while seats are free (the cap may have lifted with a new period).
const SWEEP_BILLING = `SELECT s.tool FROM overage_slots s JOIN tools t ON t.name = s.tool
  WHERE s.paid_until <= ? AND t.overage_mode = 'per_seat_hour' AND t.retired_at IS NULL AND s.slot <= t.borrowed - t.commit_quantity
  UNION SELECT name FROM tools WHERE queued > 0 AND spend_cap IS NOT NULL AND retired_at IS NULL
    AND borrowed < min(total, commit_quantity + max_overage)`;
const maybeToolRow = (r: unknown): ToolRow | undefined => (r === undefined ? undefined : toolRow(r as RawTool));

export class LicenseStore {
  readonly #tool: Database.Statement;
  readonly #tools: Database.Statement;
  readonly #pruneEvents: Database.Statement;
  readonly #pruneTickets: Database.Statement;
  readonly #overdueTools: Database.Statement;
  readonly #create: (b: BudgetInput, now: Date) => CreateToolOutcome;
  readonly #retire: (name: string, now: Date) => RetireToolOutcome;
  readonly #borrow: (req: BorrowRequest, id: string, now: Date) => BorrowOutcome;
  readonly #heartbeat: (id: string, now: Date) => HeartbeatOutcome;
  readonly #expire: (tool: string, now: Date) => Consequence[];
  readonly #return: (id: string, now: Date) => ReleaseOutcome | null;
  readonly #revoke: (id: string, reason: string, now: Date) => ReleaseOutcome | null;
  readonly #budget: (b: BudgetInput, now: Date) => BudgetOutcome;
  readonly #pollTicket: (id: string, now: Date) => TicketOutcome;
  readonly #cancelTicket: (id: string, now: Date) => TicketOutcome;
  readonly #setShares: (tool: string, shares: TeamShare[], now: Date) => SharesOutcome;
  readonly #createTeam: (name: string, now: Date) => TeamOutcome;
  readonly #deleteTeam: (name: string, now: Date) => TeamOutcome;
  readonly #setMembers: (team: string, users: string[], now: Date) => TeamOutcome;
  readonly #syncTeam: (user: string, team: string | null, now: Date) => SyncTeamOutcome;

  // The auth rules ask who holds a seat or ticket before a user touches it (server/auth/).
  readonly #holder: Database.Statement;
  readonly #ticketHolder: Database.Statement;

  constructor(db: Database.Database) {
    this.#holder = db.prepare('SELECT user FROM borrows WHERE id = ?').pluck();
    this.#ticketHolder = db.prepare('SELECT user FROM queue_tickets WHERE id = ?').pluck();
    checkpointOffThread(db);
    // Take the seat seat-rules.ts decided on, from the row read under the same lock.
    const take = db
      .prepare(
        `UPDATE tools SET borrowed = ?, overage_cost = ?, period_start = ?, period_overage_cost = ? WHERE name = ? RETURNING ${TOOL_COLUMNS}`,
      )
      .raw();
    // A waiter's grant: the seat taken and the ticket out of the line in one statement.
    const grantSeat = db
      .prepare(`UPDATE tools SET borrowed = ?, overage_cost = ?, period_start = ?, period_overage_cost = ?, queued = queued - 1
        WHERE name = ? RETURNING ${TOOL_COLUMNS}`)
      .raw();
    const byKey = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE idempotency_key = ?`).raw();
    const byId = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ?`).raw();
    // Candidates by deadline (index borrows_tool_expires_at_idx); seat-rules.ts decides.
    const overdue = db.prepare(`SELECT ${BORROW_COLUMNS} FROM borrows WHERE tool = ? AND expires_at <= ?`).raw();
    // By deadline: left alone, SQLite's planner scans the whole (tool, expires_at) index for
    // the DISTINCT, ~0.8 ms with 20,000 leases; this visits only the overdue ones. Ended
    // tickets have no deadline, so only waiting ones can be overdue.
    this.#overdueTools = db
      .prepare(`SELECT tool FROM borrows INDEXED BY borrows_expires_at_idx WHERE expires_at <= ?
        UNION SELECT tool FROM queue_tickets INDEXED BY queue_tickets_expires_at_idx WHERE expires_at <= ?
        UNION ${SWEEP_BILLING}`)
      .pluck();
    const renew = db.prepare('UPDATE borrows SET expires_at = ? WHERE id = ?');
    // Why a borrow is gone: the last event about it.
    const lastEvent = db
      .prepare("SELECT type, reason FROM license_events WHERE borrow_id = ? AND type IN ('expired', 'revoked') ORDER BY id DESC LIMIT 1")
      .raw();
    // A retired pool is gone for every read: status, metrics, borrows (404), budgets. The
    // borrow decides on this row, read under the lock, so a retired pool lends no seat.
    this.#tool = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE name = ? AND retired_at IS NULL`).raw();
    this.#tools = db.prepare(`SELECT ${TOOL_COLUMNS} FROM tools WHERE retired_at IS NULL ORDER BY name`).raw();
    const insertBorrow = db.prepare(
      `INSERT INTO borrows (id, tool, user, borrowed_at, lease_seconds, expires_at, host, idempotency_key, team, project)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertCharge = db.prepare(
      'INSERT INTO overage_charges (id, tool, borrow_id, user, charged_at, amount, team, project, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Seat-hour slots (overage-rules.ts decides with them; only per_seat_hour pools read them).
    const slotPaidUntil = db.prepare('SELECT paid_until FROM overage_slots WHERE tool = ? AND slot = ?').pluck();
    const slotsOf = db.prepare(`SELECT ${SLOT_COLUMNS} FROM overage_slots WHERE tool = ? AND slot <= ? ORDER BY slot`).raw();
    const fillSlot =
      db.prepare(`INSERT INTO overage_slots (tool, slot, paid_until, borrow_id, user, team, project) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tool, slot) DO UPDATE SET paid_until = coalesce(?, paid_until), borrow_id = excluded.borrow_id,
        user = excluded.user, team = excluded.team, project = excluded.project`);
    const setSlotPaid = db.prepare('UPDATE overage_slots SET paid_until = ? WHERE tool = ? AND slot = ?');
    const setSlotHolder = db.prepare('UPDATE overage_slots SET borrow_id = ?, user = ?, team = ?, project = ? WHERE tool = ? AND slot = ?');
    const dropSlots = db.prepare('DELETE FROM overage_slots WHERE tool = ?');
    const addCharges = db
      .prepare(
        `UPDATE tools SET overage_cost = overage_cost + ?, period_start = ?, period_overage_cost = ? WHERE name = ? RETURNING ${TOOL_COLUMNS}`,
      )
      .raw();
    const setPeriod = db.prepare('UPDATE tools SET period_start = ?, period_overage_cost = ? WHERE name = ?');
    const spentBetween = db
      .prepare('SELECT coalesce(sum(amount), 0) FROM overage_charges WHERE tool = ? AND charged_at >= ? AND charged_at < ?')
      .pluck();
    const insertEvent = db
      .prepare(`INSERT INTO license_events (at, type, tool, user, borrow_id, reason, ticket_id, team, project, started_at, borrowed, total)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      .pluck();
    // DELETE ... RETURNING hands the row to exactly one caller, however many race.
    const deleteBorrow = db.prepare(`DELETE FROM borrows WHERE id = ? RETURNING ${BORROW_COLUMNS}`).raw();
    const free = db.prepare(`UPDATE tools SET borrowed = borrowed - 1 WHERE name = ? AND borrowed > 0 RETURNING ${TOOL_COLUMNS}`).raw();
    // "Never below current borrows" is part of the WHERE clause, so a borrow cannot slip under it.
    const setBudget = db
      .prepare(`UPDATE tools SET total = ?, commit_quantity = ?, max_overage = ?,
        commit_price = ?, overage_price_per_license = ?, updated_at = ?,
        lease_seconds = CASE WHEN ? THEN ? ELSE lease_seconds END,
        billing_day = coalesce(?, billing_day), overage_mode = coalesce(?, overage_mode),
        spend_cap = CASE WHEN ? THEN ? ELSE spend_cap END
      WHERE name = ? AND borrowed <= ? AND retired_at IS NULL RETURNING ${TOOL_COLUMNS}`)
      .raw();
    // Pools an admin creates and retires. The name is the key, retired or not, so a name
    // once used stays reserved for its history.
    const insertTool = db
      .prepare(`INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at, lease_seconds,
        billing_day, overage_mode, spend_cap)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING ${TOOL_COLUMNS}`)
      .raw();
    const toolRetired = db.prepare('SELECT retired_at IS NOT NULL FROM tools WHERE name = ?').pluck();
    const retireTool = db.prepare(`UPDATE tools SET retired_at = ?, updated_at = ? WHERE name = ? RETURNING ${TOOL_COLUMNS}`).raw();

    // The line (queue_tickets_tool_state_seq_idx).
    const ticketById = db.prepare(`SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE id = ?`).raw();
    const ticketByKey = db.prepare(`SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE idempotency_key = ?`).raw();
    const position = db.prepare("SELECT count(*) FROM queue_tickets WHERE tool = ? AND state = 'waiting' AND seq <= ?").pluck();
    const nextSeq = db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM queue_tickets WHERE tool = ?').pluck();
    const overdueTickets = db
      .prepare(`SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE tool = ? AND state = 'waiting' AND expires_at <= ? ORDER BY seq`)
      .raw();
    const insertTicket = db.prepare(`INSERT INTO queue_tickets
      (id, tool, user, host, seq, queued_at, lease_seconds, expires_at, state, idempotency_key, team, project)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)`);
    // A pool's line in order, with each ticket's idempotency key (its grant's borrow takes
    // it over): the head alone, or for pools with team shares the first 1,000 waiters.
    const line = db
      .prepare(`SELECT ${TICKET_COLUMNS}, idempotency_key FROM queue_tickets WHERE tool = ? AND state = 'waiting' ORDER BY seq LIMIT ?`)
      .raw();
    // Team shares (team-rules.ts decides with them).
    const teamOfUser = db.prepare('SELECT team FROM team_members WHERE user = ?').pluck();
    const sharesOf = db.prepare('SELECT team, reserved, max FROM pool_shares WHERE tool = ?').raw();
    const heldBy = db.prepare('SELECT team, count(*) FROM borrows WHERE tool = ? AND team IS NOT NULL GROUP BY team').raw();
    const joinLine = db.prepare(`UPDATE tools SET queued = queued + 1 WHERE name = ? RETURNING ${TOOL_COLUMNS}`).raw();
    const leaveLine = db.prepare(`UPDATE tools SET queued = queued - 1 WHERE name = ? AND queued > 0 RETURNING ${TOOL_COLUMNS}`).raw();
    // A ticket ends once: only a waiting one changes state; its key is free again (a later
    // borrow with it is a new request), its deadline gone (the sweep no longer sees it).
    const endTicket = db.prepare(`UPDATE queue_tickets SET state = ?, ended_at = ?, expires_at = NULL, idempotency_key = NULL, borrow_id = ?
      WHERE id = ? AND state = 'waiting'`);
    const renewTicket = db.prepare("UPDATE queue_tickets SET expires_at = ? WHERE id = ? AND state = 'waiting'");

    // Retention (retention.ts): one bounded batch per statement, so the write lock is held
    // for a few milliseconds and borrows of this or another process slip in between.
    this.#pruneEvents = db.prepare('DELETE FROM license_events WHERE id IN (SELECT id FROM license_events WHERE at < ? LIMIT ?)');
    this.#pruneTickets = db.prepare('DELETE FROM queue_tickets WHERE id IN (SELECT id FROM queue_tickets WHERE ended_at < ? LIMIT ?)');

    const event = (e: Omit<EventRow, 'id'>): EventRow => {
      const id = insertEvent.get(
        ...[sqlTime(e.at), e.type, e.tool, e.user, e.borrowId, e.reason, e.ticketId ?? null],
        ...[e.team ?? null, e.project ?? null, e.startedAt ? sqlTime(e.startedAt) : null, e.borrowed, e.total],
      );
      return { id: Number(id), ...e };
    };
    const poolEvent = (type: string, row: ToolRow, now: Date, more: Partial<Omit<EventRow, 'id'>> = {}) =>
      event({ at: now, type, tool: row.name, user: null, borrowId: null, reason: null, borrowed: row.borrowed, total: row.total, ...more });
    const current = (tool: string) => maybeToolRow(this.#tool.get(tool));
    const withPosition = (raw: RawTicket): TicketRow => {
      const t = ticketRow(raw);
      return t.state === 'waiting' ? { ...t, position: position.get(t.tool, t.seq) as number } : t;
    };

    /** Takes a waiting ticket out of the line (cancelled, or expired because its waiter went silent). */
    const leave = (t: TicketRow, state: 'expired' | 'cancelled', now: Date): Consequence => {
      endTicket.run(state, sqlTime(now), null, t.id);
      const row = (maybeToolRow(leaveLine.get(t.tool)) ?? current(t.tool))!;
      const ended = { ...t, state, expiresAt: null, position: null };
      const e = poolEvent('left_queue', row, now, { user: t.user, reason: state, ticketId: t.id });
      return { kind: 'left_queue', ticket: ended, row, event: e };
    };

    /** The overage part of a seat the pool's limits allow (overage-rules.ts): its charge, the slot it fills, or the cap's refusal. */
    const overageOf = (pool: ToolRow, now: Date): { decision: OverageDecision; slot: number | null } => {
      const slot = pool.overageMode === 'per_seat_hour' ? slotFilled(pool.borrowed, pool.commit) : null;
      const paid = slot === null ? undefined : (slotPaidUntil.get(pool.name, slot) as string | undefined);
      return { decision: decideOverage(pool, paid === undefined ? null : new Date(paid), now), slot };
    };

    /** Takes one seat: the pool's count, cost and this period's spend in one UPDATE (`stmt`: take, or grantSeat for a waiter). */
    const takeSeat = (stmt: Database.Statement, pool: ToolRow, overage: OverageDecision | null, now: Date): ToolRow => {
      const amount = overage?.take && overage.charge ? overage.charge.amount : 0;
      const period = amount > 0 ? addToPeriod(pool, now, [{ at: now, amount }]) : pool;
      const start = period.periodStart && sqlTime(period.periodStart);
      return toolRow(stmt.get(pool.borrowed + 1, pool.overageCost + amount, start, period.periodOverageCost, pool.name) as RawTool);
    };

    /** After the borrow row exists: its charge row and, per seat-hour, the slot it fills. Returns the charge's id. */
    const recordOverage = (
      tool: string,
      overage: { decision: OverageDecision; slot: number | null },
      b: { id: string; user: string; team: string | null; project: string | null },
      now: Date,
    ): string | null => {
      const d = overage.decision;
      if (!d.take) return null;
      if (overage.slot !== null) {
        const paid = d.paidUntil && sqlTime(d.paidUntil);
        fillSlot.run(tool, overage.slot, paid ?? sqlTime(now), b.id, b.user, b.team, b.project, paid);
      }
      if (!d.charge) return null;
      const id = randomUUID();
      insertCharge.run(id, tool, b.id, b.user, sqlTime(now), d.charge.amount, b.team, b.project, d.charge.kind);
      return id;
    };

    /** Continuing overage use of a per_seat_hour pool: charges the started hours of slots 1..inUse (overage-rules.ts). */
    const settle = (pool: ToolRow, inUse: number, now: Date): { row: ToolRow; charges: SeatHourCharge[] } => {
      if (pool.overageMode !== 'per_seat_hour' || inUse === 0) return { row: pool, charges: [] };
      const due = dueSeatHours((slotsOf.all(pool.name, inUse) as RawSlot[]).map(slotRow), inUse, now);
      const charges: SeatHourCharge[] = [];
      for (const { slot, hours, paidUntil } of due) {
        setSlotPaid.run(sqlTime(paidUntil), pool.name, slot.slot);
        if (slot.borrowId === null) continue;
        for (const at of hours) {
          const c = { id: randomUUID(), borrowId: slot.borrowId, user: slot.user ?? '', at, amount: pool.overagePricePerLicense };
          insertCharge.run(c.id, pool.name, c.borrowId, c.user, sqlTime(at), c.amount, slot.team, slot.project, 'seat_hour');
          charges.push(c);
        }
      }
      if (charges.length === 0) return { row: pool, charges };
      const sum = charges.reduce((n, c) => n + c.amount, 0);
      const period = addToPeriod(pool, now, charges);
      return { row: toolRow(addCharges.get(sum, sqlTime(period.periodStart), period.periodOverageCost, pool.name) as RawTool), charges };
    };

    /**
     * Borrows `gone` left a per_seat_hour pool that held `borrowedBefore` seats: hours their
     * slots started are charged first, then slots still in use whose borrow left are charged
     * to the seats that moved into them.
     */
    const afterLeaving = (row: ToolRow, gone: readonly BorrowRow[], borrowedBefore: number, now: Date): ToolRow => {
      const before = slotsInUse(borrowedBefore, row.commit);
      if (before === 0) return row;
      const settled = settle(row, before, now).row;
      const slots = (slotsOf.all(row.name, before) as RawSlot[]).map(slotRow);
      for (const s of reassignSlots(slots, slotsInUse(row.borrowed, row.commit), new Set(gone.map((b) => b.id)))) {
        setSlotHolder.run(s.borrowId, s.user, s.team, s.project, row.name, s.slot);
      }
      return settled;
    };

    /** The team rows of a pool with shares, read under its lock. */
    const teamsOf = (tool: string) => ({
      shares: (sharesOf.all(tool) as [string, number, number | null][]).map(([team, reserved, max]) => ({ team, reserved, max })),
      held: new Map(heldBy.all(tool) as [string, number][]),
    });

    /**
     * The next waiter to seat: the head of the line; in a pool with team shares, the first
     * waiter in line the team rules let take a seat (a freed reserved seat goes to that
     * team's first waiter, a team at its maximum waits). Silent waiters met on the way leave.
     */
    const nextWaiter = (pool: ToolRow, now: Date, out: Consequence[]): { t: TicketRow; key: string | null } | null => {
      const teams = pool.shares ? teamsOf(pool.name) : null;
      for (const raw of line.all(pool.name, teams ? 1000 : 1) as [...RawTicket, string | null][]) {
        const t = ticketRow(raw as unknown as RawTicket);
        if (isOverdue(t.expiresAt, now)) {
          out.push(leave(t, 'expired', now));
          return null;
        }
        if (!teams || decideTeamSeat(pool, teams.shares, teams.held, t.team ?? null).take) return { t, key: raw[12] };
      }
      return null;
    };

    /**
     * Hands freed seats to the line in the transaction that freed them: as many as
     * seatsForWaiters allows, to the waiters nextWaiter picks.
     */
    const serveLine = (tool: string, now: Date, out: Consequence[]): void => {
      for (;;) {
        const pool = current(tool);
        if (!pool || seatsForWaiters(pool) === 0) return;
        const left = out.length;
        const next = nextWaiter(pool, now, out);
        if (!next) {
          if (out.length > left) continue; // a silent waiter left: look again
          return; // seats free, but no waiter may take them (team rules)
        }
        const { t, key } = next;
        const decision = decideBorrow({ ...pool, queued: 0 }); // the waiter is the line
        if (!decision.take) return;
        const overage = decision.overage ? overageOf(pool, now) : null;
        if (overage && !overage.decision.take) return; // past the spend cap: the waiter keeps waiting
        const row = takeSeat(grantSeat, pool, overage?.decision ?? null, now);
        const id = randomUUID();
        const expiresAt = leaseDeadline(now, t.leaseSeconds);
        const team = t.team ?? null;
        const project = t.project ?? null;
        endTicket.run('granted', sqlTime(now), id, t.id);
        insertBorrow.run(id, tool, t.user, sqlTime(now), t.leaseSeconds, expiresAt && sqlTime(expiresAt), t.host, key, team, project);
        const chargeId = overage ? recordOverage(tool, overage, { id, user: t.user, team, project }, now) : null;
        const borrow: BorrowRow = {
          ...{ id, tool, user: t.user, borrowedAt: now, leaseSeconds: t.leaseSeconds, expiresAt, host: t.host },
          ...{ team, project },
        };
        const e = poolEvent('granted', row, now, { user: t.user, borrowId: id, ticketId: t.id, team, project });
        out.push({
          kind: 'granted',
          ticket: { ...t, state: 'granted', expiresAt: null, position: null, borrowId: id },
          borrow,
          row,
          event: e,
          chargeId,
        });
      }
    };

    /** Frees a seat held by `b` (already deleted) and records why; the line is served after. */
    const release = (b: BorrowRow, type: 'expired' | 'returned' | 'revoked', now: Date, reason: string | null = null) => {
      let row = (maybeToolRow(free.get(b.tool)) ?? current(b.tool))!;
      if (row.overageMode === 'per_seat_hour') row = afterLeaving(row, [b], row.borrowed + 1, now);
      // The end event carries the borrow's start, team and project: a seat interval for reports.
      const seat = { startedAt: b.borrowedAt, team: b.team ?? null, project: b.project ?? null };
      return { row, event: poolEvent(type, row, now, { user: b.user, borrowId: b.id, reason, ...seat }) };
    };

    /**
     * Releases the pool's overdue leases (seat-rules.ts decides which), each exactly once,
     * takes silent waiters out of its line, and hands the freed seats to the line.
     */
    const expireIn = (tool: string, now: Date, locked?: ToolRow): Consequence[] => {
      const out: Consequence[] = [];
      // Continuing seat-hours (the sweep visits per_seat_hour pools whose paid hour ran out).
      const pool = locked ?? current(tool);
      if (pool?.overageMode === 'per_seat_hour') {
        const { row, charges } = settle(pool, slotsInUse(pool.borrowed, pool.commit), now);
        if (charges.length > 0) out.push({ kind: 'charged', row, charges });
      }
      for (const b of overdueLeases((overdue.all(tool, sqlTime(now)) as RawBorrow[]).map(borrowRow), now)) {
        if (!deleteBorrow.get(b.id)) continue;
        out.push({ kind: 'expired', borrow: b, ...release(b, 'expired', now) });
      }
      for (const raw of overdueTickets.all(tool, sqlTime(now)) as RawTicket[]) out.push(leave(ticketRow(raw), 'expired', now));
      serveLine(tool, now, out);
      return out;
    };
    this.#expire = db.transaction((tool: string, now: Date) => expireIn(tool, now)).immediate;

    this.#borrow = db.transaction((req: BorrowRequest, id: string, now: Date): BorrowOutcome => {
      const { tool, user } = req;
      if (req.idempotencyKey) {
        const seen = byKey.get(req.idempotencyKey) as RawBorrow | undefined;
        if (seen)
          return { denied: null, replayed: true, borrow: borrowRow(seen), row: null, event: null, chargeId: null, consequences: [] };
        const waiting = req.queue ? (ticketByKey.get(req.idempotencyKey) as RawTicket | undefined) : undefined;
        if (waiting) return { denied: null, queued: withPosition(waiting), replayed: true, row: null, event: null, consequences: [] };
      }
      let pool = current(tool);
      if (!pool) return { denied: 'unknown_tool', row: null, event: null, consequences: [] };
      // Continuing seat-hours first, so this period's spend is current (per_seat_hour pools only).
      if (pool.overageMode === 'per_seat_hour') pool = settle(pool, slotsInUse(pool.borrowed, pool.commit), now).row;
      let decision: SeatDecision = decideBorrow(pool);
      let consequences: Consequence[] = [];
      // Overdue leases matter only when they are what stands in the way: then they are
      // released now (their seats go to the line first), not at the next sweep.
      if (!decision.take) {
        consequences = expireIn(tool, now, pool);
        if (consequences.length > 0) {
          pool = current(tool)!;
          decision = decideBorrow(pool);
        }
      }
      // The borrower's team is recorded with every seat (reports count seat-hours per team);
      // team rules apply only in a pool with shares (plain pools skip every read below).
      const team = (teamOfUser.get(user) as string | undefined) ?? null;
      if (pool.shares && (decision.take || decision.reason === 'queue_ahead')) {
        // Waiters the team rules let take a free seat get it first; those still in line
        // after that may not take the free seats: they do not stand in this borrower's way.
        if (!decision.take) {
          serveLine(tool, now, consequences);
          pool = current(tool)!;
        }
        const { shares, held } = teamsOf(tool);
        decision = decideSharedBorrow(pool, shares, held, team);
      }
      const project = req.project ?? null;
      // A seat beyond commit: what it costs, and whether the spend cap lets it go ahead.
      const overage = decision.take && decision.overage ? overageOf(pool, now) : null;
      if (overage && !overage.decision.take) decision = overage.decision;
      if (!decision.take) {
        if (req.queue) {
          const leaseSeconds = ticketLeaseLength(req.leaseSeconds, pool.leaseSeconds);
          const at = sqlTime(now);
          const expiresAt = leaseDeadline(now, leaseSeconds)!;
          const seq = nextSeq.get(tool) as number;
          const host = req.host ?? null;
          insertTicket.run(id, tool, user, host, seq, at, leaseSeconds, sqlTime(expiresAt), req.idempotencyKey ?? null, team, project);
          const row = toolRow(joinLine.get(tool) as RawTool);
          const ticket: TicketRow = {
            ...{ id, tool, user, host, seq, queuedAt: now, leaseSeconds, expiresAt, state: 'waiting', borrowId: null },
            ...{ position: position.get(tool, seq) as number, team, project },
          };
          const e = poolEvent('queued', row, now, { user, ticketId: id, team, project });
          return { denied: null, queued: ticket, replayed: false, row, event: e, consequences };
        }
        const reason = decision.reason;
        return { denied: reason, row: pool, consequences, event: poolEvent('denied', pool, now, { user, reason, team, project }) };
      }
      const row = takeSeat(take, pool, overage?.decision ?? null, now);
      const at = sqlTime(now);
      const leaseSeconds = leaseLength(req.leaseSeconds, pool.leaseSeconds);
      const expiresAt = leaseDeadline(now, leaseSeconds);
      const host = req.host ?? null;
      insertBorrow.run(id, tool, user, at, leaseSeconds, expiresAt && sqlTime(expiresAt), host, req.idempotencyKey ?? null, team, project);
      const chargeId = overage ? recordOverage(tool, overage, { id, user, team, project }, now) : null;
      return {
        denied: null,
        row,
        chargeId,
        consequences,
        borrow: { id, tool, user, borrowedAt: now, leaseSeconds, expiresAt, host, team, project },
        event: poolEvent('borrowed', row, now, { user, borrowId: id, team, project }),
      };
    }).immediate;

    const whyGone = (id: string): HeartbeatOutcome => {
      const last = lastEvent.get(id) as [string, string | null] | undefined;
      const why = goneReason(last?.[0]);
      if (why === 'revoked') return { state: 'revoked', reason: last?.[1] ?? null };
      if (why === 'expired') return { state: 'expired', consequences: [] };
      return { state: 'unknown' };
    };

    this.#heartbeat = db.transaction((id: string, now: Date): HeartbeatOutcome => {
      const raw = byId.get(id) as RawBorrow | undefined;
      if (!raw) return whyGone(id);
      const b = borrowRow(raw);
      const decision = decideHeartbeat(b, now);
      if (!decision.renew) return { state: 'expired', consequences: expireIn(b.tool, now) };
      if (decision.expiresAt) renew.run(sqlTime(decision.expiresAt), id);
      return { state: 'renewed', borrow: { ...b, expiresAt: decision.expiresAt } };
    }).immediate;

    const releaseBy =
      (type: 'returned' | 'revoked') =>
      (id: string, reason: string | null, now: Date): ReleaseOutcome | null => {
        const raw = deleteBorrow.get(id) as RawBorrow | undefined;
        if (!raw) return null;
        const gone = borrowRow(raw);
        const { row, event: e } = release(gone, type, now, reason);
        const consequences: Consequence[] = [];
        // queued comes back with the row the release updated: only a pool with waiters looks further.
        if (row.queued > 0) serveLine(gone.tool, now, consequences);
        return { borrow: gone, row, event: e, consequences };
      };
    const returned = releaseBy('returned');
    this.#return = db.transaction((id: string, now: Date) => returned(id, null, now)).immediate;
    this.#revoke = db.transaction(releaseBy('revoked')).immediate;

    this.#budget = db.transaction((b: BudgetInput, now: Date): BudgetOutcome => {
      let before = current(b.tool);
      if (!before) return { error: 'unknown_tool' };
      // Hours already started are charged under the settings they started with.
      if (before.overageMode === 'per_seat_hour') before = settle(before, slotsInUse(before.borrowed, before.commit), now).row;
      if (before.shares) {
        const problem = sharesProblem(teamsOf(b.tool).shares, b);
        if (problem) return { error: 'shares', before, problem };
      }
      let after = maybeToolRow(
        setBudget.get(
          b.total,
          b.commit,
          b.maxOverage,
          b.commitPrice,
          b.overagePricePerLicense,
          sqlTime(now),
          b.leaseSeconds === undefined ? 0 : 1,
          b.leaseSeconds ?? null,
          b.billingDay ?? null,
          b.overageMode ?? null,
          b.spendCap === undefined ? 0 : 1,
          b.spendCap ?? null,
          b.tool,
          b.total,
        ),
      );
      if (!after) return { error: 'below_borrowed', before };
      // Slots belong to one mode: switching drops them (seats held now start no hour until filled again).
      if (after.overageMode !== before.overageMode) dropSlots.run(b.tool);
      // A new billing day moves the period: its spend is counted again from the charges.
      if (after.billingDay !== before.billingDay) {
        const p = billingPeriod(now, after.billingDay);
        const spent = spentBetween.get(b.tool, sqlTime(p.start), sqlTime(p.end)) as number;
        setPeriod.run(sqlTime(p.start), spent, b.tool);
        after = current(b.tool)!;
      }
      const e = poolEvent('budget_changed', after, now);
      // A budget that grows seats the line at once.
      const consequences: Consequence[] = [];
      if (after.queued > 0) serveLine(b.tool, now, consequences);
      return { error: null, before, after, event: e, consequences };
    }).immediate;

    this.#create = db.transaction((b: BudgetInput, now: Date): CreateToolOutcome => {
      const at = sqlTime(now);
      const row = maybeToolRow(
        insertTool.get(
          ...[b.tool, b.total, b.commit, b.maxOverage, b.commitPrice, b.overagePricePerLicense, at, b.leaseSeconds ?? null],
          ...[b.billingDay ?? DEFAULT_BILLING_DAY, b.overageMode ?? 'per_borrow', b.spendCap ?? null],
        ),
      );
      if (!row) return { error: 'exists', retired: toolRetired.get(b.tool) === 1 };
      return { error: null, row, event: poolEvent('pool_created', row, now) };
    }).immediate;

    this.#retire = db.transaction((name: string, now: Date): RetireToolOutcome => {
      const pool = current(name);
      if (!pool) return { error: 'unknown_tool' };
      // Leases already over and silent waiters do not keep a pool alive.
      const after = expireIn(name, now).length > 0 ? current(name)! : pool;
      if (!mayRetire(after)) return { error: 'in_use', row: after };
      const at = sqlTime(now);
      const row = { ...toolRow(retireTool.get(at, at, name) as RawTool), retiredAt: now };
      return { error: null, row, event: poolEvent('pool_retired', row, now) };
    }).immediate;

    this.#pollTicket = db.transaction((id: string, now: Date): TicketOutcome => {
      const raw = ticketById.get(id) as RawTicket | undefined;
      if (!raw) return { state: 'unknown' };
      const t = ticketRow(raw);
      if (t.state === 'waiting') {
        if (isOverdue(t.expiresAt, now)) {
          const consequences = expireIn(t.tool, now);
          return { state: 'found', ticket: withPosition(ticketById.get(id) as RawTicket), borrow: null, consequences };
        }
        renewTicket.run(sqlTime(leaseDeadline(now, t.leaseSeconds)!), id);
        return {
          state: 'found',
          ticket: { ...withPosition(raw), expiresAt: leaseDeadline(now, t.leaseSeconds) },
          borrow: null,
          consequences: [],
        };
      }
      const held = t.borrowId ? (byId.get(t.borrowId) as RawBorrow | undefined) : undefined;
      return { state: 'found', ticket: t, borrow: held ? borrowRow(held) : null, consequences: [] };
    }).immediate;

    this.#cancelTicket = db.transaction((id: string, now: Date): TicketOutcome => {
      const raw = ticketById.get(id) as RawTicket | undefined;
      if (!raw) return { state: 'unknown' };
      const t = ticketRow(raw);
      if (t.state === 'granted') return { state: 'granted', ticket: t };
      if (t.state !== 'waiting') return { state: 'found', ticket: t, borrow: null, consequences: [] };
      const left = leave(t, 'cancelled', now) as Extract<Consequence, { kind: 'left_queue' }>;
      return { state: 'found', ticket: left.ticket, borrow: null, consequences: [left] };
    }).immediate;

    // Teams and shares. A pool's shares change under its lock; tools.shares keeps their
    // count, so borrows of pools without shares never read the team tables.
    const teamExists = db.prepare('SELECT 1 FROM teams WHERE name = ?').pluck();
    const insertTeam = db.prepare('INSERT INTO teams (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
    const dropShares = db.prepare('DELETE FROM pool_shares WHERE tool = ?');
    const insertShare = db.prepare('INSERT INTO pool_shares (tool, team, reserved, max) VALUES (?, ?, ?, ?)');
    const setShareCount = db.prepare(`UPDATE tools SET shares = ? WHERE name = ? RETURNING ${TOOL_COLUMNS}`).raw();
    const poolsOfTeam = db.prepare('SELECT tool FROM pool_shares WHERE team = ?').pluck();
    const dropTeamShares = db.prepare('DELETE FROM pool_shares WHERE team = ?');
    const shareCount = db.prepare('UPDATE tools SET shares = (SELECT count(*) FROM pool_shares WHERE tool = ?) WHERE name = ?');
    const dropTeam = db.prepare('DELETE FROM teams WHERE name = ?');
    const dropMembers = db.prepare('DELETE FROM team_members WHERE team = ?');
    const teamOfMember = db.prepare('SELECT team FROM team_members WHERE user = ?').pluck();
    const insertMember = db.prepare('INSERT INTO team_members (team, user, added_at) VALUES (?, ?, ?)');
    const membershipOf = db.prepare('SELECT team, source FROM team_members WHERE user = ?');
    const dropMembership = db.prepare('DELETE FROM team_members WHERE user = ?');
    const insertIdpMember = db.prepare("INSERT INTO team_members (team, user, added_at, source) VALUES (?, ?, ?, 'idp')");

    this.#setShares = db.transaction((tool: string, shares: TeamShare[], now: Date): SharesOutcome => {
      const pool = current(tool);
      if (!pool) return { error: 'unknown_tool' };
      for (const share of shares) if (!teamExists.get(share.team)) return { error: 'unknown_team', team: share.team };
      const problem = sharesProblem(shares, pool);
      if (problem) return { error: 'impossible', problem };
      dropShares.run(tool);
      for (const share of shares) insertShare.run(tool, share.team, share.reserved, share.max);
      setShareCount.get(shares.length, tool);
      // New rules may let a waiter take a seat that was free for nobody before.
      const consequences: Consequence[] = [];
      serveLine(tool, now, consequences);
      return { error: null, shares, row: current(tool)!, consequences };
    }).immediate;

    this.#createTeam = db.transaction((name: string, now: Date): TeamOutcome => {
      return insertTeam.run(name, sqlTime(now)).changes === 0 ? { error: 'exists' } : { error: null };
    }).immediate;

    this.#deleteTeam = db.transaction((name: string, _now: Date): TeamOutcome => {
      if (!teamExists.get(name)) return { error: 'unknown_team' };
      const tools = poolsOfTeam.all(name) as string[];
      dropTeamShares.run(name);
      for (const tool of tools) shareCount.run(tool, tool);
      dropMembers.run(name);
      dropTeam.run(name);
      return { error: null };
    }).immediate;

    this.#setMembers = db.transaction((team: string, users: string[], now: Date): TeamOutcome => {
      if (!teamExists.get(team)) return { error: 'unknown_team' };
      const elsewhere = users.flatMap((user) => {
        const other = teamOfMember.get(user) as string | undefined;
        return other !== undefined && other !== team ? [{ user, team: other }] : [];
      });
      if (elsewhere.length > 0) return { error: 'member_elsewhere', users: elsewhere };
      dropMembers.run(team);
      for (const user of new Set(users)) insertMember.run(team, user, sqlTime(now));
      return { error: null };
    }).immediate;

    // teams.ts syncTeamFromGroups decides what `team` is; this applies it in one transaction.
    this.#syncTeam = db.transaction((user: string, team: string | null, now: Date): SyncTeamOutcome => {
      const previous = (membershipOf.get(user) as { team: string; source: string } | undefined) ?? null;
      if (team === null) {
        if (previous?.source !== 'idp') return { changed: false, previous, teamCreated: false };
        dropMembership.run(user);
        return { changed: true, previous, teamCreated: false };
      }
      if (previous?.team === team) return { changed: false, previous, teamCreated: false };
      const teamCreated = insertTeam.run(team, sqlTime(now)).changes > 0;
      dropMembership.run(user);
      insertIdpMember.run(team, user, sqlTime(now));
      return { changed: true, previous, teamCreated };
    }).immediate;
  }

  createTool(b: BudgetInput, now: Date): CreateToolOutcome {
    return this.#create(b, now);
  }
  retireTool(name: string, now: Date): RetireToolOutcome {
    return this.#retire(name, now);
  }
  borrow(req: BorrowRequest, id: string, now: Date): BorrowOutcome {
    return inSpan('db.transaction', SQLITE_SPAN, () => this.#borrow(req, id, now));
  }
  heartbeat(id: string, now: Date): HeartbeatOutcome {
    return this.#heartbeat(id, now);
  }
  /** The pools with a lease or a waiting ticket over at `now` (read without lock; expireOverdue decides under it). */
  overdueTools(now: Date): string[] {
    const at = sqlTime(now);
    return this.#overdueTools.all(at, at, at) as string[];
  }
  expireOverdue(tool: string, now: Date): Consequence[] {
    return this.#expire(tool, now);
  }
  return(id: string, now: Date): ReleaseOutcome | null {
    return inSpan('db.transaction', SQLITE_SPAN, () => this.#return(id, now));
  }
  revoke(id: string, reason: string, now: Date): ReleaseOutcome | null {
    return this.#revoke(id, reason, now);
  }
  /** A waiter's poll: its ticket (renewed while waiting), or what became of it. */
  pollTicket(id: string, now: Date): TicketOutcome {
    return this.#pollTicket(id, now);
  }
  cancelTicket(id: string, now: Date): TicketOutcome {
    return this.#cancelTicket(id, now);
  }
  /** Replaces a pool's team shares (team-rules.ts checks they can hold). */
  setShares(tool: string, shares: TeamShare[], now: Date): SharesOutcome {
    return this.#setShares(tool, shares, now);
  }
  createTeam(name: string, now: Date): TeamOutcome {
    return this.#createTeam(name, now);
  }
  /** Removes a team, its members and its shares (borrows keep the team's name in their rows and history). */
  deleteTeam(name: string, now: Date): TeamOutcome {
    return this.#deleteTeam(name, now);
  }
  /** Replaces a team's members; a user already in another team is refused. */
  setMembers(team: string, users: string[], now: Date): TeamOutcome {
    return this.#setMembers(team, users, now);
  }
  syncTeam(user: string, team: string | null, now: Date): SyncTeamOutcome {
    return this.#syncTeam(user, team, now);
  }
  updateBudget(b: BudgetInput, now: Date): BudgetOutcome {
    return this.#budget(b, now);
  }
  tool(name: string): ToolRow | undefined {
    return maybeToolRow(this.#tool.get(name));
  }
  /** Who holds the live borrow `id` (read without lock: a borrow's holder never changes). */
  holder(id: string): string | undefined {
    return this.#holder.get(id) as string | undefined;
  }
  /** Whose queue ticket `id` is (read without lock: a ticket's holder never changes). */
  ticketHolder(id: string): string | undefined {
    return this.#ticketHolder.get(id) as string | undefined;
  }
  tools(): ToolRow[] {
    return (this.#tools.all() as RawTool[]).map(toolRow);
  }
  /** One batch of old history: events, then tickets that ended before `before`. */
  pruneEvents(before: Date, limit: number): number {
    const n = this.#pruneEvents.run(sqlTime(before), limit).changes;
    return n < limit ? n + this.#pruneTickets.run(sqlTime(before), limit - n).changes : n;
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
    | 'revoke'
    | 'pollTicket'
    | 'cancelTicket'
    | 'setShares'
    | 'createTeam'
    | 'deleteTeam'
    | 'setMembers'
    | 'syncTeam'
    | 'updateBudget'
    | 'createTool'
    | 'retireTool'
    | 'tool'
    | 'holder'
    | 'ticketHolder'
    | 'tools'
    | 'pruneEvents']: (...args: Parameters<LicenseStore[K]>) => ReturnType<LicenseStore[K]> | Promise<ReturnType<LicenseStore[K]>>;
};
