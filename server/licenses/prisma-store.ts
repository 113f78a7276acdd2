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
  Consequence,
  SeatHourCharge,
  SharesOutcome,
  TeamOutcome,
  SyncTeamOutcome,
  CreateToolOutcome,
  EventRow,
  HeartbeatOutcome,
  ReleaseOutcome,
  RetireToolOutcome,
  Store,
  TicketOutcome,
  TicketRow,
} from './store.ts';
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
import type { BorrowRequest, BudgetInput } from './types.ts';
import {
  type OverageDecision,
  type SlotRow,
  addToPeriod,
  decideOverage,
  dueSeatHours,
  reassignSlots,
  slotFilled,
  slotsInUse,
} from './overage-rules.ts';
import { DEFAULT_BILLING_DAY, billingPeriod } from './billing-periods.ts';
import { DatabaseUnavailableError, isConnectionError, neverSent, retryOnConnectionLoss } from '../db/unavailable.ts';
import { inSpan } from '../observability/tracing.ts';

const COLUMNS = P.raw(`name, total, borrowed, commit_quantity AS "commit", max_overage AS "maxOverage", commit_price AS "commitPrice",
  overage_price_per_license AS "overagePricePerLicense", overage_cost AS "overageCost", lease_seconds AS "leaseSeconds", queued, shares,
  billing_day AS "billingDay", overage_mode AS "overageMode", spend_cap AS "spendCap", period_start AS "periodStart",
  period_overage_cost AS "periodOverageCost"`);
const SLOT_COLUMNS = P.raw(`slot, paid_until AS "paidUntil", borrow_id AS "borrowId", "user", team, project`);
const BORROW_COLUMNS = P.raw(
  `id, tool, "user", borrowed_at AS "borrowedAt", lease_seconds AS "leaseSeconds", expires_at AS "expiresAt", host, team, project`,
);
const TICKET_COLUMNS = P.raw(
  `id, tool, "user", host, seq, queued_at AS "queuedAt", lease_seconds AS "leaseSeconds", expires_at AS "expiresAt", state, borrow_id AS "borrowId", team, project`,
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
  // The span covers the retries: its time is what the caller waited for the database.
  return inSpan('db.transaction', { 'db.system.name': 'postgresql' }, () => transactionWithRetry(prisma, body));
}

function transactionWithRetry<T>(prisma: Prisma, body: (tx: Tx) => Promise<T>): Promise<T> {
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
    INSERT INTO license_events (at, type, tool, "user", borrow_id, reason, ticket_id, team, project, started_at, borrowed, total)
    VALUES (${e.at}, ${e.type}, ${e.tool}, ${e.user}, ${e.borrowId}, ${e.reason}, ${e.ticketId ?? null}, ${e.team ?? null},
      ${e.project ?? null}, ${e.startedAt ?? null}, ${e.borrowed}, ${e.total})
    RETURNING id`;
  return { id: Number(rows[0]!.id), ...e };
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

const ticketById = async (tx: Tx, id: string) =>
  (await tx.$queryRaw<TicketRow[]>`SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE id = ${id}`)[0];

/** The ticket with its place in line (1 = head) while it waits. */
async function withPosition(tx: Tx, t: TicketRow): Promise<TicketRow> {
  if (t.state !== 'waiting') return { ...t, position: null };
  const n = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM queue_tickets WHERE tool = ${t.tool} AND state = 'waiting' AND seq <= ${t.seq}`;
  return { ...t, position: n[0]!.n };
}

/** Takes a waiting ticket out of the locked pool's line (cancelled, or expired: its waiter went silent). */
async function leave(
  tx: Tx,
  t: TicketRow,
  state: 'expired' | 'cancelled',
  now: Date,
): Promise<Extract<Consequence, { kind: 'left_queue' }>> {
  await tx.$executeRaw`UPDATE queue_tickets SET state = ${state}, ended_at = ${now}, expires_at = NULL, idempotency_key = NULL
    WHERE id = ${t.id} AND state = 'waiting'`;
  const row = (
    await tx.$queryRaw<ToolRow[]>`UPDATE tools SET queued = queued - 1 WHERE name = ${t.tool} AND queued > 0 RETURNING ${COLUMNS}`
  )[0]!;
  const event = await poolEvent(tx, 'left_queue', row, now, { user: t.user, reason: state, ticketId: t.id });
  return { kind: 'left_queue', ticket: { ...t, state, expiresAt: null, position: null }, row, event };
}

type Waiting = TicketRow & { key: string | null };

/** The team rows of a locked pool with shares. */
async function teamsOf(tx: Tx, tool: string): Promise<{ shares: TeamShare[]; held: Map<string, number> }> {
  const shares = await tx.$queryRaw<TeamShare[]>`SELECT team, reserved, max FROM pool_shares WHERE tool = ${tool}`;
  const held = await tx.$queryRaw<{ team: string; n: number }[]>`
    SELECT team, count(*)::int AS n FROM borrows WHERE tool = ${tool} AND team IS NOT NULL GROUP BY team`;
  return { shares, held: new Map(held.map((h) => [h.team, h.n])) };
}

