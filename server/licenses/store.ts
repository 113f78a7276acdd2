// The license tables, one program for every database. Each write locks its pool's row
// first (a return too, so pool-then-borrow is the one lock order and a return never
// deadlocks with the sweep), loads the rows, lets the rule functions decide (seat-rules.ts,
// team-rules.ts, overage-rules.ts) and saves what they decided. The statements are typed
// and written once (store-queries.ts); what differs between SQLite and PostgreSQL (the
// lock, time encoding, the driver) is in dialects/. Writes that arrive together share one
// transaction, whatever their pools (group-commit.ts).
import { randomUUID } from 'node:crypto';
import type { ToolRow } from './pool-status.ts';
import type {
  BorrowOutcome,
  BorrowRow,
  BudgetOutcome,
  Consequence,
  CreateToolOutcome,
  EventRow,
  HeartbeatOutcome,
  ReleaseOutcome,
  RetireToolOutcome,
  SeatHourCharge,
  SharesOutcome,
  SyncTeamOutcome,
  TeamOutcome,
  TicketOutcome,
  TicketRow,
} from './outcomes.ts';
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
import { type OverageDecision, addToPeriod, decideOverage, dueSeatHours, reassignSlots, slotFilled, slotsInUse } from './overage-rules.ts';
import { DEFAULT_BILLING_DAY, billingPeriod } from './billing-periods.ts';
import type { BorrowRequest, BudgetInput } from './types.ts';
import { CommitUncertain, type Dialect } from './dialects/dialect.ts';
import { GroupCommit, inLockOrder, Tx } from './group-commit.ts';
import type { Statement } from './sql.ts';
import type { DriverRow } from './dialects/dialect.ts';
import * as q from './store-queries.ts';
import { asDate, borrowRow, slotRow, ticketRow, toolRow } from './store-queries.ts';
import { DatabaseUnavailableError, retryOnConnectionLoss } from '../db/unavailable.ts';
import { inSpan } from '../observability/tracing.ts';

export type * from './outcomes.ts';

const num = (v: unknown) => Number(v ?? 0);

/** Records an event; its id is filled in when the database answers (before COMMIT). */
function insertEvent(tx: Tx, e: Omit<EventRow, 'id'>): EventRow {
  const event: EventRow = { id: 0, ...e };
  tx.later(
    q.insertEvent,
    {
      ...{ at: e.at, type: e.type, tool: e.tool, user: e.user, borrow_id: e.borrowId, reason: e.reason, ticket_id: e.ticketId ?? null },
      ...{ team: e.team ?? null, project: e.project ?? null, started_at: e.startedAt ?? null, borrowed: e.borrowed, total: e.total },
    },
    (rows) => {
      event.id = num(rows[0]?.id);
    },
  );
  tx.eventId = event;
  return event;
}

const poolEvent = (tx: Tx, type: string, row: ToolRow, now: Date, more: Partial<Omit<EventRow, 'id'>> = {}) =>
  insertEvent(tx, {
    at: now,
    type,
    tool: row.name,
    user: null,
    borrowId: null,
    reason: null,
    borrowed: row.borrowed,
    total: row.total,
    ...more,
  });

const ticketById = async (tx: Tx, id: string) => {
  const r = await tx.first(q.ticketById, { id });
  return r && ticketRow(r);
};

/** The ticket with its place in line (1 = head) while it waits. */
async function withPosition(tx: Tx, t: TicketRow): Promise<TicketRow> {
  if (t.state !== 'waiting') return { ...t, position: null };
  return { ...t, position: num((await tx.first(q.placeInLine, { tool: t.tool, seq: t.seq }))?.n) };
}

/** Takes a waiting ticket out of the locked pool's line (cancelled, or expired: its waiter went silent). */
async function leave(
  tx: Tx,
  t: TicketRow,
  state: 'expired' | 'cancelled',
  now: Date,
): Promise<Extract<Consequence, { kind: 'left_queue' }>> {
  tx.later(q.endTicket, { id: t.id, state, ended_at: now, borrow_id: null });
  const pool = (await tx.pool(t.tool))!;
  const row = tx.setPool({ ...pool, queued: Math.max(pool.queued - 1, 0) });
  const event = poolEvent(tx, 'left_queue', row, now, { user: t.user, reason: state, ticketId: t.id });
  return { kind: 'left_queue', ticket: { ...t, state, expiresAt: null, position: null }, row, event };
}

type Waiting = TicketRow & { key: string | null };

/** The team rows of a locked pool with shares. */
async function teamsOf(tx: Tx, tool: string): Promise<{ shares: TeamShare[]; held: Map<string, number> }> {
  const shares = (await tx.all(q.sharesOf, { tool })).map((r) => ({
    team: r.team as string,
    reserved: num(r.reserved),
    max: r.max === null ? null : num(r.max),
  }));
  const held = await tx.all(q.heldByTeam, { tool });
  return { shares, held: new Map(held.map((h) => [h.team as string, num(h.n)])) };
}

/**
 * The next waiter to seat: the head of the line; in a pool with team shares, the first
 * waiter in line the team rules let take a seat (a freed reserved seat goes to that team's
 * first waiter, a team at its maximum waits). Silent waiters met on the way leave.
 */
