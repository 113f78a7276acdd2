// The license domain: the rules every transport (GraphQL, REST, ...) calls.
// It knows nothing of HTTP; it reports outcomes through its change feed.
import { LRUCache } from 'lru-cache';
import { borrowLicense, heartbeat, returnLicense, revokeBorrow, sweepLeases } from './borrowing.ts';
import { cancelTicket, pollTicket } from './queue.ts';
import {
  countMemberships,
  countShareRows,
  createTeam,
  deleteTeam,
  getTeam,
  listMemberships,
  listShareRows,
  listTeams,
  poolShares,
  setPoolShares,
  setTeamMembers,
  syncTeamFromIdp,
  type TeamShare,
} from './teams.ts';
import { createPool, retirePool, updateBudget } from './budgets.ts';
import { ChangeFeed } from './change-feed.ts';
import {
  costSummary,
  countBorrows,
  countCharges,
  countEvents,
  getPool,
  listBorrows,
  listCharges,
  listEvents,
  listPools,
  leasedSeats,
  listQueue,
  usageSince,
  type EventQuery,
} from './reads.ts';
import type { PageQuery } from './paging.ts';
import { LicenseStore, type Store } from './store.ts';
import type { Dialect } from './dialects/dialect.ts';
import type { BorrowRequest, BudgetInput } from './types.ts';
import { pruneEvents } from './retention.ts';
import type { ReportDb } from './report-queries.ts';
import { parseReportQuery, usageReport, type ExtraPools, type ReportQueryInput } from './reports.ts';
import { HeavyReads } from './heavy-reads.ts';
import { freezeClosedPeriods, statement, type StatementRecord } from './statements.ts';
import { SeatRollup } from './seat-rollup.ts';
import { HOUR, pruneHoursBefore } from './seat-hour-queries.ts';
import { systemClock, type Clock } from '../clock.ts';

export * from './types.ts';
export * from './errors.ts';
export * from './limits.ts';
export { printableText } from './text.ts';
export { MAX_USAGE_POINTS } from './reads.ts';
export type { Page, PageQuery } from './paging.ts';
export type { EventQuery } from './reads.ts';
export type { BorrowResult } from './borrowing.ts';
export type { Membership, ShareRow, TeamRecord, TeamShare } from './teams.ts';
export { TEAM_LIMITS } from './teams.ts';
export { DEFAULT_TICKET_LEASE_SECONDS } from './seat-rules.ts';
export { REPORT_GROUPS, REPORT_LIMITS, type ReportQueryInput, type UsageReportRecord, type UsageRowRecord } from './reports.ts';
export type { StatementLine, StatementRecord } from './statements.ts';