/**
 * The next waiter to seat: the head of the line; in a pool with team shares, the first
 * waiter in line the team rules let take a seat. Silent waiters met on the way leave.
 */
async function nextWaiter(tx: Tx, pool: ToolRow, now: Date, out: Consequence[]): Promise<Waiting | null> {
  const candidates = await tx.$queryRaw<Waiting[]>`
    SELECT ${TICKET_COLUMNS}, idempotency_key AS "key" FROM queue_tickets WHERE tool = ${pool.name} AND state = 'waiting'
    ORDER BY seq LIMIT ${pool.shares ? 1000 : 1}`;
  const teams = pool.shares ? await teamsOf(tx, pool.name) : null;
  for (const t of candidates) {
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
  const paid =
    slot === null
      ? undefined
      : (
          await tx.$queryRaw<{ paidUntil: Date }[]>`
        SELECT paid_until AS "paidUntil" FROM overage_slots WHERE tool = ${pool.name} AND slot = ${slot}`
        )[0]?.paidUntil;
  return { decision: decideOverage(pool, paid ?? null, now), slot };
}

/** This period's spend after a seat's charge (the row's own values when it costs nothing). */
function periodAfter(pool: ToolRow, overage: OverageDecision | null, now: Date) {
  const amount = overage?.take && overage.charge ? overage.charge.amount : 0;
  const period = amount > 0 ? addToPeriod(pool, now, [{ at: now, amount }]) : pool;
  return { amount, periodStart: period.periodStart, periodOverageCost: period.periodOverageCost };
}

/** After the borrow row exists: its charge row and, per seat-hour, the slot it fills. Returns the charge's id. */
async function recordOverage(
  tx: Tx,
  tool: string,
  overage: { decision: OverageDecision; slot: number | null },
  b: { id: string; user: string; team: string | null; project: string | null },
  now: Date,
): Promise<string | null> {
  const d = overage.decision;
  if (!d.take) return null;
  if (overage.slot !== null) {
    await tx.$executeRaw`INSERT INTO overage_slots (tool, slot, paid_until, borrow_id, "user", team, project)
      VALUES (${tool}, ${overage.slot}, ${d.paidUntil ?? now}, ${b.id}, ${b.user}, ${b.team}, ${b.project})
      ON CONFLICT (tool, slot) DO UPDATE SET paid_until = coalesce(${d.paidUntil}::timestamp(3), overage_slots.paid_until),
        borrow_id = excluded.borrow_id, "user" = excluded."user", team = excluded.team, project = excluded.project`;
  }
  if (!d.charge) return null;
  const id = randomUUID();
  await tx.$executeRaw`INSERT INTO overage_charges (id, tool, borrow_id, "user", charged_at, amount, team, project, kind)
    VALUES (${id}, ${tool}, ${b.id}, ${b.user}, ${now}, ${d.charge.amount}, ${b.team}, ${b.project}, ${d.charge.kind})`;
  return id;
}

const slotsOf = (tx: Tx, tool: string, upTo: number) =>
  tx.$queryRaw<SlotRow[]>`SELECT ${SLOT_COLUMNS} FROM overage_slots WHERE tool = ${tool} AND slot <= ${upTo} ORDER BY slot`;

/** Continuing overage use of a locked per_seat_hour pool: charges the started hours of slots 1..inUse (overage-rules.ts). */
async function settle(tx: Tx, pool: ToolRow, inUse: number, now: Date): Promise<{ row: ToolRow; charges: SeatHourCharge[] }> {
  if (pool.overageMode !== 'per_seat_hour' || inUse === 0) return { row: pool, charges: [] };
  const due = dueSeatHours(await slotsOf(tx, pool.name, inUse), inUse, now);
  const charges: SeatHourCharge[] = [];
  for (const { slot, hours, paidUntil } of due) {
    await tx.$executeRaw`UPDATE overage_slots SET paid_until = ${paidUntil} WHERE tool = ${pool.name} AND slot = ${slot.slot}`;
    if (slot.borrowId === null) continue;
    for (const at of hours) {
      const c = { id: randomUUID(), borrowId: slot.borrowId, user: slot.user ?? '', at, amount: pool.overagePricePerLicense };
      await tx.$executeRaw`INSERT INTO overage_charges (id, tool, borrow_id, "user", charged_at, amount, team, project, kind)
        VALUES (${c.id}, ${pool.name}, ${c.borrowId}, ${c.user}, ${at}, ${c.amount}, ${slot.team}, ${slot.project}, 'seat_hour')`;
      charges.push(c);
    }
  }
  if (charges.length === 0) return { row: pool, charges };
  const sum = charges.reduce((n, c) => n + c.amount, 0);
  const period = addToPeriod(pool, now, charges);
  const row = (
    await tx.$queryRaw<ToolRow[]>`UPDATE tools SET overage_cost = overage_cost + ${sum}, period_start = ${period.periodStart},
      period_overage_cost = ${period.periodOverageCost} WHERE name = ${pool.name} RETURNING ${COLUMNS}`
  )[0]!;
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
    await tx.$executeRaw`UPDATE overage_slots SET borrow_id = ${s.borrowId}, "user" = ${s.user}, team = ${s.team}, project = ${s.project}
      WHERE tool = ${row.name} AND slot = ${s.slot}`;
  }
  return settled;
}

