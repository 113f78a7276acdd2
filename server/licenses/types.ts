// The shapes the license domain hands to every transport. Money is in the tool's
// currency units; timestamps are Date objects (transports format them).

/** Why a borrow got no seat. queue_ahead: seats are free but promised to the pool's line. */
export type DenialReason =
  | 'unknown_tool'
  | 'exhausted'
  | 'max_overage'
  | 'queue_ahead'
  | 'team_max'
  | 'reserved_for_other_teams'
  | 'spend_cap';
export type LicenseEventType =
  | 'borrowed'
  | 'returned'
  | 'denied'
  | 'budget_changed'
  | 'expired'
  | 'revoked'
  | 'queued'
  | 'granted'
  | 'left_queue'
  | 'pool_created'
  | 'pool_retired';

export interface PoolStatus {
  tool: string;
  total: number;
  borrowed: number;
  available: number;
  commit: number;
  maxOverage: number;
  overage: number;
  inCommit: boolean;
  commitPrice: number;
  overagePricePerLicense: number;
  currentOverageCost: number;
  totalCost: number;
  /** Default lease (seconds) of a borrow that names none; null = none (borrows never expire). */
  leaseSeconds: number | null;
  /** Seats a borrow could take now: max(min(total, commit + maxOverage) - borrowed, 0). */
  lendable: number;
  /** Tickets waiting in the pool's line. */
  queued: number;
  /** True only in the last status a retired pool publishes (its subscribers drop it). */
  retired: boolean;
  /** per_borrow (each overage borrow charged once) or per_seat_hour (each started seat-hour of overage use). */
  overageMode: 'per_borrow' | 'per_seat_hour';
  /** Day of month (1-28) the pool's billing periods start, 00:00 UTC. */
  billingDay: number;
  /** The current billing period: from periodStart (inclusive) to periodEnd (exclusive). */
  periodStart: Date;
  periodEnd: Date;
  /** Overage charged in the current billing period. */
  periodOverageCost: number;
  /** Most overage money one period may take; null = no cap. */
  spendCap: number | null;
}

export interface BorrowRecord {
  id: string;
  tool: string;
  user: string;
  borrowedAt: Date;
  /** When the lease lapses unless renewed; null for a borrow without lease (never expires). */
  expiresAt: Date | null;
  /** Where the seat is used, as the borrower named it; null when not given. */
  host: string | null;
  /** What the seat is used for, as the borrower named it; null when not given. */
  project?: string | null;
  /** The borrower's team, recorded where the pool has team shares; null otherwise. */
  team?: string | null;
}

/** What a borrower asks for; only tool and user are required (the seed's borrow). */
export interface BorrowRequest {
  tool: string;
  user: string;
  /** Lease length in seconds (LEASE_LIMITS); else the pool's default, else none. */
  leaseSeconds?: number | null;
  host?: string | null;
  /** Retries with the same key get the same borrow and never a second seat. */
  idempotencyKey?: string | null;
  /** Wait in the pool's line when no seat is lendable, instead of being refused. */
  queue?: boolean;
  /** What the seat is used for (like FlexNet's LM_PROJECT), recorded for reports. */
  project?: string | null;
}

export type TicketState = 'waiting' | 'granted' | 'expired' | 'cancelled';

/** A place in a pool's line, as its waiter sees it. */
export interface QueueTicketRecord {
  id: string;
  tool: string;
  user: string;
  host: string | null;
  state: TicketState;
  /** 1 for the head of the line; null once the ticket is no longer waiting. */
  position: number | null;
  queuedAt: Date;
  /** The waiter's deadline to show it is alive (renewed by each poll); null once ended. */
  expiresAt: Date | null;
  /** The ticket's lease length; the granted borrow inherits it. */
  leaseSeconds: number;
  /** The borrow it was granted (while that borrow is held; null otherwise). */
  borrow: BorrowRecord | null;
  /** The granted borrow's id, even after that borrow ended. */
  borrowId: string | null;
}

/** What an admin's force-release answers. */
export interface RevocationRecord {
  borrow: BorrowRecord;
  reason: string;
  revokedAt: Date;
}