async function nextWaiter(tx: Tx, pool: ToolRow, now: Date, out: Consequence[]): Promise<Waiting | null> {
  const candidates = await tx.all(q.line, { tool: pool.name, limit: pool.shares ? 1000 : 1 });
  const teams = pool.shares ? await teamsOf(tx, pool.name) : null;
  for (const r of candidates) {
    const t: Waiting = { ...ticketRow(r), key: r.idempotency_key as string | null };
    if (isOverdue(t.expiresAt, now)) {
      out.push(await leave(tx, t, 'expired', now));
      return null;
    }
    if (!teams || decideTeamSeat(pool, teams.shares, teams.held, t.team ?? null).take) return t;
  }
  return null;
}

/** The overage part of a seat the locked pool's limits allow (overage-rules.ts): its charge, the slot it fills, or the cap's refusal. */
async function overageOf(tx: Tx, pool: ToolRow, now: Date): Promise<{ decision: OverageDecision; slot: number | null }> {
  const slot = pool.overageMode === 'per_seat_hour' ? slotFilled(pool.borrowed, pool.commit) : null;
  const paid = slot === null ? undefined : (await tx.first(q.slotPaidUntil, { tool: pool.name, slot }))?.paid_until;
  return { decision: decideOverage(pool, paid === undefined ? null : asDate(paid), now), slot };
}

/** The locked pool with one more seat taken: its count, cost and this period's spend. */
function takeSeat(tx: Tx, pool: ToolRow, overage: OverageDecision | null, now: Date, fromLine: boolean): ToolRow {
  const amount = overage?.take && overage.charge ? overage.charge.amount : 0;
  const period = amount > 0 ? addToPeriod(pool, now, [{ at: now, amount }]) : pool;
  return tx.setPool({
    ...pool,
    borrowed: pool.borrowed + 1,
    overageCost: pool.overageCost + amount,
    queued: fromLine ? pool.queued - 1 : pool.queued,
    periodStart: period.periodStart,
    periodOverageCost: period.periodOverageCost,
  });
}

/** After the borrow row exists: its charge row and, per seat-hour, the slot it fills. Returns the charge's id. */
function recordOverage(
  tx: Tx,
  tool: string,
  overage: { decision: OverageDecision; slot: number | null },
  b: { id: string; user: string; team: string | null; project: string | null },
  now: Date,
): string | null {
  const d = overage.decision;
  if (!d.take) return null;
  if (overage.slot !== null) {
    tx.later(q.fillSlot, {
      ...{ tool, slot: overage.slot, paid_until: d.paidUntil ?? now, paid: d.paidUntil ?? null },
      ...{ borrow_id: b.id, user: b.user, team: b.team, project: b.project },
    });
  }
  if (!d.charge) return null;
  const id = randomUUID();
  tx.later(q.insertCharge, {
    ...{ id, tool, borrow_id: b.id, user: b.user, charged_at: now, amount: d.charge.amount },
    ...{ team: b.team, project: b.project, kind: d.charge.kind },
  });
  return id;
}

const slotsOf = async (tx: Tx, tool: string, upTo: number) => (await tx.all(q.slotsOf, { tool, upTo })).map(slotRow);

/** Continuing overage use of a locked per_seat_hour pool: charges the started hours of slots 1..inUse (overage-rules.ts). */
async function settle(tx: Tx, pool: ToolRow, inUse: number, now: Date): Promise<{ row: ToolRow; charges: SeatHourCharge[] }> {
  if (pool.overageMode !== 'per_seat_hour' || inUse === 0) return { row: pool, charges: [] };
  const due = dueSeatHours(await slotsOf(tx, pool.name, inUse), inUse, now);
  const charges: SeatHourCharge[] = [];
  for (const { slot, hours, paidUntil } of due) {
    tx.later(q.setSlotPaid, { tool: pool.name, slot: slot.slot, paid_until: paidUntil });
    if (slot.borrowId === null) continue;
    for (const at of hours) {
      const c = { id: randomUUID(), borrowId: slot.borrowId, user: slot.user ?? '', at, amount: pool.overagePricePerLicense };
      tx.later(q.insertCharge, {
        ...{ id: c.id, tool: pool.name, borrow_id: c.borrowId, user: c.user, charged_at: at, amount: c.amount },
        ...{ team: slot.team, project: slot.project, kind: 'seat_hour' },
      });
      charges.push(c);
    }
  }
  if (charges.length === 0) return { row: pool, charges };
  const sum = charges.reduce((n, c) => n + c.amount, 0);
  const period = addToPeriod(pool, now, charges);
  const row = tx.setPool({
    ...pool,
    overageCost: pool.overageCost + sum,
    periodStart: period.periodStart,
    periodOverageCost: period.periodOverageCost,
  });
  return { row, charges };
}

/**
 * Borrows `gone` left a locked per_seat_hour pool that held `borrowedBefore` seats: hours
 * their slots started are charged first, then slots still in use whose borrow left are
 * charged to the seats that moved into them.
 */
