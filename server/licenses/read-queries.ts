// The statements behind the paged lists (borrows, charges, the line, history, teams) and the
// usage series: written once with Kysely against the generated table types and compiled per
// database by sql.ts, like the store's own (store-queries.ts). Keyset paging (paging.ts): a
// page is `size + 1` rows after the cursor's row, in a total order. Shapes vary with the
// filters given, so these compile per call (tens of microseconds; each is one round trip).
import { sql, type ExpressionBuilder, type OperandValueExpression, type ReferenceExpression } from 'kysely';
import type { DB } from '../db/tables.ts';
import type { EventRow } from './outcomes.ts';
import { dynamic, statement } from './sql.ts';
import { asDate } from './store-queries.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const count = sql<number>`COUNT(*)`.as('n');

/**
 * The rows past a keyset cursor on two columns, in the direction `op` walks ('<' newest
 * first, '>' ascending): `first op a OR (first = a AND second op b)`. Written out rather than
 * as a row-value comparison, which not every planner answers from the index.
 */
function pastCursor<TB extends keyof DB, R1 extends ReferenceExpression<DB, TB>, R2 extends ReferenceExpression<DB, TB>>(
  eb: ExpressionBuilder<DB, TB>,
  [first, second]: [R1, R2],
  op: '<' | '>',
  [a, b]: readonly [OperandValueExpression<DB, TB, R1>, OperandValueExpression<DB, TB, R2>],
) {
  return eb.or([eb(first, op, a), eb.and([eb(first, '=', a), eb(second, op, b)])]);
}

/** An event row as the store writes it (times as Dates, counts as numbers). */
export const eventRow = (r: Row): EventRow => ({
  id: num(r.id),
  at: asDate(r.at),
  type: r.type as string,
  tool: r.tool as string,
  user: r.user as string | null,
  borrowId: r.borrow_id as string | null,
  reason: r.reason as string | null,
  ticketId: r.ticket_id as string | null,
  borrowed: num(r.borrowed),
  total: num(r.total),
});

/** Seats held now, newest first: (borrowed_at, id) descending. */
export const borrowsPage = dynamic((db, a: { user?: string; after: { at: Date; id: string } | null; take: number }) =>
  db
    .selectFrom('borrows')
    .selectAll()
    .$if(a.user !== undefined, (q) => q.where('user', '=', a.user!))
    .$if(a.after !== null, (q) => q.where((eb) => pastCursor(eb, ['borrowed_at', 'id'], '<', [a.after!.at, a.after!.id])))
    .orderBy('borrowed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(a.take),
);
export const borrowCount = dynamic((db, a: { user?: string }) =>
  db
    .selectFrom('borrows')
    .select(count)
    .$if(a.user !== undefined, (q) => q.where('user', '=', a.user!)),
);
/** Seats held under a lease, per pool. */
export const leasedPerPool = statement((db) =>
  db.selectFrom('borrows').select(['tool', count]).where('expires_at', 'is not', null).groupBy('tool'),
);

/** Overage charges, newest first: (charged_at, id) descending. */
export const chargesPage = dynamic((db, a: { tool?: string; after: { at: Date; id: string } | null; take: number }) =>
  db
    .selectFrom('overage_charges')
    .select(['id', 'tool', 'borrow_id', 'user', 'charged_at', 'amount', 'kind'])
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!))
    .$if(a.after !== null, (q) => q.where((eb) => pastCursor(eb, ['charged_at', 'id'], '<', [a.after!.at, a.after!.id])))
    .orderBy('charged_at', 'desc')
    .orderBy('id', 'desc')
    .limit(a.take),
);
export const chargeCount = dynamic((db, a: { tool?: string }) =>
  db
    .selectFrom('overage_charges')
    .select(count)
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!)),
);

