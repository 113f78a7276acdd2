// Every statement of the license store, written once (sql.ts compiles each per database),
// and the mapping from the rows they return to the domain's rows. Times come back as text
// from SQLite and as Dates from PostgreSQL, counts as numbers or text: the mappers take both.
import { sql } from 'kysely';
import type { ToolRow } from './pool-status.ts';
import type { BorrowRow, TicketRow } from './outcomes.ts';
import type { OverageMode, SlotRow } from './overage-rules.ts';
import type { TicketState } from './types.ts';
import { dynamic, statement } from './sql.ts';

type Time = Date;
type Row = Record<string, unknown>;
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const maybeDate = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
/** The named arguments themselves (a statement's `$` lists no keys of its own to spread). */
const pick = <A, K extends keyof A>($: A, keys: readonly K[]): Pick<A, K> => Object.fromEntries(keys.map((k) => [k, $[k]])) as Pick<A, K>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

const TOOL = [
  'name',
  'total',
  'borrowed',
  'commit_quantity',
  'max_overage',
  'commit_price',
  'overage_price_per_license',
  'overage_cost',
  'lease_seconds',
  'queued',
  'shares',
  'billing_day',
  'overage_mode',
  'spend_cap',
  'period_start',
  'period_overage_cost',
] as const;
export const toolRow = (r: Row): ToolRow => ({
  name: r.name as string,
  total: num(r.total),
  borrowed: num(r.borrowed),
  commit: num(r.commit_quantity),
  maxOverage: num(r.max_overage),
  commitPrice: num(r.commit_price),
  overagePricePerLicense: num(r.overage_price_per_license),
  overageCost: num(r.overage_cost),
  leaseSeconds: r.lease_seconds === null ? null : num(r.lease_seconds),
  queued: num(r.queued),
  shares: num(r.shares),
  billingDay: num(r.billing_day),
  overageMode: r.overage_mode as OverageMode,
  spendCap: r.spend_cap === null ? null : num(r.spend_cap),
  periodStart: maybeDate(r.period_start),
  periodOverageCost: num(r.period_overage_cost),
});

const BORROW = ['id', 'tool', 'user', 'borrowed_at', 'lease_seconds', 'expires_at', 'host', 'team', 'project'] as const;
export const borrowRow = (r: Row): BorrowRow => ({
  id: r.id as string,
  tool: r.tool as string,
  user: r.user as string,
  borrowedAt: asDate(r.borrowed_at),
  leaseSeconds: r.lease_seconds === null ? null : num(r.lease_seconds),
  expiresAt: maybeDate(r.expires_at),
  host: r.host as string | null,
  team: r.team as string | null,
  project: r.project as string | null,
});

const TICKET = [
  'id',
  'tool',
  'user',
  'host',
  'seq',
  'queued_at',
  'lease_seconds',
  'expires_at',
  'state',
  'borrow_id',
  'team',
  'project',
  'idempotency_key',
] as const;
export const ticketRow = (r: Row, position: number | null = null): TicketRow => ({
  id: r.id as string,
  tool: r.tool as string,
  user: r.user as string,
  host: r.host as string | null,
  seq: num(r.seq),
  queuedAt: asDate(r.queued_at),
  leaseSeconds: num(r.lease_seconds),
  expiresAt: maybeDate(r.expires_at),
  state: r.state as TicketState,
  borrowId: r.borrow_id as string | null,
  position,
  team: r.team as string | null,
  project: r.project as string | null,
});

const SLOT = ['slot', 'paid_until', 'borrow_id', 'user', 'team', 'project'] as const;
export const slotRow = (r: Row): SlotRow => ({
  slot: num(r.slot),
  paidUntil: asDate(r.paid_until),
  borrowId: r.borrow_id as string | null,
  user: r.user as string | null,
  team: r.team as string | null,
  project: r.project as string | null,
});