/**
 * Hands freed seats of the locked pool to its line, head first, in the transaction that
 * freed them: as many as seatsForWaiters allows. A head whose waiter went silent leaves.
 */
async function serveLine(tx: Tx, tool: string, now: Date, out: Consequence[]): Promise<void> {
  for (;;) {
    const pool = await toolRow(tx, tool);
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
    const p = periodAfter(pool, overage?.decision ?? null, now);
    const row = (
      await tx.$queryRaw<ToolRow[]>`
      UPDATE tools SET borrowed = ${pool.borrowed + 1}, overage_cost = ${pool.overageCost + p.amount}, queued = queued - 1,
        period_start = ${p.periodStart}, period_overage_cost = ${p.periodOverageCost}
      WHERE name = ${tool} RETURNING ${COLUMNS}`
    )[0]!;
    const id = randomUUID();
    const expiresAt = leaseDeadline(now, t.leaseSeconds);
    await tx.$executeRaw`UPDATE queue_tickets SET state = 'granted', ended_at = ${now}, expires_at = NULL, idempotency_key = NULL,
      borrow_id = ${id} WHERE id = ${t.id}`;
    const team = t.team ?? null;
    const project = t.project ?? null;
    await tx.$executeRaw`INSERT INTO borrows (id, tool, "user", borrowed_at, lease_seconds, expires_at, host, idempotency_key, team, project)
      VALUES (${id}, ${tool}, ${t.user}, ${now}, ${t.leaseSeconds}, ${expiresAt}, ${t.host}, ${t.key}, ${team}, ${project})`;
    const chargeId = overage ? await recordOverage(tx, tool, overage, { id, user: t.user, team, project }, now) : null;
    const borrow: BorrowRow = {
      ...{ id, tool, user: t.user, borrowedAt: now, leaseSeconds: t.leaseSeconds, expiresAt, host: t.host },
      ...{ team, project },
    };
    const event = await poolEvent(tx, 'granted', row, now, { user: t.user, borrowId: id, ticketId: t.id, team, project });
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

// A retired pool is gone for every read: status, metrics, borrows (404), budgets.
const toolRow = async (tx: Tx, name: string) =>
  (await tx.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE name = ${name} AND retired_at IS NULL`)[0];
/**
 * The pool's row, locked until COMMIT: every decision about its seats waits its turn here.
 * A retired pool is not found (a borrow waiting on a retire re-checks the WHERE once it commits).
 */
const lockTool = async (tx: Tx, name: string) =>
  (await tx.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE name = ${name} AND retired_at IS NULL FOR UPDATE`)[0];
/** lockTool for a borrow: with the borrower's team (recorded with every seat), in the same round trip. */
const lockToolFor = async (tx: Tx, name: string, user: string) =>
  (
    await tx.$queryRaw<(ToolRow & { userTeam: string | null })[]>`
    SELECT ${COLUMNS}, (SELECT m.team FROM team_members m WHERE m."user" = ${user}) AS "userTeam"
    FROM tools WHERE name = ${name} AND retired_at IS NULL FOR UPDATE`
  )[0];

/**
 * Releases the locked pool's overdue leases (seat-rules.ts decides which), each exactly
 * once, takes silent waiters out of its line and hands the freed seats to the line.
 */
async function expireIn(tx: Tx, tool: string, now: Date, locked?: ToolRow): Promise<Consequence[]> {
  const out: Consequence[] = [];
  // Continuing seat-hours (the sweep visits per_seat_hour pools whose paid hour ran out).
  const pool = locked ?? (await toolRow(tx, tool));
  if (pool?.overageMode === 'per_seat_hour') {
    const { row, charges } = await settle(tx, pool, slotsInUse(pool.borrowed, pool.commit), now);
    if (charges.length > 0) out.push({ kind: 'charged', row, charges });
  }
  const candidates = await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE tool = ${tool} AND expires_at <= ${now}`;
  const due = overdueLeases(candidates, now);
  if (due.length > 0) {
    // One round trip per step, not per lease: the pool stays locked for milliseconds even
    // when hundreds are due at once (a sweep after an outage). DELETE ... RETURNING hands
    // each lease to exactly one releaser.
    const deleted = await tx.$queryRaw<{ id: string }[]>`DELETE FROM borrows WHERE id = ANY(${due.map((b) => b.id)}) RETURNING id`;
    const gone = new Set(deleted.map((r) => r.id));
    const released = due.filter((b) => gone.has(b.id));
    if (released.length > 0) {
      let after = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET borrowed = GREATEST(borrowed - ${released.length}, 0) WHERE name = ${tool} RETURNING ${COLUMNS}`
      )[0]!;
      if (after.overageMode === 'per_seat_hour') after = await afterLeaving(tx, after, released, after.borrowed + released.length, now);
      // Each event records the seats held right after its own release, in deadline order.
      const counts = released.map((_, i) => after.borrowed + released.length - 1 - i);
      const ids = await tx.$queryRaw<{ id: number; borrow_id: string }[]>`
        INSERT INTO license_events (at, type, tool, "user", borrow_id, reason, borrowed, total, started_at, team, project)
        SELECT ${now}, 'expired', ${tool}, x.u, x.b, NULL, x.n, ${after.total}, x.s::timestamp(3), x.t, x.p
        FROM unnest(${released.map((b) => b.user)}::text[], ${released.map((b) => b.id)}::text[], ${counts}::int[],
          ${released.map((b) => b.borrowedAt.toISOString())}::text[], ${released.map((b) => b.team ?? null)}::text[],
          ${released.map((b) => b.project ?? null)}::text[]) WITH ORDINALITY AS x(u, b, n, s, t, p, i)
        ORDER BY x.i RETURNING id, borrow_id`;
      const eventId = new Map(ids.map((r) => [r.borrow_id, Number(r.id)]));
      released.forEach((b, i) => {
        const row = { ...after, borrowed: counts[i]! };
        const event: EventRow = {
          ...{ id: eventId.get(b.id)!, at: now, type: 'expired', tool, user: b.user, borrowId: b.id, reason: null },
          ...{ borrowed: counts[i]!, total: after.total, startedAt: b.borrowedAt, team: b.team ?? null, project: b.project ?? null },
        };
        out.push({ kind: 'expired', borrow: b, row, event });
      });
    }
  }
  const silent = await tx.$queryRaw<TicketRow[]>`
    SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE tool = ${tool} AND state = 'waiting' AND expires_at <= ${now} ORDER BY seq`;
  for (const t of silent) out.push(await leave(tx, t, 'expired', now));
  await serveLine(tx, tool, now, out);
  return out;
}