async function afterLeaving(tx: Tx, row: ToolRow, gone: readonly BorrowRow[], borrowedBefore: number, now: Date): Promise<ToolRow> {
  const before = slotsInUse(borrowedBefore, row.commit);
  if (before === 0) return row;
  const settled = (await settle(tx, row, before, now)).row;
  const slots = await slotsOf(tx, row.name, before);
  for (const s of reassignSlots(slots, slotsInUse(row.borrowed, row.commit), new Set(gone.map((b) => b.id)))) {
    tx.later(q.setSlotHolder, { tool: row.name, slot: s.slot, borrow_id: s.borrowId, user: s.user, team: s.team, project: s.project });
  }
  return settled;
}

/**
 * Hands freed seats of the locked pool to its line, head first, in the transaction that
 * freed them: as many as seatsForWaiters allows. A head whose waiter went silent leaves.
 */
async function serveLine(tx: Tx, tool: string, now: Date, out: Consequence[]): Promise<void> {
  for (;;) {
    const pool = await tx.pool(tool);
    if (!pool || seatsForWaiters(pool) === 0) return;
    const left = out.length;
    const t = await nextWaiter(tx, pool, now, out);
    if (!t) {
      if (out.length > left) continue; // a silent waiter left: look again
      return; // seats free, but no waiter may take them (team rules)
    }
    const decision = decideBorrow({ ...pool, queued: 0 }); // the waiter is the line
    if (!decision.take) return;
    const overage = decision.overage ? await overageOf(tx, pool, now) : null;
    if (overage && !overage.decision.take) return; // past the spend cap: the waiter keeps waiting
    const row = takeSeat(tx, pool, overage?.decision ?? null, now, true);
    const id = randomUUID();
    const expiresAt = leaseDeadline(now, t.leaseSeconds);
    const team = t.team ?? null;
    const project = t.project ?? null;
    tx.later(q.endTicket, { id: t.id, state: 'granted', ended_at: now, borrow_id: id });
    tx.later(q.insertBorrow, {
      ...{ id, tool, user: t.user, borrowed_at: now, lease_seconds: t.leaseSeconds, expires_at: expiresAt, host: t.host },
      ...{ idempotency_key: t.key, team, project },
    });
    const chargeId = overage ? recordOverage(tx, tool, overage, { id, user: t.user, team, project }, now) : null;
    const borrow: BorrowRow = {
      ...{ id, tool, user: t.user, borrowedAt: now, leaseSeconds: t.leaseSeconds, expiresAt, host: t.host },
      ...{ team, project },
    };
    const event = poolEvent(tx, 'granted', row, now, { user: t.user, borrowId: id, ticketId: t.id, team, project });
    const { key: _key, ...ticket } = t;
    out.push({
      kind: 'granted',
      ticket: { ...ticket, state: 'granted', expiresAt: null, position: null, borrowId: id },
      borrow,
      row,
      event,
      chargeId,
    });
  }
}

/** Frees the seat of `b` (already deleted) in its locked pool and records why. */
async function release(tx: Tx, b: BorrowRow, type: 'expired' | 'returned' | 'revoked', now: Date, reason: string | null = null) {
  const pool = (await tx.pool(b.tool))!;
  let row = tx.setPool({ ...pool, borrowed: Math.max(pool.borrowed - 1, 0) });
  if (row.overageMode === 'per_seat_hour') row = await afterLeaving(tx, row, [b], row.borrowed + 1, now);
  // The end event carries the borrow's start, team and project: a seat interval for reports.
  const seat = { startedAt: b.borrowedAt, team: b.team ?? null, project: b.project ?? null };
  return { row, event: poolEvent(tx, type, row, now, { user: b.user, borrowId: b.id, reason, ...seat }) };
}

/**
 * Releases the locked pool's overdue leases (seat-rules.ts decides which), each exactly
 * once, takes silent waiters out of its line and hands the freed seats to the line.
 */
async function expireIn(tx: Tx, tool: string, now: Date): Promise<Consequence[]> {
  const out: Consequence[] = [];
  // Continuing seat-hours (the sweep visits per_seat_hour pools whose paid hour ran out).
  const pool = await tx.pool(tool);
  if (!pool) return out;
  if (pool.overageMode === 'per_seat_hour') {
    const { row, charges } = await settle(tx, pool, slotsInUse(pool.borrowed, pool.commit), now);
    if (charges.length > 0) out.push({ kind: 'charged', row, charges });
  }
  const due = overdueLeases((await tx.all(q.overdueBorrows, { tool, now })).map(borrowRow), now);
  if (due.length > 0) {
    // One statement for all of them: the pool stays locked for milliseconds even when
    // hundreds are due at once (a sweep after an outage). DELETE ... RETURNING hands each
    // lease to exactly one releaser.
    const gone = new Set(
      (
        await tx.all(
          q.deleteBorrows,
          due.map((b) => b.id),
        )
      ).map((r) => r.id as string),
    );
    for (const b of due) if (gone.has(b.id)) out.push({ kind: 'expired', borrow: b, ...(await release(tx, b, 'expired', now)) });
  }
  for (const r of await tx.all(q.overdueTickets, { tool, now })) out.push(await leave(tx, ticketRow(r), 'expired', now));
  await serveLine(tx, tool, now, out);
  return out;
}