// Pools. A retired pool is gone for every read: status, metrics, borrows (404), budgets.
/** The pool's row, locked until the transaction ends (SQLite: the file is, since BEGIN IMMEDIATE). */
export const lockPool = statement((db, $: { name: string }, t) =>
  t.lockRows(db.selectFrom('tools').select(TOOL).where('name', '=', $.name).where('retired_at', 'is', null)),
);
export const poolByName = statement((db, $: { name: string }) =>
  db.selectFrom('tools').select(TOOL).where('name', '=', $.name).where('retired_at', 'is', null),
);
export const livePools = statement((db) => db.selectFrom('tools').select(TOOL).where('retired_at', 'is', null));
/** What a batch changed in a locked pool's row, written once at its end. */
export const savePool = statement(
  (
    db,
    $: { name: string; borrowed: number; overage_cost: number; queued: number; period_start: Time | null; period_overage_cost: number },
  ) =>
    db
      .updateTable('tools')
      .set({
        borrowed: $.borrowed,
        overage_cost: $.overage_cost,
        queued: $.queued,
        period_start: $.period_start,
        period_overage_cost: $.period_overage_cost,
      })
      .where('name', '=', $.name),
);
/** A pool's row as the budget form sets it: created with it, or replaced by it. */
type PoolSettings = {
  name: string;
  total: number;
  commit_quantity: number;
  max_overage: number;
  commit_price: number;
  overage_price_per_license: number;
  updated_at: Time;
  lease_seconds: number | null;
  billing_day: number;
  overage_mode: string;
  spend_cap: number | null;
};
/**
 * The columns a pool's settings fill, for an UPDATE's SET and an INSERT's VALUES alike. Each
 * read from `$` by name: `$` stands for the arguments while a statement is built (sql.ts), a
 * proxy with no keys of its own, so spreading it would give nothing.
 */
const settingColumns = ($: PoolSettings) => ({
  total: $.total,
  commit_quantity: $.commit_quantity,
  max_overage: $.max_overage,
  commit_price: $.commit_price,
  overage_price_per_license: $.overage_price_per_license,
  updated_at: $.updated_at,
  lease_seconds: $.lease_seconds,
  billing_day: $.billing_day,
  overage_mode: $.overage_mode,
  spend_cap: $.spend_cap,
});
export const setBudget = statement((db, $: PoolSettings) =>
  db.updateTable('tools').set(settingColumns($)).where('name', '=', $.name).returning(TOOL),
);
export const setShareCount = statement((db, $: { name: string; shares: number }) =>
  db.updateTable('tools').set({ shares: $.shares }).where('name', '=', $.name).returning(TOOL),
);
export const insertPool = statement((db, $: PoolSettings) =>
  db
    .insertInto('tools')
    .values({ name: $.name, ...settingColumns($) })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(TOOL),
);
export const poolRetired = statement((db, $: { name: string }) =>
  db
    .selectFrom('tools')
    .select((eb) => eb('retired_at', 'is not', null).as('retired'))
    .where('name', '=', $.name),
);
export const retirePool = statement((db, $: { name: string; at: Time }) =>
  db.updateTable('tools').set({ retired_at: $.at, updated_at: $.at }).where('name', '=', $.name),
);
/**
 * Pools the sweep visits: an overdue lease or waiting ticket, a per_seat_hour slot in use
 * whose paid hour ran out (its next hour is charged), or a capped pool whose line waits
 * while seats are free (the cap may have lifted with a new period).
 */
// By the deadline indexes: SQLite, unhinted, reads every lease in pool order for the UNION
// (20,000 live leases, nothing due: 4.6 ms a sweep, each second, in every process; hinted: 4 µs).
export const overduePools = statement((db, $: { now: Time }, t) =>
  db
    .selectFrom(t.indexed('borrows', 'borrows_expires_at_idx'))
    .select('tool')
    .where('expires_at', '<=', $.now)
    .union(db.selectFrom(t.indexed('queue_tickets', 'queue_tickets_expires_at_idx')).select('tool').where('expires_at', '<=', $.now))
    .union(
      db
        .selectFrom('overage_slots as s')
        .innerJoin('tools as t', 't.name', 's.tool')
        .select('s.tool')
        .where('s.paid_until', '<=', $.now)
        .where('t.overage_mode', '=', 'per_seat_hour')
        .where('t.retired_at', 'is', null)
        .where((eb) => eb('s.slot', '<=', eb('t.borrowed', '-', eb.ref('t.commit_quantity')))),
    )
    .union(
      db
        .selectFrom('tools')
        .select('name as tool')
        .where('queued', '>', 0)
        .where('spend_cap', 'is not', null)
        .where('retired_at', 'is', null)
        .where((eb) =>
          eb.and([eb('borrowed', '<', eb.ref('total')), eb('borrowed', '<', eb('commit_quantity', '+', eb.ref('max_overage')))]),
        ),
    ),
);