/** A pool's line, head first: the waiting tickets after `seq`. */
export const waitingPage = statement((db, $: { tool: string; after: number; take: number }) =>
  db
    .selectFrom('queue_tickets')
    .selectAll()
    .where('tool', '=', $.tool)
    .where('state', '=', sql.lit('waiting'))
    .where('seq', '>', $.after)
    .orderBy('seq', 'asc')
    .limit($.take),
);
/** License history, newest first (by id: the order events were written). */
export const eventsPage = dynamic((db, a: { tool?: string; before: number | null; take: number }) =>
  db
    .selectFrom('license_events')
    .selectAll()
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!))
    .$if(a.before !== null, (q) => q.where('id', '<', a.before!))
    .orderBy('id', 'desc')
    .limit(a.take),
);
export const eventCount = dynamic((db, a: { tool?: string }) =>
  db
    .selectFrom('license_events')
    .select(count)
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!)),
);
/** Events from `since` on, oldest first. */
export const eventsSince = statement((db, $: { since: Date; take: number }) =>
  db.selectFrom('license_events').selectAll().where('at', '>=', $.since).orderBy('id', 'asc').limit($.take),
);
/** A pool's last event before `at` (its seat count then). */
export const lastEventBefore = statement((db, $: { tool: string; at: Date }) =>
  db.selectFrom('license_events').selectAll().where('tool', '=', $.tool).where('at', '<', $.at).orderBy('id', 'desc').limit(1),
);

// Teams.
export const teamsFirst = statement((db, $: { take: number }) =>
  db.selectFrom('teams').select(['name', 'created_at']).orderBy('name', 'asc').limit($.take),
);
export const teamNamed = statement((db, $: { name: string }) =>
  db.selectFrom('teams').select(['name', 'created_at']).where('name', '=', $.name),
);
/** The members of some teams, by team then user (at most `take` per team are kept by the caller). */
export const membersOf = dynamic((db, a: { teams: string[] }) =>
  db.selectFrom('team_members').select(['team', 'user']).where('team', 'in', a.teams).orderBy('team').orderBy('user'),
);
export const sharesOf = dynamic((db, a: { teams: string[] }) =>
  db.selectFrom('pool_shares').select(['tool', 'team', 'reserved', 'max']).where('team', 'in', a.teams),
);
export const sharesOfPool = statement((db, $: { tool: string }) =>
  db.selectFrom('pool_shares').select(['tool', 'team', 'reserved', 'max']).where('tool', '=', $.tool),
);

/** Memberships by (team, user) ascending, after the cursor's. */
export const membershipsPage = dynamic((db, a: { team?: string; after: [string, string] | null; take: number }) =>
  db
    .selectFrom('team_members')
    .select(['team', 'user'])
    .$if(a.team !== undefined, (q) => q.where('team', '=', a.team!))
    .$if(a.after !== null, (q) => q.where((eb) => pastCursor(eb, ['team', 'user'], '>', a.after!)))
    .orderBy('team', 'asc')
    .orderBy('user', 'asc')
    .limit(a.take),
);
export const membershipCount = dynamic((db, a: { team?: string }) =>
  db
    .selectFrom('team_members')
    .select(count)
    .$if(a.team !== undefined, (q) => q.where('team', '=', a.team!)),
);

/** Pool shares by (tool, team) ascending, after the cursor's. */
export const sharesPage = dynamic((db, a: { tool?: string; after: [string, string] | null; take: number }) =>
  db
    .selectFrom('pool_shares')
    .select(['tool', 'team', 'reserved', 'max'])
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!))
    .$if(a.after !== null, (q) => q.where((eb) => pastCursor(eb, ['tool', 'team'], '>', a.after!)))
    .orderBy('tool', 'asc')
    .orderBy('team', 'asc')
    .limit(a.take),
);
export const shareCount = dynamic((db, a: { tool?: string }) =>
  db
    .selectFrom('pool_shares')
    .select(count)
    .$if(a.tool !== undefined, (q) => q.where('tool', '=', a.tool!)),
);
