// What the store's operations answer, whichever database runs them (store.ts).
import type { ToolRow } from './pool-status.ts';
import type { TeamShare } from './team-rules.ts';
import type { DenialReason, TicketState } from './types.ts';

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