// Borrows.
export const borrowById = statement((db, $: { id: string }) => db.selectFrom('borrows').select(BORROW).where('id', '=', $.id));
export const borrowByKey = statement((db, $: { key: string }) =>
  db.selectFrom('borrows').select(BORROW).where('idempotency_key', '=', $.key),
);
export const holderOf = statement((db, $: { id: string }) => db.selectFrom('borrows').select(['tool', 'user']).where('id', '=', $.id));
export const overdueBorrows = statement((db, $: { tool: string; now: Time }) =>
  db.selectFrom('borrows').select(BORROW).where('tool', '=', $.tool).where('expires_at', '<=', $.now),
);
export const insertBorrow = statement(
  (
    db,
    $: {
      id: string;
      tool: string;
      user: string;
      borrowed_at: Time;
      lease_seconds: number | null;
      expires_at: Time | null;
      host: string | null;
      idempotency_key: string | null;
      team: string | null;
      project: string | null;
    },
  ) =>
    db
      .insertInto('borrows')
      .values(pick($, ['id', 'tool', 'user', 'borrowed_at', 'lease_seconds', 'expires_at', 'host', 'idempotency_key', 'team', 'project'])),
);
export const renewBorrow = statement((db, $: { id: string; expires_at: Time }) =>
  db.updateTable('borrows').set({ expires_at: $.expires_at }).where('id', '=', $.id),
);
/** DELETE ... RETURNING hands the row to exactly one caller, however many race. */
export const deleteBorrow = statement((db, $: { id: string }) => db.deleteFrom('borrows').where('id', '=', $.id).returning(BORROW));
export const deleteBorrows = dynamic((db, ids: string[]) => db.deleteFrom('borrows').where('id', 'in', ids).returning('id'));
/** Why a borrow is gone: the last event that ended it. */
export const lastEnd = statement((db, $: { id: string }) =>
  db
    .selectFrom('license_events')
    .select(['type', 'reason'])
    .where('borrow_id', '=', $.id)
    .where('type', 'in', ['expired', 'revoked'])
    .orderBy('id', 'desc')
    .limit(1),
);

// History.
export const insertEvent = statement(
  (
    db,
    $: {
      at: Time;
      type: string;
      tool: string;
      user: string | null;
      borrow_id: string | null;
      reason: string | null;
      ticket_id: string | null;
      team: string | null;
      project: string | null;
      started_at: Time | null;
      borrowed: number;
      total: number;
    },
  ) =>
    db
      .insertInto('license_events')
      .values(
        pick($, ['at', 'type', 'tool', 'user', 'borrow_id', 'reason', 'ticket_id', 'team', 'project', 'started_at', 'borrowed', 'total']),
      )
      .returning('id'),
);
export const eventExists = statement((db, $: { id: number }) => db.selectFrom('license_events').select('id').where('id', '=', $.id));
/** One bounded batch: the lock is held for milliseconds and borrows slip in between. */
export const pruneEvents = statement((db, $: { before: Time; limit: number }, t) =>
  db
    .deleteFrom('license_events')
    .where('id', 'in', t.skipLocked(db.selectFrom('license_events').select('id').where('at', '<', $.before).limit($.limit))),
);
export const pruneTickets = statement((db, $: { before: Time; limit: number }, t) =>
  db
    .deleteFrom('queue_tickets')
    .where('id', 'in', t.skipLocked(db.selectFrom('queue_tickets').select('id').where('ended_at', '<', $.before).limit($.limit))),
);