/** Frees the seat of `b` (already deleted) in its locked pool and records why. */
async function release(tx: Tx, b: BorrowRow, type: 'expired' | 'returned' | 'revoked', now: Date, reason: string | null = null) {
  const freed = (
    await tx.$queryRaw<ToolRow[]>`UPDATE tools SET borrowed = borrowed - 1 WHERE name = ${b.tool} AND borrowed > 0 RETURNING ${COLUMNS}`
  )[0];
  let row = freed ?? (await toolRow(tx, b.tool))!;
  if (row.overageMode === 'per_seat_hour') row = await afterLeaving(tx, row, [b], row.borrowed + 1, now);
  // The end event carries the borrow's start, team and project: a seat interval for reports.
  const seat = { startedAt: b.borrowedAt, team: b.team ?? null, project: b.project ?? null };
  return { row, event: await poolEvent(tx, type, row, now, { user: b.user, borrowId: b.id, reason, ...seat }) };
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
      const locked = await lockToolFor(tx, tool, user);
      // Under the pool's lock: a retry racing the first borrow of its key finds it here.
      if (req.idempotencyKey) {
        const seen = (
          await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE idempotency_key = ${req.idempotencyKey}`
        )[0];
        if (seen) return { denied: null, replayed: true, borrow: seen, row: null, event: null, chargeId: null, consequences: [] };
        const waiting = req.queue
          ? (await tx.$queryRaw<TicketRow[]>`SELECT ${TICKET_COLUMNS} FROM queue_tickets WHERE idempotency_key = ${req.idempotencyKey}`)[0]
          : undefined;
        if (waiting) {
          return { denied: null, queued: await withPosition(tx, waiting), replayed: true, row: null, event: null, consequences: [] };
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
        consequences = await expireIn(tx, tool, now, pool);
        if (consequences.length > 0) {
          pool = consequences.at(-1)!.row;
          decision = decideBorrow(pool);
        }
      }
      // The borrower's team is recorded with every seat (reports count seat-hours per team);
      // team rules apply only in a pool with shares (plain pools skip every read below).
      const team = locked.userTeam ?? null;
      if (pool.shares && (decision.take || decision.reason === 'queue_ahead')) {
        // Waiters the team rules let take a free seat get it first; those still in line
        // after that may not take the free seats: they do not stand in this borrower's way.
        if (!decision.take) {
          await serveLine(tx, tool, now, consequences);
          pool = (await toolRow(tx, tool))!;
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
        const event = await poolEvent(tx, 'denied', pool, now, { user, reason: decision.reason, team, project });
        return { denied: decision.reason, row: pool, event, consequences };
      }
      const p = periodAfter(pool, overage?.decision ?? null, now);
      const row = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET borrowed = ${pool.borrowed + 1}, overage_cost = ${pool.overageCost + p.amount},
          period_start = ${p.periodStart}, period_overage_cost = ${p.periodOverageCost}
        WHERE name = ${tool} RETURNING ${COLUMNS}`
      )[0]!;
      const leaseSeconds = leaseLength(req.leaseSeconds, pool.leaseSeconds);
      const expiresAt = leaseDeadline(now, leaseSeconds);
      const host = req.host ?? null;
      const inserted =
        await tx.$executeRaw`INSERT INTO borrows (id, tool, "user", borrowed_at, lease_seconds, expires_at, host, idempotency_key, team, project)
        VALUES (${id}, ${tool}, ${user}, ${now}, ${leaseSeconds}, ${expiresAt}, ${host}, ${req.idempotencyKey ?? null}, ${team}, ${project})
        ON CONFLICT (idempotency_key) DO NOTHING`;
      if (inserted === 0) throw new KeyTakenMeanwhile();
      const chargeId = overage ? await recordOverage(tx, tool, overage, { id, user, team, project }, now) : null;
      const event = await poolEvent(tx, 'borrowed', row, now, { user, borrowId: id, team, project });
      return {
        denied: null,
        row,
        chargeId,
        event,
        consequences,
        borrow: { id, tool, user, borrowedAt: now, leaseSeconds, expiresAt, host, team, project },
      };
    });
  }

  /** A ticket at the end of the locked pool's line. */
  async #join(tx: Tx, req: BorrowRequest, id: string, pool: ToolRow, team: string | null, now: Date) {
    const project = req.project ?? null;
    const leaseSeconds = ticketLeaseLength(req.leaseSeconds, pool.leaseSeconds);
    const expiresAt = leaseDeadline(now, leaseSeconds)!;
    const seq = (
      await tx.$queryRaw<{ seq: number }[]>`SELECT (coalesce(max(seq), 0) + 1)::int AS seq FROM queue_tickets WHERE tool = ${pool.name}`
    )[0]!.seq;
    const inserted = await tx.$executeRaw`INSERT INTO queue_tickets
      (id, tool, "user", host, seq, queued_at, lease_seconds, expires_at, state, idempotency_key, team, project)
      VALUES (${id}, ${pool.name}, ${req.user}, ${req.host ?? null}, ${seq}, ${now}, ${leaseSeconds}, ${expiresAt}, 'waiting',
        ${req.idempotencyKey ?? null}, ${team}, ${project})
      ON CONFLICT (idempotency_key) DO NOTHING`;
    if (inserted === 0) throw new KeyTakenMeanwhile();
    const row = (await tx.$queryRaw<ToolRow[]>`UPDATE tools SET queued = queued + 1 WHERE name = ${pool.name} RETURNING ${COLUMNS}`)[0]!;
    const ticket = await withPosition(tx, {
      ...{ id, tool: pool.name, user: req.user, host: req.host ?? null, seq, queuedAt: now, leaseSeconds, expiresAt },
      ...{ state: 'waiting', borrowId: null, position: null, team, project },
    });
    const event = await poolEvent(tx, 'queued', row, now, { user: req.user, ticketId: id, team, project });
    return { denied: null, queued: ticket, replayed: false, row, event } as const;
  }

  heartbeat(id: string, now: Date): Promise<HeartbeatOutcome> {
    return transaction(this.prisma, async (tx): Promise<HeartbeatOutcome> => {
      const first = (await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ${id}`)[0];
      // Locked like every decision on the pool, then read again: the sweep may have been first.
      if (first) await lockTool(tx, first.tool);
      const b = first && (await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ${id}`)[0];
      if (!b) {
        const last = (
          await tx.$queryRaw<{ type: string; reason: string | null }[]>`
          SELECT type, reason FROM license_events WHERE borrow_id = ${id} ORDER BY id DESC LIMIT 1`
        )[0];
        const why = goneReason(last?.type);
        if (why === 'revoked') return { state: 'revoked', reason: last?.reason ?? null };
        return why === 'expired' ? { state: 'expired', consequences: [] } : { state: 'unknown' };
      }
      const decision = decideHeartbeat(b, now);
      if (!decision.renew) return { state: 'expired', consequences: await expireIn(tx, b.tool, now) };
      if (decision.expiresAt) await tx.$executeRaw`UPDATE borrows SET expires_at = ${decision.expiresAt} WHERE id = ${id}`;
      return { state: 'renewed', borrow: { ...b, expiresAt: decision.expiresAt } };
    });
  }

  async overdueTools(now: Date): Promise<string[]> {
    const rows = await retryOnConnectionLoss(
      () => this.prisma.$queryRaw<{ tool: string }[]>`SELECT tool FROM borrows WHERE expires_at <= ${now}
        UNION SELECT tool FROM queue_tickets WHERE expires_at <= ${now}
        UNION SELECT s.tool FROM overage_slots s JOIN tools t ON t.name = s.tool
          WHERE s.paid_until <= ${now} AND t.overage_mode = 'per_seat_hour' AND t.retired_at IS NULL
            AND s.slot <= t.borrowed - t.commit_quantity
        UNION SELECT name FROM tools WHERE queued > 0 AND spend_cap IS NOT NULL AND retired_at IS NULL
          AND borrowed < LEAST(total, commit_quantity + max_overage)`,
    );
    return rows.map((r) => r.tool);
  }

  expireOverdue(tool: string, now: Date): Promise<Consequence[]> {
    return transaction(this.prisma, async (tx) => {
      const pool = await lockTool(tx, tool);
      if (!pool) return [];
      return expireIn(tx, tool, now, pool);
    });
  }

  return(id: string, now: Date): Promise<ReleaseOutcome | null> {
    return this.#release(id, 'returned', null, now);
  }

  revoke(id: string, reason: string, now: Date): Promise<ReleaseOutcome | null> {
    return this.#release(id, 'revoked', reason, now);
  }

  #release(id: string, type: 'returned' | 'revoked', reason: string | null, now: Date): Promise<ReleaseOutcome | null> {
    return transaction(this.prisma, async (tx): Promise<ReleaseOutcome | null> => {
      // The pool is locked first, in the order every writer takes (pool, then its borrows),
      // so a return never deadlocks with the sweep releasing the same lease.
      const holder = (await tx.$queryRaw<{ tool: string }[]>`SELECT tool FROM borrows WHERE id = ${id}`)[0];
      if (!holder) return null;
      await lockTool(tx, holder.tool);
      // DELETE ... RETURNING hands the row to exactly one caller, however many race.
      const gone = (await tx.$queryRaw<BorrowRow[]>`DELETE FROM borrows WHERE id = ${id} RETURNING ${BORROW_COLUMNS}`)[0];
      if (!gone) return null;
      const { row, event } = await release(tx, gone, type, now, reason);
      const consequences: Consequence[] = [];
      // queued comes back with the row the release updated: only a pool with waiters looks further.
      if (row.queued > 0) await serveLine(tx, gone.tool, now, consequences);
      return { borrow: gone, row, event, consequences };
    });
  }

  pollTicket(id: string, now: Date): Promise<TicketOutcome> {
    return transaction(this.prisma, async (tx): Promise<TicketOutcome> => {
      const first = await ticketById(tx, id);
      if (!first) return { state: 'unknown' };
      if (first.state === 'waiting') await lockTool(tx, first.tool);
      const t = first.state === 'waiting' ? (await ticketById(tx, id))! : first;
      if (t.state === 'waiting') {
        if (isOverdue(t.expiresAt, now)) {
          const consequences = await expireIn(tx, t.tool, now);
          return { state: 'found', ticket: { ...(await ticketById(tx, id))!, position: null }, borrow: null, consequences };
        }
        const expiresAt = leaseDeadline(now, t.leaseSeconds);
        await tx.$executeRaw`UPDATE queue_tickets SET expires_at = ${expiresAt} WHERE id = ${id} AND state = 'waiting'`;
        return { state: 'found', ticket: await withPosition(tx, { ...t, expiresAt }), borrow: null, consequences: [] };
      }
      const held = t.borrowId
        ? (await tx.$queryRaw<BorrowRow[]>`SELECT ${BORROW_COLUMNS} FROM borrows WHERE id = ${t.borrowId}`)[0]
        : undefined;
      return { state: 'found', ticket: { ...t, position: null }, borrow: held ?? null, consequences: [] };
    });
  }

  cancelTicket(id: string, now: Date): Promise<TicketOutcome> {
    return transaction(this.prisma, async (tx): Promise<TicketOutcome> => {
      const first = await ticketById(tx, id);
      if (!first) return { state: 'unknown' };
      if (first.state === 'waiting') await lockTool(tx, first.tool);
      const t = first.state === 'waiting' ? (await ticketById(tx, id))! : first;
      if (t.state === 'granted') return { state: 'granted', ticket: { ...t, position: null } };
      if (t.state !== 'waiting') return { state: 'found', ticket: { ...t, position: null }, borrow: null, consequences: [] };
      const left = await leave(tx, t, 'cancelled', now);
      return { state: 'found', ticket: left.ticket, borrow: null, consequences: [left] };
    });
  }

  updateBudget(b: BudgetInput, now: Date): Promise<BudgetOutcome> {
    return transaction(this.prisma, async (tx): Promise<BudgetOutcome> => {
      let before = await lockTool(tx, b.tool);
      if (!before) return { error: 'unknown_tool' };
      // Hours already started are charged under the settings they started with.
      if (before.overageMode === 'per_seat_hour') before = (await settle(tx, before, slotsInUse(before.borrowed, before.commit), now)).row;
      if (before.shares) {
        const problem = sharesProblem((await teamsOf(tx, b.tool)).shares, b);
        if (problem) return { error: 'shares', before, problem };
      }
      let after = (
        await tx.$queryRaw<ToolRow[]>`
        UPDATE tools SET total = ${b.total}, commit_quantity = ${b.commit}, max_overage = ${b.maxOverage},
          commit_price = ${b.commitPrice}, overage_price_per_license = ${b.overagePricePerLicense}, updated_at = ${now},
          lease_seconds = CASE WHEN ${b.leaseSeconds !== undefined} THEN ${b.leaseSeconds ?? null}::integer ELSE lease_seconds END,
          billing_day = coalesce(${b.billingDay ?? null}::integer, billing_day),
          overage_mode = coalesce(${b.overageMode ?? null}::text, overage_mode),
          spend_cap = CASE WHEN ${b.spendCap !== undefined} THEN ${b.spendCap ?? null}::double precision ELSE spend_cap END
        WHERE name = ${b.tool} AND borrowed <= ${b.total} AND retired_at IS NULL RETURNING ${COLUMNS}`
      )[0];
      if (!after) return { error: 'below_borrowed', before };
      // Slots belong to one mode: switching drops them (seats held now start no hour until filled again).
      if (after.overageMode !== before.overageMode) await tx.$executeRaw`DELETE FROM overage_slots WHERE tool = ${b.tool}`;
      // A new billing day moves the period: its spend is counted again from the charges.
      if (after.billingDay !== before.billingDay) {
        const p = billingPeriod(now, after.billingDay);
        after = (
          await tx.$queryRaw<ToolRow[]>`UPDATE tools SET period_start = ${p.start}, period_overage_cost = (
            SELECT coalesce(sum(amount), 0) FROM overage_charges WHERE tool = ${b.tool} AND charged_at >= ${p.start} AND charged_at < ${p.end})
          WHERE name = ${b.tool} RETURNING ${COLUMNS}`
        )[0]!;
      }
      const event = await poolEvent(tx, 'budget_changed', after, now);
      // A budget that grows seats the line at once.
      const consequences: Consequence[] = [];
      if (after.queued > 0) await serveLine(tx, b.tool, now, consequences);
      return { error: null, before, after, event, consequences };
    });
  }

  // The name is the key, retired or not, so a name once used stays reserved for its history.
  createTool(b: BudgetInput, now: Date): Promise<CreateToolOutcome> {
    return transaction(this.prisma, async (tx): Promise<CreateToolOutcome> => {
      const row = (
        await tx.$queryRaw<ToolRow[]>`
        INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at, lease_seconds,
          billing_day, overage_mode, spend_cap)
        VALUES (${b.tool}, ${b.total}, ${b.commit}, ${b.maxOverage}, ${b.commitPrice}, ${b.overagePricePerLicense}, ${now},
          ${b.leaseSeconds ?? null}::integer, ${b.billingDay ?? DEFAULT_BILLING_DAY}, ${b.overageMode ?? 'per_borrow'},
          ${b.spendCap ?? null}::double precision)
        ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`
      )[0];
      if (!row) {
        const found = await tx.$queryRaw<
          { retired: boolean }[]
        >`SELECT retired_at IS NOT NULL AS retired FROM tools WHERE name = ${b.tool}`;
        return { error: 'exists', retired: found[0]?.retired === true };
      }
      return { error: null, row, event: await poolEvent(tx, 'pool_created', row, now) };
    });
  }

  // Decided under the pool's lock, after overdue leases and silent waiters were released:
  // a racing borrow waits for the lock and then finds the pool retired.
  retireTool(name: string, now: Date): Promise<RetireToolOutcome> {
    return transaction(this.prisma, async (tx): Promise<RetireToolOutcome> => {
      const pool = await lockTool(tx, name);
      if (!pool) return { error: 'unknown_tool' };
      const released = await expireIn(tx, name, now);
      const current = released.at(-1)?.row ?? pool;
      if (!mayRetire(current)) return { error: 'in_use', row: current };
      const retired = (
        await tx.$queryRaw<ToolRow[]>`UPDATE tools SET retired_at = ${now}, updated_at = ${now} WHERE name = ${name} RETURNING ${COLUMNS}`
      )[0]!;
      const row = { ...retired, retiredAt: now };
      return { error: null, row, event: await poolEvent(tx, 'pool_retired', row, now) };
    });
  }

  async ticketHolder(id: string): Promise<string | undefined> {
    const rows = await retryOnConnectionLoss(
      () => this.prisma.$queryRaw<{ user: string }[]>`SELECT "user" FROM queue_tickets WHERE id = ${id}`,
    );
    return rows[0]?.user;
  }

  async holder(id: string): Promise<string | undefined> {
    const row = await retryOnConnectionLoss(() => this.prisma.borrow.findUnique({ where: { id }, select: { user: true } }));
    return row?.user;
  }

  // Teams and shares. A pool's shares change under its lock; tools.shares keeps their count,
  // so borrows of pools without shares never read the team tables.
  setShares(tool: string, shares: TeamShare[], now: Date): Promise<SharesOutcome> {
    return transaction(this.prisma, async (tx): Promise<SharesOutcome> => {
      const pool = await lockTool(tx, tool);
      if (!pool) return { error: 'unknown_tool' };
      for (const share of shares) {
        const found = await tx.$queryRaw<unknown[]>`SELECT 1 FROM teams WHERE name = ${share.team}`;
        if (found.length === 0) return { error: 'unknown_team', team: share.team };
      }
      const problem = sharesProblem(shares, pool);
      if (problem) return { error: 'impossible', problem };
      await tx.$executeRaw`DELETE FROM pool_shares WHERE tool = ${tool}`;
      for (const share of shares) {
        await tx.$executeRaw`INSERT INTO pool_shares (tool, team, reserved, max) VALUES (${tool}, ${share.team}, ${share.reserved}, ${share.max})`;
      }
      await tx.$executeRaw`UPDATE tools SET shares = ${shares.length} WHERE name = ${tool}`;
      const consequences: Consequence[] = [];
      await serveLine(tx, tool, now, consequences);
      return { error: null, shares, row: (await toolRow(tx, tool))!, consequences };
    });
  }

  createTeam(name: string, now: Date): Promise<TeamOutcome> {
    return retryOnConnectionLoss(async () => {
      const n = await this.prisma.$executeRaw`INSERT INTO teams (name, created_at) VALUES (${name}, ${now}) ON CONFLICT (name) DO NOTHING`;
      return n === 0 ? { error: 'exists' as const } : { error: null };
    });
  }

  deleteTeam(name: string, _now: Date): Promise<TeamOutcome> {
    return transaction(this.prisma, async (tx): Promise<TeamOutcome> => {
      const found = await tx.$queryRaw<unknown[]>`SELECT 1 FROM teams WHERE name = ${name} FOR UPDATE`;
      if (found.length === 0) return { error: 'unknown_team' };
      // Pool rows first (the order every writer takes), then their shares.
      const tools = await tx.$queryRaw<{ tool: string }[]>`SELECT tool FROM pool_shares WHERE team = ${name} ORDER BY tool`;
      for (const { tool } of tools) await lockTool(tx, tool);
      await tx.$executeRaw`DELETE FROM pool_shares WHERE team = ${name}`;
      for (const { tool } of tools) {
        await tx.$executeRaw`UPDATE tools SET shares = (SELECT count(*) FROM pool_shares WHERE tool = ${tool}) WHERE name = ${tool}`;
      }
      await tx.$executeRaw`DELETE FROM team_members WHERE team = ${name}`;
      await tx.$executeRaw`DELETE FROM teams WHERE name = ${name}`;
      return { error: null };
    });
  }

  setMembers(team: string, users: string[], now: Date): Promise<TeamOutcome> {
    return transaction(this.prisma, async (tx): Promise<TeamOutcome> => {
      const found = await tx.$queryRaw<unknown[]>`SELECT 1 FROM teams WHERE name = ${team} FOR UPDATE`;
      if (found.length === 0) return { error: 'unknown_team' };
      const others = await tx.$queryRaw<{ user: string; team: string }[]>`
        SELECT "user", team FROM team_members WHERE "user" = ANY(${users}) AND team <> ${team} ORDER BY "user"`;
      if (others.length > 0) return { error: 'member_elsewhere', users: others };
      await tx.$executeRaw`DELETE FROM team_members WHERE team = ${team}`;
      for (const user of new Set(users)) {
        await tx.$executeRaw`INSERT INTO team_members (team, "user", added_at) VALUES (${team}, ${user}, ${now})`;
      }
      return { error: null };
    });
  }

  syncTeam(user: string, team: string | null, now: Date): Promise<SyncTeamOutcome> {
    return transaction(this.prisma, async (tx): Promise<SyncTeamOutcome> => {
      // The team row first (as setMembers locks it), then the user's membership row.
      let teamCreated = false;
      if (team !== null) {
        teamCreated =
          (await tx.$executeRaw`INSERT INTO teams (name, created_at) VALUES (${team}, ${now}) ON CONFLICT (name) DO NOTHING`) > 0;
        await tx.$queryRaw`SELECT 1 FROM teams WHERE name = ${team} FOR UPDATE`;
      }
      const rows = await tx.$queryRaw<{ team: string; source: string }[]>`
        SELECT team, source FROM team_members WHERE "user" = ${user} FOR UPDATE`;
      const previous = rows[0] ?? null;
      if (team === null) {
        if (previous?.source !== 'idp') return { changed: false, previous, teamCreated };
        await tx.$executeRaw`DELETE FROM team_members WHERE "user" = ${user}`;
        return { changed: true, previous, teamCreated };
      }
      if (previous?.team === team) return { changed: false, previous, teamCreated };
      // An upsert on the unique user: two processes syncing the same new user cannot collide.
      await tx.$executeRaw`INSERT INTO team_members (team, "user", added_at, source) VALUES (${team}, ${user}, ${now}, 'idp')
        ON CONFLICT ("user") DO UPDATE SET team = EXCLUDED.team, added_at = EXCLUDED.added_at, source = 'idp'`;
      return { changed: true, previous, teamCreated };
    });
  }

  tool(name: string): Promise<ToolRow | undefined> {
    return retryOnConnectionLoss(() => toolRow(this.prisma, name));
  }

  // One bounded batch; SKIP LOCKED lets several processes prune side by side without
  // waiting on each other's rows. Ended tickets go with the history.
  async pruneEvents(before: Date, limit: number): Promise<number> {
    const n = await this.prisma.$executeRaw`DELETE FROM license_events WHERE id IN (
      SELECT id FROM license_events WHERE at < ${before} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    if (n >= limit) return n;
    return (
      n +
      (await this.prisma.$executeRaw`DELETE FROM queue_tickets WHERE id IN (
      SELECT id FROM queue_tickets WHERE ended_at < ${before} LIMIT ${limit - n} FOR UPDATE SKIP LOCKED)`)
    );
  }

  // Sorted here, not by ORDER BY: PostgreSQL's collation would not sort like SQLite's bytes.
  async tools(): Promise<ToolRow[]> {
    const rows = await retryOnConnectionLoss(() => this.prisma.$queryRaw<ToolRow[]>`SELECT ${COLUMNS} FROM tools WHERE retired_at IS NULL`);
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