/** A heartbeat's answer: the renewed lease (expiresAt null for a borrow without lease). */
export interface LeaseRecord {
  id: string;
  tool: string;
  user: string;
  expiresAt: Date | null;
}

export interface OverageChargeRecord {
  id: string;
  tool: string;
  borrowId: string;
  user: string;
  chargedAt: Date;
  amount: number;
  /** borrow (an overage borrow, per_borrow mode) or seat_hour (a started seat-hour of overage use); absent = borrow. */
  kind?: 'borrow' | 'seat_hour';
}

export interface LicenseEventRecord {
  id: number;
  at: Date;
  type: LicenseEventType;
  tool: string;
  user: string | null;
  borrowId: string | null;
  /** A denial's DenialReason, or the admin's words for a revocation. */
  reason: string | null;
  /** The queue ticket of queued, granted and left_queue events. */
  ticketId: string | null;
  /** Seats borrowed in the pool right after the event. */
  borrowed: number;
  total: number;
}

export interface BudgetInput {
  tool: string;
  total: number;
  commit: number;
  maxOverage: number;
  commitPrice: number;
  overagePricePerLicense: number;
  /** The pool's default lease in seconds; null clears it; absent (undefined) leaves it as it is. */
  leaseSeconds?: number | null;
  /** Day of month (1-28) the billing periods start; absent leaves it (a new pool: 1). */
  billingDay?: number;
  /** absent leaves it (a new pool: per_borrow). */
  overageMode?: 'per_borrow' | 'per_seat_hour';
  /** Most overage money a period may take; null clears it; absent leaves it (a new pool: none). */
  spendCap?: number | null;
}

/** What every outcome publishes after its transaction commits. */
export type LicenseChange =
  | {
      kind: 'borrowed';
      event: LicenseEventRecord;
      pool: PoolStatus;
      borrow: BorrowRecord;
      charge: OverageChargeRecord | null;
      seconds: number;
    }
  | { kind: 'returned'; event: LicenseEventRecord; pool: PoolStatus; borrow: BorrowRecord }
  | { kind: 'expired'; event: LicenseEventRecord; pool: PoolStatus; borrow: BorrowRecord }
  | { kind: 'revoked'; event: LicenseEventRecord; pool: PoolStatus; borrow: BorrowRecord; reason: string }
  | { kind: 'queued'; event: LicenseEventRecord; pool: PoolStatus; ticket: QueueTicketRecord }
  /** A waiter was handed a seat: a borrow like any other (charge included), from a ticket. */
  | {
      kind: 'granted';
      event: LicenseEventRecord;
      pool: PoolStatus;
      ticket: QueueTicketRecord;
      borrow: BorrowRecord;
      charge: OverageChargeRecord | null;
      /** From queued to granted. */
      waitSeconds: number;
    }
  /** A ticket left the line without a seat: cancelled by its waiter or expired (its waiter went silent). */
  | { kind: 'left_queue'; event: LicenseEventRecord; pool: PoolStatus; ticket: QueueTicketRecord }
  /** A lease renewed: counted, not stored in the history (no event, the pool is unchanged). */
  | { kind: 'heartbeat'; event: null; pool: null; lease: LeaseRecord }
  | {
      kind: 'denied';
      event: LicenseEventRecord | null;
      pool: PoolStatus | null;
      tool: string;
      user: string;
      reason: DenialReason;
      seconds: number;
    }
  | { kind: 'budget_changed'; event: LicenseEventRecord; pool: PoolStatus; previous: PoolStatus }
  | { kind: 'pool_created'; event: LicenseEventRecord; pool: PoolStatus }
  /** Continuing overage use of a per_seat_hour pool charged (by the sweep or the next write): its cost changed, no seat did. */
  | { kind: 'overage_charged'; event: null; pool: PoolStatus; charges: OverageChargeRecord[] }
  | { kind: 'pool_retired'; event: LicenseEventRecord; pool: PoolStatus };

export interface UsagePoint {
  at: Date;
  borrowed: number;
}
export interface UsageSeries {
  tool: string;
  total: number;
  points: UsagePoint[];
}