// Overage.
export const insertCharge = statement(
  (
    db,
    $: {
      id: string;
      tool: string;
      borrow_id: string;
      user: string;
      charged_at: Time;
      amount: number;
      team: string | null;
      project: string | null;
      kind: string;
    },
  ) =>
    db
      .insertInto('overage_charges')
      .values(pick($, ['id', 'tool', 'borrow_id', 'user', 'charged_at', 'amount', 'team', 'project', 'kind'])),
);
export const spentBetween = statement((db, $: { tool: string; start: Time; end: Time }) =>
  db
    .selectFrom('overage_charges')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('spent'))
    .where('tool', '=', $.tool)
    .where('charged_at', '>=', $.start)
    .where('charged_at', '<', $.end),
);
export const slotPaidUntil = statement((db, $: { tool: string; slot: number }) =>
  db.selectFrom('overage_slots').select('paid_until').where('tool', '=', $.tool).where('slot', '=', $.slot),
);
export const slotsOf = statement((db, $: { tool: string; upTo: number }) =>
  db.selectFrom('overage_slots').select(SLOT).where('tool', '=', $.tool).where('slot', '<=', $.upTo).orderBy('slot'),
);
/** A slot filled by a seat: its paid hour kept unless the seat starts a new one. */
export const fillSlot = statement(
  (
    db,
    $: {
      tool: string;
      slot: number;
      paid_until: Time;
      paid: Time | null;
      borrow_id: string;
      user: string;
      team: string | null;
      project: string | null;
    },
  ) =>
    db
      .insertInto('overage_slots')
      .values({
        tool: $.tool,
        slot: $.slot,
        paid_until: $.paid_until,
        borrow_id: $.borrow_id,
        user: $.user,
        team: $.team,
        project: $.project,
      })
      .onConflict((oc) =>
        oc.columns(['tool', 'slot']).doUpdateSet((eb) => ({
          paid_until: eb.fn.coalesce(sql<Time>`${$.paid}`, eb.ref('overage_slots.paid_until')),
          borrow_id: eb.ref('excluded.borrow_id'),
          user: eb.ref('excluded.user'),
          team: eb.ref('excluded.team'),
          project: eb.ref('excluded.project'),
        })),
      ),
);
export const setSlotPaid = statement((db, $: { tool: string; slot: number; paid_until: Time }) =>
  db.updateTable('overage_slots').set({ paid_until: $.paid_until }).where('tool', '=', $.tool).where('slot', '=', $.slot),
);
export const setSlotHolder = statement(
  (db, $: { tool: string; slot: number; borrow_id: string | null; user: string | null; team: string | null; project: string | null }) =>
    db
      .updateTable('overage_slots')
      .set({ borrow_id: $.borrow_id, user: $.user, team: $.team, project: $.project })
      .where('tool', '=', $.tool)
      .where('slot', '=', $.slot),
);
export const dropSlots = statement((db, $: { tool: string }) => db.deleteFrom('overage_slots').where('tool', '=', $.tool));

// The line (queue_tickets_tool_state_seq_idx).
export const ticketById = statement((db, $: { id: string }) => db.selectFrom('queue_tickets').select(TICKET).where('id', '=', $.id));
export const ticketByKey = statement((db, $: { key: string }) =>
  db.selectFrom('queue_tickets').select(TICKET).where('idempotency_key', '=', $.key),
);
export const ticketHolder = statement((db, $: { id: string }) => db.selectFrom('queue_tickets').select('user').where('id', '=', $.id));
export const placeInLine = statement((db, $: { tool: string; seq: number }) =>
  db
    .selectFrom('queue_tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tool', '=', $.tool)
    .where('state', '=', 'waiting')
    .where('seq', '<=', $.seq),
);
export const nextSeq = statement((db, $: { tool: string }) =>
  db
    .selectFrom('queue_tickets')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('tool', '=', $.tool),
);
export const overdueTickets = statement((db, $: { tool: string; now: Time }) =>
  db
    .selectFrom('queue_tickets')
    .select(TICKET)
    .where('tool', '=', $.tool)
    .where('state', '=', 'waiting')
    .where('expires_at', '<=', $.now)
    .orderBy('seq'),
);
/** A pool's line in order, with each ticket's key (its grant's borrow takes it over). */
export const line = statement((db, $: { tool: string; limit: number }) =>
  db.selectFrom('queue_tickets').select(TICKET).where('tool', '=', $.tool).where('state', '=', 'waiting').orderBy('seq').limit($.limit),
);
export const insertTicket = statement(
  (
    db,
    $: {
      id: string;
      tool: string;
      user: string;
      host: string | null;
      seq: number;
      queued_at: Time;
      lease_seconds: number;
      expires_at: Time;
      idempotency_key: string | null;
      team: string | null;
      project: string | null;
    },
  ) =>
    db.insertInto('queue_tickets').values({
      ...pick($, ['id', 'tool', 'user', 'host', 'seq', 'queued_at', 'lease_seconds', 'expires_at', 'idempotency_key', 'team', 'project']),
      state: 'waiting',
    }),
);
/**
 * A ticket ends once: only a waiting one changes state; its key is free again (a later
 * borrow with it is a new request), its deadline gone (the sweep no longer sees it).
 */
