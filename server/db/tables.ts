import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AuditEvent = {
    id: Generated<number>;
    at: Timestamp;
    actor: string;
    action: string;
    tool: string | null;
    /**
     * The user acted for or the token's owner, when there is one.
     */
    target: string | null;
    /**
     * JSON: before/after of a budget, a reason, a token's name and role.
     */
    detail: string | null;
};
export type Borrow = {
    id: string;
    tool: string;
    user: string;
    borrowed_at: Timestamp;
    /**
     * Lease length in seconds; null = no lease, the borrow never expires.
     */
    lease_seconds: number | null;
    /**
     * When the lease lapses unless renewed by a heartbeat; null without lease.
     */
    expires_at: Timestamp | null;
    host: string | null;
    idempotency_key: string | null;
    /**
     * The borrower's team, recorded when the pool has team shares (they decide by it).
     */
    team: string | null;
    /**
     * What the seat is used for (like FlexNet's LM_PROJECT), for reports.
     */
    project: string | null;
};
export type Credential = {
    id: string;
    /**
     * "token" (API token) or "session" (dashboard sign-in).
     */
    kind: string;
    name: string;
    user: string;
    /**
     * viewer, user or admin.
     */
    role: string;
    token_hash: string;
    created_at: Timestamp;
    created_by: string;
    expires_at: Timestamp | null;
    last_used_at: Timestamp | null;
    revoked_at: Timestamp | null;
};
export type LicenseEvent = {
    id: Generated<number>;
    at: Timestamp;
    type: string;
    tool: string;
    user: string | null;
    borrow_id: string | null;
    reason: string | null;
    /**
     * The queue ticket of queued, granted and left_queue events.
     */
    ticket_id: string | null;
    team: string | null;
    project: string | null;
    /**
     * On returned, expired and revoked events: when the borrow began (reports read seat
     * intervals from the end events alone).
     */
    started_at: Timestamp | null;
    /**
     * On denied events: seconds until the same user got a seat in the pool, -1 if not within
     * a day; null until the seat-hour roll-up settles it (a day after the denial).
     */
    retry_seconds: number | null;
    borrowed: number;
    total: number;
};
export type ObservedEvent = {
    id: Generated<number>;
    source: string;
    feature: string;
    vendor: string;
    /**
     * out | in | denied | unsupported
     */
    kind: string;
    origin: string;
    user: string;
    host: string;
    licenses: number;
    reason: string | null;
    at: Timestamp;
};
export type ObservedPool = {
    source: string;
    feature: string;
    /**
     * The vendor daemon ('' when the output did not name one).
     */
    vendor: string;
    /**
     * Null: uncounted (node-locked, unlimited).
     */
    issued: number | null;
    in_use: number;
    reserved: number;
    expires: string | null;
    /**
     * Holders as the output listed them, as JSON.
     */
    holders: string;
    updated_at: Timestamp;
    /**
     * The source was down at its last snapshot: these numbers are the last known ones.
     */
    stale: Generated<number>;
};
export type ObservedPrice = {
    source: string;
    feature: string;
    price: number;
    /**
     * The day of the month each billing period starts (1-28), as tools.billing_day.
     */
    billing_day: Generated<number>;
    updated_at: Timestamp;
};
export type ObservedSource = {
    name: string;
    /**
     * flexnet | rlm: which parser reads its output.
     */
    kind: string;
    /**
     * Run without a shell (split into argv); null: snapshots are pushed.
     */
    command: string | null;
    interval_seconds: number;
    created_at: Timestamp;
    /**
     * Null until the first snapshot.
     */
    server_up: number | null;
    /**
     * Why the last snapshot found no server answering (its own words), or why the command failed.
     */
    error: string | null;
    /**
     * The last snapshot's servers and vendor daemons, as JSON.
     */
    health: Generated<string>;
    last_snapshot_at: Timestamp | null;
    unparsed_lines: Generated<number>;
    /**
     * One poll at a time across processes: the process that holds the lease runs the command.
     */
    lease_owner: string | null;
    lease_until: Timestamp | null;
};
export type OverageCharge = {
    id: string;
    tool: string;
    borrow_id: string;
    user: string;
    charged_at: Timestamp;
    amount: number;
    /**
     * The borrower's team and project when charged (statements split overage by team).
     */
    team: string | null;
    project: string | null;
    /**
     * borrow (an overage borrow) or seat_hour (a started seat-hour of overage use).
     */
    kind: Generated<string>;
};
export type OverageSlot = {
    tool: string;
    slot: number;
    paid_until: Timestamp;
    /**
     * The borrow the slot's hours are charged to, with its user, team and project.
     */
    borrow_id: string | null;
    user: string | null;
    team: string | null;
    project: string | null;
};
export type PoolShare = {
    tool: string;
    team: string;
    reserved: number;
    max: number | null;
};
export type QueueTicket = {
    id: string;
    tool: string;
    user: string;
    host: string | null;
    /**
     * Order in the pool's line: one more than the pool's highest, taken under its lock.
     */
    seq: number;
    queued_at: Timestamp;
    /**
     * The ticket's lease, renewed by each poll; the granted borrow inherits it.
     */
    lease_seconds: number;
    /**
     * Deadline while waiting; null once the ticket ended.
     */
    expires_at: Timestamp | null;
    /**
     * waiting, granted, expired or cancelled.
     */
    state: string;
    ended_at: Timestamp | null;
    borrow_id: string | null;
    /**
     * Held while waiting only (cleared when the ticket ends), like a borrow's.
     */
    idempotency_key: string | null;
    team: string | null;
    project: string | null;
};
export type SeatHour = {
    tool: string;
    hour: number;
    dim: string;
    grp: string;
    seat_seconds: number;
    peak: number;
    start_level: number;
    end_level: number;
    expiries: number;
    revocations: number;
    first_at: number | null;
    last_at: number | null;
};
export type SeatHourMark = {
    hour: number;
    rolled_at: Timestamp;
};
export type Statement = {
    tool: string;
    period_start: Timestamp;
    period_end: Timestamp;
    frozen_at: Timestamp;
    body: string;
};
export type Team = {
    name: string;
    created_at: Timestamp;
};
export type TeamMember = {
    team: string;
    /**
     * Unique: a user's borrows count for one team.
     */
    user: string;
    added_at: Timestamp;
    /**
     * Who set it: "floatline" (an admin, REST/GraphQL/dashboard) or "idp" (the identity
     * provider's groups at sign-in or on a bearer JWT, OIDC_TEAM_GROUP_PREFIX/OIDC_TEAM_GROUPS).
     * Only "idp" memberships are removed when the user's groups no longer name a team.
     */
    source: Generated<string>;
};
export type Tool = {
    name: string;
    total: number;
    borrowed: Generated<number>;
    commit_quantity: number;
    max_overage: number;
    commit_price: number;
    overage_price_per_license: number;
    overage_cost: Generated<number>;
    updated_at: Generated<Timestamp>;
    /**
     * Default lease of a borrow that names none; null = no lease (never expires).
     */
    lease_seconds: number | null;
    /**
     * Set when an admin retires the pool (soft delete: its name, events and charges stay).
     */
    retired_at: Timestamp | null;
    /**
     * Tickets waiting in this pool's line, kept in step with queue_tickets in the same
     * transaction; while above 0 the pool lends no seat to a borrow that did not queue.
     */
    queued: Generated<number>;
    /**
     * Team shares set on this pool (pool_shares rows); 0 = no team rules, the fast path.
     */
    shares: Generated<number>;
    /**
     * Day of month (1-28) this pool's billing periods start, 00:00 UTC (billing-periods.ts).
     */
    billing_day: Generated<number>;
    /**
     * per_borrow (each overage borrow charged once) or per_seat_hour (each started seat-hour).
     */
    overage_mode: Generated<string>;
    /**
     * Most overage money one period may take; null = no cap.
     */
    spend_cap: number | null;
    /**
     * The period period_overage_cost counts, kept in step with the charges (null: none yet).
     */
    period_start: Timestamp | null;
    period_overage_cost: Generated<number>;
};
export type DB = {
    audit_events: AuditEvent;
    borrows: Borrow;
    credentials: Credential;
    license_events: LicenseEvent;
    observed_events: ObservedEvent;
    observed_pools: ObservedPool;
    observed_prices: ObservedPrice;
    observed_sources: ObservedSource;
    overage_charges: OverageCharge;
    overage_slots: OverageSlot;
    pool_shares: PoolShare;
    queue_tickets: QueueTicket;
    seat_hour_marks: SeatHourMark;
    seat_hours: SeatHour;
    statements: Statement;
    team_members: TeamMember;
    teams: Team;
    tools: Tool;
};