export class Licenses {
  readonly changes = new ChangeFeed();
  /** Writes and pool status, one program over the database's dialect (store.ts). */
  readonly #store: Store;
  /** Paged lists and teams: read-queries.ts over the store's dialect. */
  readonly #db: Dialect;
  /** Reports and statements: aggregate queries through the same dialect as the store (report-queries.ts). */
  readonly #reports: ReportDb;
  /** Every rule reads the time from `clock` (leases, tickets, periods, seat-hours, retention; clock.ts). */
  constructor(
    dialect: Dialect,
    readonly clock: Clock = systemClock,
  ) {
    this.#store = new LicenseStore(dialect);
    this.#db = dialect;
    this.#reports = dialect;
    this.#rollup = new SeatRollup(this.#reports, clock);
    // A change may alter a live report: recent results stop answering (heavy-reads.ts).
    this.changes.listen((c) => {
      const tool = c.pool?.tool ?? c.event?.tool;
      if (tool) this.#heavy.forget(tool);
    });
    this.changes.listen(this.#rollup.onChange);
  }
  /** Pools reported beside the native ones: the FlexNet/RLM pools Floatline observes (reports.ts's ExtraPools). */
  #extra: ExtraPools | null = null;
  reportAlso(extra: ExtraPools): void {
    this.#extra = extra;
  }
  /** Statements and reports: shared, queued and bounded (heavy-reads.ts). */
  readonly #heavy = new HeavyReads();
  /** Seat-hours rolled up for reports (seat-rollup.ts). */
  readonly #rollup: SeatRollup;

  /** Borrow id → holder for the borrows this process lent. AUTH_MODE=required asks the holder
   *  before every return and heartbeat (a user may touch only their own seats); a borrow's
   *  holder never changes and ids are never reused, so a remembered answer stays right, and
   *  the common cycle (borrow here, return here) costs no read. Forgotten on return or revoke
   *  here; bounded; any other borrow is read from the store. */
  readonly #holders = new LRUCache<string, string>({ max: 10_000 });

  /** `borrow(tool, user)` as the seed; `borrow({tool, user, leaseSeconds, host, idempotencyKey})` for the rest. A seat or a denial, never a wait. */
  async borrow(req: BorrowRequest | string, user?: string) {
    const request = typeof req === 'string' ? { tool: req, user: user as string } : { ...req, queue: false };
    const borrow = (await borrowLicense(this.#store, this.changes.publish, request, this.clock.now())).borrow!;
    this.#holders.set(borrow.id, borrow.user);
    return borrow;
  }
  /** A borrow that waits in the pool's line when no seat is lendable: the seat, or a ticket. */
  async borrowOrWait(req: BorrowRequest) {
    const got = await borrowLicense(this.#store, this.changes.publish, { ...req, queue: true }, this.clock.now());
    if (got.borrow) this.#holders.set(got.borrow.id, got.borrow.user);
    return got;
  }
  /** An admin's force-release of any seat, with the reason kept in the history. */
  revoke(id: string, reason: string) {
    this.#holders.delete(id);
    return revokeBorrow(this.#store, this.changes.publish, id, reason, this.clock.now());
  }
  /** A waiter's poll: the ticket's state, and its place kept for another lease. */
  ticket(id: string) {
    return pollTicket(this.#store, this.changes.publish, id, this.clock.now());
  }
  /** Leaves the line. */
  cancelTicket(id: string) {
    return cancelTicket(this.#store, this.changes.publish, id, this.clock.now());
  }
  createTeam(name: string) {
    return createTeam(this.#store, name, this.clock.now());
  }
  deleteTeam(name: string) {
    return deleteTeam(this.#store, name, this.clock.now());
  }
  setTeamMembers(team: string, users: string[]) {
    return setTeamMembers(this.#store, team, users, this.clock.now());
  }
  /** The user's team as the identity provider's groups name it (null: none); see teams.ts. */
  syncTeamFromIdp(user: string, team: string | null) {
    return syncTeamFromIdp(this.#store, user, team, this.clock.now());
  }
  /** Replaces a pool's team shares (reserved seats, maximum per team). */
  setPoolShares(tool: string, shares: TeamShare[]) {
    return setPoolShares(this.#store, this.changes.publish, tool, shares, this.clock.now());
  }
  /** One team, or null. */
  team(name: string) {
    return getTeam(this.#db, name);
  }
  teams() {
    return listTeams(this.#db);
  }
  async poolShares(tool: string) {
    await getPool(this.#store, tool, this.clock.now());
    return poolShares(this.#db, tool);
  }
  /** Team memberships, one page (one team's when team is given). */
  teamMembers(team: string | undefined, page?: PageQuery) {
    return listMemberships(this.#db, team, page);
  }
  countTeamMembers(team?: string) {
    return countMemberships(this.#db, team);
  }
  /** Pool shares as rows, one page (one pool's when tool is given). */
  teamShares(tool: string | undefined, page?: PageQuery) {
    return listShareRows(this.#db, tool, page);
  }
  countTeamShares(tool?: string) {
    return countShareRows(this.#db, tool);
  }
  /** The waiting tickets of a pool, head first. */
  queue(tool: string, page?: PageQuery) {
    return listQueue(this.#db, this.#store, tool, page ?? {}, this.clock.now());
  }
  /** Renews a borrow's lease (410-style LeaseExpiredError once it ran out). */
  heartbeat(id: string) {
    return heartbeat(this.#store, this.changes.publish, id, this.clock.now());
  }
  /** Releases every overdue lease now (the sweep runs this about once a second). */
  sweepLeases(now = this.clock.now()) {
    return sweepLeases(this.#store, this.changes.publish, now);
  }
  /** Rolls up the seat-hours that are due (the sweep's tick asks; nothing to do most ticks). */
  rollUpSeatHours(now = this.clock.now()) {
    return this.#rollup.catchUp(now);
  }
  /** Who holds the live borrow `id`; undefined when there is none (the auth rules ask before a return or heartbeat). */
  holder(id: string) {
    return this.#holders.get(id) ?? this.#store.holder(id);
  }
  /** Whose queue ticket `id` is; undefined when there is none. */
  ticketHolder(id: string) {
    return this.#store.ticketHolder(id);
  }
  return(id: string) {
    this.#holders.delete(id);
    return returnLicense(this.#store, this.changes.publish, id, this.clock.now());
  }
  updateBudget(input: BudgetInput) {
    return updateBudget(this.#store, this.changes.publish, input, this.clock.now());
  }
  createPool(input: BudgetInput) {
    return createPool(this.#store, this.changes.publish, input, this.clock.now());
  }
  retirePool(tool: string) {
    return retirePool(this.#store, this.changes.publish, tool, this.clock.now());
  }
  pools() {
    return listPools(this.#store, this.clock.now());
  }
  pool(tool: string) {
    return getPool(this.#store, tool, this.clock.now());
  }
  /** Seats held under a lease, per pool (the rest are held without one). */
  async leasedSeats(): Promise<Map<string, number>> {
    return leasedSeats(this.#db);
  }
  costSummary() {
    return costSummary(this.#store, this.clock.now());
  }
  borrows(user?: string, page?: PageQuery) {
    return listBorrows(this.#db, user, page);
  }
  countBorrows(user?: string) {
    return countBorrows(this.#db, user);
  }
  charges(tool?: string, page?: PageQuery) {
    return listCharges(this.#db, tool, page);
  }
  countCharges(tool?: string) {
    return countCharges(this.#db, tool);
  }
  events(q?: EventQuery) {
    return listEvents(this.#db, q);
  }
  countEvents(tool?: string) {
    return countEvents(this.#db, tool);
  }
  /** Seats per pool over the last `minutes` of the clock. */
  usage(minutes: number) {
    const now = this.clock.now();
    return usageSince(this.#db, this.#store, new Date(now.getTime() - minutes * 60_000), now);
  }
  /** Usage over a window, per pool, team, user or project (reports.ts); a 422-style error names a bad parameter. */
  async usageReport(input: ReportQueryInput) {
    const q = parseReportQuery(input);
    // As of when it was asked (not after the pools are read): held seats grow by the moment.
    const now = this.clock.now();
    return this.#heavy.run(
      `usage:${q.tool ?? '*'}:${JSON.stringify(q)}`,
      async () => usageReport(this.#reports, this.#rollup, await this.pools(), q, now, this.#extra),
      0, // shared while in flight only (heavy-reads.ts)
    );
  }
  /** Statements of one pool (or every pool) for a period: current, previous or a date in it (statements.ts). */
  async statements(tool: string | null | undefined, period?: string | null): Promise<StatementRecord[]> {
    const now = this.clock.now();
    // An observed pool's name holds a `/` (no native one can): its statement is the observed domain's.
    if (tool?.includes('/') && this.#extra) {
      const extra = this.#extra;
      return this.#heavy.run(`statement:${tool}:${period ?? ''}`, () => extra.statements(tool, period, now), 0);
    }
    const tools = tool != null ? [tool] : (await this.pools()).map((p) => p.tool);
    const out: StatementRecord[] = [];
    for (const t of tools) {
      // null: the pool did not exist in that period (statement-bounds.ts).
      const s = await this.#heavy.run(`statement:${t}:${period ?? ''}`, () => statement(this.#reports, this.#rollup, t, period, now));
      if (s) out.push(s);
    }
    if (tool == null && this.#extra) {
      const extra = this.#extra;
      out.push(...(await this.#heavy.run(`statement:observed:${period ?? ''}`, () => extra.statements(null, period, now), 0)));
    }
    return out;
  }
  /**
   * Deletes license events older than `before` (retention.ts); overage charges are never
   * touched. Closed periods' statements are frozen first, and the current period's history
   * is kept whatever `before` says: a statement is computed from it until it is frozen.
   */
  async pruneEvents(before: Date) {
    const tools = (await this.pools()).map((p) => p.tool);
    const keepFrom = await freezeClosedPeriods(this.#reports, this.#rollup, tools, this.clock.now());
    await this.#extra?.freezeClosed(this.clock.now());
    const cutoff = before.getTime() < keepFrom.getTime() ? before : keepFrom;
    // Seat-hours go with the history they were summed from (whole hours before the cutoff).
    await pruneHoursBefore(this.#reports, Math.floor(cutoff.getTime() / 1000 / HOUR));
    return pruneEvents(this.#store, cutoff);
  }
}