export const endTicket = statement((db, $: { id: string; state: string; ended_at: Time; borrow_id: string | null }) =>
  db
    .updateTable('queue_tickets')
    .set({ state: $.state, ended_at: $.ended_at, expires_at: null, idempotency_key: null, borrow_id: $.borrow_id })
    .where('id', '=', $.id)
    .where('state', '=', 'waiting'),
);
export const renewTicket = statement((db, $: { id: string; expires_at: Time }) =>
  db.updateTable('queue_tickets').set({ expires_at: $.expires_at }).where('id', '=', $.id).where('state', '=', 'waiting'),
);

// Teams and shares.
export const teamOfUser = statement((db, $: { user: string }) => db.selectFrom('team_members').select('team').where('user', '=', $.user));
export const sharesOf = statement((db, $: { tool: string }) =>
  db.selectFrom('pool_shares').select(['team', 'reserved', 'max']).where('tool', '=', $.tool),
);
export const heldByTeam = statement((db, $: { tool: string }) =>
  db
    .selectFrom('borrows')
    .select((eb) => ['team', eb.fn.countAll<number>().as('n')])
    .where('tool', '=', $.tool)
    .where('team', 'is not', null)
    .groupBy('team'),
);
export const lockTeam = statement((db, $: { name: string }, t) =>
  t.lockRows(db.selectFrom('teams').select('name').where('name', '=', $.name)),
);
export const insertTeam = statement((db, $: { name: string; at: Time }) =>
  db
    .insertInto('teams')
    .values({ name: $.name, created_at: $.at })
    .onConflict((oc) => oc.column('name').doNothing()),
);
export const dropShares = statement((db, $: { tool: string }) => db.deleteFrom('pool_shares').where('tool', '=', $.tool));
export const insertShare = statement((db, $: { tool: string; team: string; reserved: number; max: number | null }) =>
  db.insertInto('pool_shares').values(pick($, ['tool', 'team', 'reserved', 'max'])),
);
export const poolsOfTeam = statement((db, $: { team: string }) =>
  db.selectFrom('pool_shares').select('tool').where('team', '=', $.team).orderBy('tool'),
);
export const dropTeamShares = statement((db, $: { team: string }) => db.deleteFrom('pool_shares').where('team', '=', $.team));
export const shareCount = statement((db, $: { tool: string }) =>
  db
    .selectFrom('pool_shares')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tool', '=', $.tool),
);
export const dropTeam = statement((db, $: { name: string }) => db.deleteFrom('teams').where('name', '=', $.name));
export const dropMembers = statement((db, $: { team: string }) => db.deleteFrom('team_members').where('team', '=', $.team));
export const membersElsewhere = dynamic((db, a: { team: string; users: string[] }) =>
  db
    .selectFrom('team_members')
    .select(['user', 'team'])
    .where('user', 'in', a.users.length > 0 ? a.users : [''])
    .where('team', '<>', a.team)
    .orderBy('user'),
);
export const insertMember = statement((db, $: { team: string; user: string; at: Time }) =>
  db.insertInto('team_members').values({ team: $.team, user: $.user, added_at: $.at }),
);
export const membershipOf = statement((db, $: { user: string }, t) =>
  t.lockRows(db.selectFrom('team_members').select(['team', 'source']).where('user', '=', $.user)),
);
export const dropMembership = statement((db, $: { user: string }) => db.deleteFrom('team_members').where('user', '=', $.user));
/** An upsert on the unique user: two processes syncing the same new user cannot collide. */
export const upsertIdpMember = statement((db, $: { team: string; user: string; at: Time }) =>
  db
    .insertInto('team_members')
    .values({ team: $.team, user: $.user, added_at: $.at, source: 'idp' })
    .onConflict((oc) =>
      oc.column('user').doUpdateSet((eb) => ({ team: eb.ref('excluded.team'), added_at: eb.ref('excluded.added_at'), source: 'idp' })),
    ),
);