/** Thrown inside a borrow's transaction to roll it back (see borrow()). */
class KeyTakenMeanwhile extends Error {}

/** Borrows whose pool a store remembers (about 150 bytes each); past it, the oldest are forgotten. */
export const KNOWN_BORROWS = 50_000;

export class LicenseStore {
  readonly #batches: GroupCommit;
  /**
   * The pool of each borrow this store handed out. A borrow's pool never changes, so its
   * return or heartbeat locks that pool straight away instead of first reading which pool
   * holds it (a query and a connection less per request). Only a hint: the borrow itself is
   * read under the lock, and one that is gone (returned or expired elsewhere) is gone.
   */
  readonly #poolOf = new Map<string, string>();
  constructor(readonly dialect: Dialect) {
    this.#batches = new GroupCommit(
      (body) => this.#transact(body),
      (err) => err instanceof DatabaseUnavailableError && err.outcomeUnknown,
      dialect.answersInTurn,
    );
  }

  /**
   * One transaction, run again if its connection fails before COMMIT (it rolled back: see
   * ../db/unavailable.ts). If COMMIT was sent and its answer lost, whether it committed is
   * unknown: every write records a history event whose id the transaction already holds, so
   * one read settles it (there: it committed, the outcome stands; not there: run it again).
   * Only if that read fails too is the outcome reported unknown. Writing nothing, it stands.
   */
  #transact<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    // The span covers the retries: its time is what the callers waited for the database.
    return inSpan('db.transaction', { 'db.system.name': this.dialect.flavor }, () => this.#transactWithRetry(body));
  }

  #transactWithRetry<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    return retryOnConnectionLoss(async () => {
      let tx: Tx | undefined;
      // The body's answer, kept apart from the transaction's: a COMMIT that is found to have
      // committed after its answer was lost still answers what the body decided.
      let value: T | undefined;
      try {
        await this.dialect.transaction(async (conn) => {
          tx = new Tx(conn, this.dialect);
          value = await body(tx);
          tx.flushPools();
        });
      } catch (err) {
        if (!(err instanceof CommitUncertain)) throw err;
        const event = tx?.eventId;
        if (!event) return value as T;
        // The event's INSERT went out with COMMIT and its answer was lost too: no id to look for.
        if (!event.id) throw new DatabaseUnavailableError(true, { cause: err });
        let committed: boolean;
        try {
          committed = await retryOnConnectionLoss(
            async () => (await this.dialect.all(q.eventExists.compile(this.dialect, { id: event.id }))).length > 0,
          );
        } catch (checkErr) {
          throw new DatabaseUnavailableError(true, { cause: checkErr });
        }
        if (committed) return value as T;
        throw err.cause;
      }
      return value as T;
    });
  }

  /** A write on one pool: batched with the writes that arrive meanwhile, on any pool (`prepare`: see GroupCommit.submit). */
  #onPool<T>(tool: string, body: (tx: Tx) => Promise<T>, prepare?: (tx: Tx) => void): Promise<T> {
    return this.#batches.submit(tool, body, prepare);
  }

  /** A ticket read under its pool's lock (found first without it: a ticket's pool never changes). */
  async #onTicket(id: string, body: (tx: Tx, t: NonNullable<Awaited<ReturnType<typeof ticketById>>>) => Promise<TicketOutcome>) {
    const first = (await this.#read(q.ticketById, { id }))[0];
    if (!first) return { state: 'unknown' } as const;
    const tool = first.tool as string;
    return this.#onPool(tool, async (tx) => {
      await tx.pool(tool);
      return body(tx, (await ticketById(tx, id))!);
    });
  }

  async #read<A, R>(s: Statement<A, R>, args: A) {
    return retryOnConnectionLoss(() => this.dialect.all(s.compile(this.dialect, args)));
  }

  async borrow(req: BorrowRequest, id: string, now: Date): Promise<BorrowOutcome> {
    // The borrower's team is read at the start of the batch's transaction, in the round trip
    // that locks the pool (a membership is not the pool's to guard: setMembers locks the
    // team), so it costs the locked pool no round trip of its own, nor a connection.
    let team: Promise<string | null> = Promise.resolve(null);
    const readTeam = (tx: Tx) => {
      team = tx.first(q.teamOfUser, { user: req.user }).then((r) => (r?.team as string | undefined) ?? null);
      team.catch(() => {}); // awaited in the body; a failure is the body's
    };
    const body = async (tx: Tx) => {
      const [, t] = await Promise.all([tx.pool(req.tool), team]);
      return this.#borrow(tx, req, id, t, now);
    };
    let outcome: BorrowOutcome;
    try {
      outcome = await this.#onPool(req.tool, body, readTeam);
    } catch (err) {
      // The key was taken meanwhile by a borrow of another pool (whose lock this one did not
      // wait for): that attempt rolled back; once more, the key's borrow is found and answered.
      if (!(err instanceof KeyTakenMeanwhile) && !isKeyConflict(err)) throw err;
      outcome = await this.#onPool(req.tool, body, readTeam);
    }
    if ('borrow' in outcome && outcome.borrow) this.#remember(outcome.borrow);
    return outcome;
  }

  #remember(b: BorrowRow): void {
    this.#poolOf.set(b.id, b.tool);
    if (this.#poolOf.size > KNOWN_BORROWS) this.#poolOf.delete(this.#poolOf.keys().next().value!);
  }

  /** The pool holding borrow `id`, or undefined when no borrow has that id. */
  async #poolHolding(id: string): Promise<string | undefined> {
    return this.#poolOf.get(id) ?? ((await this.#read(q.holderOf, { id }))[0]?.tool as string | undefined);
  }

  async #borrow(tx: Tx, req: BorrowRequest, id: string, team: string | null, now: Date): Promise<BorrowOutcome> {
    const { tool, user } = req;
    const locked = await tx.pool(tool);
    // Under the pool's lock: a retry racing the first borrow of its key finds it here.
    if (req.idempotencyKey) {
      const seen = await tx.first(q.borrowByKey, { key: req.idempotencyKey });
      if (seen) return { denied: null, replayed: true, borrow: borrowRow(seen), row: null, event: null, chargeId: null, consequences: [] };
      const waiting = req.queue ? await tx.first(q.ticketByKey, { key: req.idempotencyKey }) : undefined;
      if (waiting) {
        return {
          denied: null,
          queued: await withPosition(tx, ticketRow(waiting)),
          replayed: true,
          row: null,
          event: null,
          consequences: [],
        };
      }
    }
    if (!locked) return { denied: 'unknown_tool', row: null, event: null, consequences: [] };
    let pool: ToolRow = locked;
    // Continuing seat-hours first, so this period's spend is current (per_seat_hour pools only).
    if (pool.overageMode === 'per_seat_hour') pool = (await settle(tx, pool, slotsInUse(pool.borrowed, pool.commit), now)).row;
    let decision: SeatDecision = decideBorrow(pool);
    let consequences: Consequence[] = [];
    // Overdue leases matter only when they are what stands in the way: then they are
    // released now (their seats go to the line first), not at the next sweep.
    if (!decision.take) {
      consequences = await expireIn(tx, tool, now);
      if (consequences.length > 0) {
        pool = (await tx.pool(tool))!;
        decision = decideBorrow(pool);
      }
    }
    // The borrower's team is recorded with every seat (reports count seat-hours per team);
    // team rules apply only in a pool with shares (plain pools skip every read below).
    if (pool.shares && (decision.take || decision.reason === 'queue_ahead')) {
      // Waiters the team rules let take a free seat get it first; those still in line
      // after that may not take the free seats: they do not stand in this borrower's way.
      if (!decision.take) {
        await serveLine(tx, tool, now, consequences);
        pool = (await tx.pool(tool))!;
      }
      const { shares, held } = await teamsOf(tx, tool);
      decision = decideSharedBorrow(pool, shares, held, team);
    }
    const project = req.project ?? null;
    // A seat beyond commit: what it costs, and whether the spend cap lets it go ahead.
    const overage = decision.take && decision.overage ? await overageOf(tx, pool, now) : null;
    if (overage && !overage.decision.take) decision = overage.decision;
    if (!decision.take) {
      if (req.queue) return { ...(await this.#join(tx, req, id, pool, team, now)), consequences };
      const event = poolEvent(tx, 'denied', pool, now, { user, reason: decision.reason, team, project });
      return { denied: decision.reason, row: pool, event, consequences };
    }
    const row = takeSeat(tx, pool, overage?.decision ?? null, now, false);
    const leaseSeconds = leaseLength(req.leaseSeconds, pool.leaseSeconds);
    const expiresAt = leaseDeadline(now, leaseSeconds);
    const host = req.host ?? null;
    tx.later(q.insertBorrow, {
      ...{ id, tool, user, borrowed_at: now, lease_seconds: leaseSeconds, expires_at: expiresAt, host },
      ...{ idempotency_key: req.idempotencyKey ?? null, team, project },
    });
    const chargeId = overage ? recordOverage(tx, tool, overage, { id, user, team, project }, now) : null;
    const event = poolEvent(tx, 'borrowed', row, now, { user, borrowId: id, team, project });
    return {
      denied: null,
      row,
      chargeId,
      event,
      consequences,
      borrow: { id, tool, user, borrowedAt: now, leaseSeconds, expiresAt, host, team, project },
    };
  }

  /** A ticket at the end of the locked pool's line. */
  async #join(tx: Tx, req: BorrowRequest, id: string, pool: ToolRow, team: string | null, now: Date) {
    const project = req.project ?? null;
    const leaseSeconds = ticketLeaseLength(req.leaseSeconds, pool.leaseSeconds);
    const expiresAt = leaseDeadline(now, leaseSeconds)!;
    const seq = num((await tx.first(q.nextSeq, { tool: pool.name }))?.seq) + 1;
    if (req.idempotencyKey && (await tx.first(q.ticketByKey, { key: req.idempotencyKey }))) throw new KeyTakenMeanwhile();
    const host = req.host ?? null;
    tx.later(q.insertTicket, {
      ...{ id, tool: pool.name, user: req.user, host, seq, queued_at: now, lease_seconds: leaseSeconds, expires_at: expiresAt },
      ...{ idempotency_key: req.idempotencyKey ?? null, team, project },
    });
    const row = tx.setPool({ ...pool, queued: pool.queued + 1 });
    const ticket = await withPosition(tx, {
      ...{ id, tool: pool.name, user: req.user, host, seq, queuedAt: now, leaseSeconds, expiresAt },
      ...{ state: 'waiting', borrowId: null, position: null, team, project },
    });
    const event = poolEvent(tx, 'queued', row, now, { user: req.user, ticketId: id, team, project });
    return { denied: null, queued: ticket, replayed: false, row, event } as const;
  }

  async heartbeat(id: string, now: Date): Promise<HeartbeatOutcome> {
    const tool = await this.#poolHolding(id);
    const gone = async (): Promise<HeartbeatOutcome> => {
      const last = (await this.#read(q.lastEnd, { id }))[0];
      const why = goneReason(last?.type as string | undefined);
      if (why === 'revoked') return { state: 'revoked', reason: (last?.reason as string | null) ?? null };
      return why === 'expired' ? { state: 'expired', consequences: [] } : { state: 'unknown' };
    };
    if (!tool) return gone();
    const out = await this.#onPool(tool, async (tx): Promise<HeartbeatOutcome | null> => {
      // Locked like every decision on the pool, then read again: the sweep may have been first.
      // Asked together, they share a round trip; the database runs them in order, the lock first.
      const [, r] = await Promise.all([tx.pool(tool), tx.first(q.borrowById, { id })]);
      if (!r) return null;
      const b = borrowRow(r);
      const decision = decideHeartbeat(b, now);
      if (!decision.renew) return { state: 'expired', consequences: await expireIn(tx, b.tool, now) };
      if (decision.expiresAt) tx.later(q.renewBorrow, { id, expires_at: decision.expiresAt });
      return { state: 'renewed', borrow: { ...b, expiresAt: decision.expiresAt } };
    });
    return out ?? gone();
  }

  /** The pools with a lease or a waiting ticket over at `now` (read without lock; expireOverdue decides under it). */
  async overdueTools(now: Date): Promise<string[]> {
    return (await this.#read(q.overduePools, { now })).map((r) => r.tool as string);
  }

  expireOverdue(tool: string, now: Date): Promise<Consequence[]> {
    return this.#onPool(tool, (tx) => expireIn(tx, tool, now));
  }

  return(id: string, now: Date): Promise<ReleaseOutcome | null> {
    return this.#release(id, 'returned', null, now);
  }

  revoke(id: string, reason: string, now: Date): Promise<ReleaseOutcome | null> {
    return this.#release(id, 'revoked', reason, now);
  }

  async #release(id: string, type: 'returned' | 'revoked', reason: string | null, now: Date): Promise<ReleaseOutcome | null> {
    // The pool first, in the order every writer takes (pool, then its borrows), so a return
    // never deadlocks with the sweep releasing the same lease. A borrow's pool never changes.
    const tool = await this.#poolHolding(id);
    if (!tool) return null;
    // The borrow is deleted at the start of the batch's transaction, right after the pool's
    // lock and in its round trip (DELETE ... RETURNING hands it to exactly one releaser); its
    // seat is freed below, in this operation's turn.
    let deleted: Promise<DriverRow | undefined> = Promise.resolve(undefined);
    const deleteBorrow = (tx: Tx) => {
      deleted = tx.first(q.deleteBorrow, { id });
      deleted.catch(() => {}); // awaited in the body; a failure is the body's
    };
    const outcome = await this.#onPool(
      tool,
      async (tx): Promise<ReleaseOutcome | null> => {
        const [, r] = await Promise.all([tx.pool(tool), deleted]);
        if (!r) return null;
        const gone = borrowRow(r);
        const { row, event } = await release(tx, gone, type, now, reason);
        const consequences: Consequence[] = [];
        // Only a pool with waiters looks further.
        if (row.queued > 0) await serveLine(tx, gone.tool, now, consequences);
        return { borrow: gone, row, event, consequences };
      },
      deleteBorrow,
    );
    this.#poolOf.delete(id);
    return outcome;
  }

  /** A waiter's poll: its ticket (renewed while waiting), or what became of it. */
  pollTicket(id: string, now: Date): Promise<TicketOutcome> {
    return this.#onTicket(id, async (tx, t): Promise<TicketOutcome> => {
      if (t.state === 'waiting') {
        if (isOverdue(t.expiresAt, now)) {
          const consequences = await expireIn(tx, t.tool, now);
          return { state: 'found', ticket: { ...(await ticketById(tx, id))!, position: null }, borrow: null, consequences };
        }
        const expiresAt = leaseDeadline(now, t.leaseSeconds)!;
        tx.later(q.renewTicket, { id, expires_at: expiresAt });
        return { state: 'found', ticket: await withPosition(tx, { ...t, expiresAt }), borrow: null, consequences: [] };
      }
      const held = t.borrowId ? await tx.first(q.borrowById, { id: t.borrowId }) : undefined;
      return { state: 'found', ticket: { ...t, position: null }, borrow: held ? borrowRow(held) : null, consequences: [] };
    });
  }

  cancelTicket(id: string, now: Date): Promise<TicketOutcome> {
    return this.#onTicket(id, async (tx, t): Promise<TicketOutcome> => {
      if (t.state === 'granted') return { state: 'granted', ticket: { ...t, position: null } };
      if (t.state !== 'waiting') return { state: 'found', ticket: { ...t, position: null }, borrow: null, consequences: [] };
      const left = await leave(tx, t, 'cancelled', now);
      return { state: 'found', ticket: left.ticket, borrow: null, consequences: [left] };
    });
  }

  updateBudget(b: BudgetInput, now: Date): Promise<BudgetOutcome> {
    return this.#onPool(b.tool, async (tx): Promise<BudgetOutcome> => {
      let before = await tx.pool(b.tool);
      if (!before) return { error: 'unknown_tool' };
      // Hours already started are charged under the settings they started with.
      if (before.overageMode === 'per_seat_hour') before = (await settle(tx, before, slotsInUse(before.borrowed, before.commit), now)).row;
      if (before.shares) {
        const problem = sharesProblem((await teamsOf(tx, b.tool)).shares, b);
        if (problem) return { error: 'shares', before, problem };
      }
      // "Never below current borrows", decided under the pool's lock.
      if (before.borrowed > b.total) return { error: 'below_borrowed', before };
      tx.flushPools();
      const r = await tx.first(q.setBudget, {
        ...{ name: b.tool, total: b.total, commit_quantity: b.commit, max_overage: b.maxOverage, commit_price: b.commitPrice },
        ...{ overage_price_per_license: b.overagePricePerLicense, updated_at: now },
        lease_seconds: b.leaseSeconds === undefined ? before.leaseSeconds : b.leaseSeconds,
        billing_day: b.billingDay ?? before.billingDay,
        overage_mode: b.overageMode ?? before.overageMode,
        spend_cap: b.spendCap === undefined ? before.spendCap : b.spendCap,
      });
      let after = tx.knowPool(toolRow(r!));
      // Slots belong to one mode: switching drops them (seats held now start no hour until filled again).
      if (after.overageMode !== before.overageMode) tx.later(q.dropSlots, { tool: b.tool });
      // A new billing day moves the period: its spend is counted again from the charges.
      if (after.billingDay !== before.billingDay) {
        const p = billingPeriod(now, after.billingDay);
        const spent = num((await tx.first(q.spentBetween, { tool: b.tool, start: p.start, end: p.end }))?.spent);
        after = tx.setPool({ ...after, periodStart: p.start, periodOverageCost: spent });
      }
      const event = poolEvent(tx, 'budget_changed', after, now);
      // A budget that grows seats the line at once.
      const consequences: Consequence[] = [];
      if (after.queued > 0) await serveLine(tx, b.tool, now, consequences);
      return { error: null, before, after, event, consequences };
    });
  }

  // The name is the key, retired or not, so a name once used stays reserved for its history.
  createTool(b: BudgetInput, now: Date): Promise<CreateToolOutcome> {
    return this.#transact(async (tx): Promise<CreateToolOutcome> => {
      const r = await tx.first(q.insertPool, {
        ...{ name: b.tool, total: b.total, commit_quantity: b.commit, max_overage: b.maxOverage, commit_price: b.commitPrice },
        ...{ overage_price_per_license: b.overagePricePerLicense, updated_at: now, lease_seconds: b.leaseSeconds ?? null },
        ...{ billing_day: b.billingDay ?? DEFAULT_BILLING_DAY, overage_mode: b.overageMode ?? 'per_borrow', spend_cap: b.spendCap ?? null },
      });
      if (!r) {
        const found = await tx.first(q.poolRetired, { name: b.tool });
        return { error: 'exists', retired: Boolean(found?.retired) };
      }
      const row = toolRow(r);
      return { error: null, row, event: poolEvent(tx, 'pool_created', row, now) };
    });
  }

  // Decided under the pool's lock, after overdue leases and silent waiters were released:
  // a racing borrow waits for the lock and then finds the pool retired.
  retireTool(name: string, now: Date): Promise<RetireToolOutcome> {
    return this.#onPool(name, async (tx): Promise<RetireToolOutcome> => {
      const pool = await tx.pool(name);
      if (!pool) return { error: 'unknown_tool' };
      await expireIn(tx, name, now);
      const current = (await tx.pool(name))!;
      if (!mayRetire(current)) return { error: 'in_use', row: current };
      tx.flushPools();
      tx.later(q.retirePool, { name, at: now });
      const row = { ...current, retiredAt: now };
      // Later operations of this batch find it retired, as they would after its COMMIT.
      tx.forgetPool(name);
      return { error: null, row, event: poolEvent(tx, 'pool_retired', row, now) };
    });
  }

  async ticketHolder(id: string): Promise<string | undefined> {
    return (await this.#read(q.ticketHolder, { id }))[0]?.user as string | undefined;
  }

  /** Who holds the live borrow `id` (read without lock: a borrow's holder never changes). */
  async holder(id: string): Promise<string | undefined> {
    return (await this.#read(q.holderOf, { id }))[0]?.user as string | undefined;
  }

  // Teams and shares. A pool's shares change under its lock; tools.shares keeps their count,
  // so borrows of pools without shares never read the team tables.
  setShares(tool: string, shares: TeamShare[], now: Date): Promise<SharesOutcome> {
    return this.#onPool(tool, async (tx): Promise<SharesOutcome> => {
      const pool = await tx.pool(tool);
      if (!pool) return { error: 'unknown_tool' };
      for (const share of shares) {
        if (!(await tx.first(q.lockTeam, { name: share.team }))) return { error: 'unknown_team', team: share.team };
      }
      const problem = sharesProblem(shares, pool);
      if (problem) return { error: 'impossible', problem };
      tx.later(q.dropShares, { tool });
      for (const share of shares) tx.later(q.insertShare, { tool, team: share.team, reserved: share.reserved, max: share.max });
      tx.flushPools();
      tx.knowPool(toolRow((await tx.first(q.setShareCount, { name: tool, shares: shares.length }))!));
      // New rules may let a waiter take a seat that was free for nobody before.
      const consequences: Consequence[] = [];
      await serveLine(tx, tool, now, consequences);
      return { error: null, shares, row: (await tx.pool(tool))!, consequences };
    });
  }

  createTeam(name: string, now: Date): Promise<TeamOutcome> {
    return this.#transact(async (tx) => ((await tx.run(q.insertTeam, { name, at: now })) === 0 ? { error: 'exists' } : { error: null }));
  }

  /** Removes a team, its members and its shares (borrows keep the team's name in their rows and history). */
  deleteTeam(name: string, _now: Date): Promise<TeamOutcome> {
    return this.#transact(async (tx): Promise<TeamOutcome> => {
      if (!(await tx.first(q.lockTeam, { name }))) return { error: 'unknown_team' };
      // Pool rows first, then their shares; the pools in the order group commit locks a batch's.
      const tools = inLockOrder((await tx.all(q.poolsOfTeam, { team: name })).map((r) => r.tool as string));
      for (const tool of tools) await tx.pool(tool);
      tx.later(q.dropTeamShares, { team: name });
      for (const tool of tools) {
        const n = num((await tx.first(q.shareCount, { tool }))?.n);
        tx.knowPool(toolRow((await tx.first(q.setShareCount, { name: tool, shares: n }))!));
      }
      tx.later(q.dropMembers, { team: name });
      tx.later(q.dropTeam, { name });
      return { error: null };
    });
  }

  /** Replaces a team's members; a user already in another team is refused. */
  setMembers(team: string, users: string[], now: Date): Promise<TeamOutcome> {
    return this.#transact(async (tx): Promise<TeamOutcome> => {
      if (!(await tx.first(q.lockTeam, { name: team }))) return { error: 'unknown_team' };
      const others = (await tx.all(q.membersElsewhere, { team, users })).map((r) => ({ user: r.user as string, team: r.team as string }));
      if (others.length > 0) return { error: 'member_elsewhere', users: others };
      tx.later(q.dropMembers, { team });
      for (const user of new Set(users)) tx.later(q.insertMember, { team, user, at: now });
      return { error: null };
    });
  }

  /** teams.ts syncTeamFromGroups decides what `team` is; this applies it in one transaction. */
  syncTeam(user: string, team: string | null, now: Date): Promise<SyncTeamOutcome> {
    return this.#transact(async (tx): Promise<SyncTeamOutcome> => {
      // The team row first (as setMembers locks it), then the user's membership row.
      let teamCreated = false;
      if (team !== null) {
        teamCreated = (await tx.run(q.insertTeam, { name: team, at: now })) > 0;
        await tx.first(q.lockTeam, { name: team });
      }
      const r = await tx.first(q.membershipOf, { user });
      const previous = r ? { team: r.team as string, source: r.source as string } : null;
      if (team === null) {
        if (previous?.source !== 'idp') return { changed: false, previous, teamCreated };
        tx.later(q.dropMembership, { user });
        return { changed: true, previous, teamCreated };
      }
      if (previous?.team === team) return { changed: false, previous, teamCreated };
      tx.later(q.upsertIdpMember, { team, user, at: now });
      return { changed: true, previous, teamCreated };
    });
  }

  async tool(name: string): Promise<ToolRow | undefined> {
    const r = (await this.#read(q.poolByName, { name }))[0];
    return r && toolRow(r);
  }

  // Sorted here, not by ORDER BY: PostgreSQL's collation would not sort like SQLite's bytes.
  async tools(): Promise<ToolRow[]> {
    const rows = (await this.#read(q.livePools, {})).map(toolRow);
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** One batch of old history: events, then tickets that ended before `before`. */
  async pruneEvents(before: Date, limit: number): Promise<number> {
    const n = await this.dialect.run(q.pruneEvents.compile(this.dialect, { before, limit }));
    if (n >= limit) return n;
    return n + (await this.dialect.run(q.pruneTickets.compile(this.dialect, { before, limit: limit - n })));
  }
}

/** A unique idempotency key taken by a concurrent borrow (the insert was not waited for, so it fails at COMMIT). */
function isKeyConflict(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const text = `${String(e.code ?? '')} ${String(e.message ?? '')}`;
  return /23505|SQLITE_CONSTRAINT_UNIQUE/.test(text) && /idempotency_key/.test(text);
}

/** What the domain needs of a store. */
export type Store = Pick<
  LicenseStore,
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
  | 'pruneEvents'
>;
