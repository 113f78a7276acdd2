// One error type per way a license request can fail. Transports map each to their own
// shape (REST status + detail, GraphQL union member); none of them is a server fault.
import type { DenialReason } from './types.ts';

export class LicenseError extends Error {}

export class ToolNotFoundError extends LicenseError {
  constructor(readonly tool: string) {
    super('Tool not found');
  }
}

const TEAM_REASONS: Partial<Record<DenialReason, string>> = {
  team_max: ' (team_max: your team holds its maximum share of this pool)',
  reserved_for_other_teams: ' (reserved_for_other_teams: the free seats are reserved for other teams)',
  spend_cap: " (spend_cap: an overage seat now would take this billing period's overage spend past the pool's spend cap)",
};

export class NoLicenseAvailableError extends LicenseError {
  constructor(
    readonly tool: string,
    readonly reason: Exclude<DenialReason, 'unknown_tool'>,
  ) {
    // The seed's reasons keep the seed's exact text; a team rule says which one refused.
    super(`No licenses available for ${tool}${TEAM_REASONS[reason] ?? ''}`);
  }
}

export class BorrowNotFoundError extends LicenseError {
  constructor(readonly id: string) {
    super('Borrow record not found');
  }
}

/** A heartbeat for a borrow whose lease ran out: the seat was released. */
export class LeaseExpiredError extends LicenseError {
  constructor(readonly id: string) {
    super('The lease of this borrow expired: it was not renewed in time and its seat was released');
  }
}

/** A heartbeat for a borrow an admin force-released: the seat is gone, and here is why. */
export class BorrowRevokedError extends LicenseError {
  constructor(
    readonly id: string,
    readonly reason: string | null,
  ) {
    super(`This borrow was revoked by an admin and its seat released${reason ? `: ${reason}` : ''}`);
  }
}

export class TicketNotFoundError extends LicenseError {
  constructor(readonly id: string) {
    super('Queue ticket not found');
  }
}

/** Leaving the line after the seat was handed over: the borrow is the waiter's now; return it instead. */
export class TicketGrantedError extends LicenseError {
  constructor(
    readonly id: string,
    readonly borrowId: string | null,
  ) {
    super(`This ticket was already granted a seat (borrow ${borrowId}); return that borrow to give the seat back`);
  }
}

export class InvalidBudgetError extends LicenseError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A budget whose commit exceeds its total: seats paid for that the pool could never lend. */
export class CommitAboveTotalError extends InvalidBudgetError {
  constructor(commit: number, total: number) {
    super('commit', `commit (${commit}) cannot exceed total (${total})`);
  }
}

/** Creating a pool whose name is taken, by a live pool or a retired one (names stay reserved). */
/** A budget, or a set of team shares, under which the pool's team reservations cannot hold. */
export class SharesImpossibleError extends InvalidBudgetError {
  constructor(field: string, problem: string) {
    super(field, `Team shares cannot hold: ${problem}`);
  }
}

export class PoolExistsError extends LicenseError {
  constructor(
    readonly tool: string,
    readonly retired: boolean,
  ) {
    super(retired ? `Tool ${tool} already exists (retired; its name stays reserved for its history)` : `Tool ${tool} already exists`);
  }
}

/** Retiring a pool while someone holds a seat of it. */
export class PoolInUseError extends LicenseError {
  constructor(
    readonly tool: string,
    readonly borrowed: number,
    readonly queued = 0,
  ) {
    super(
      queued > 0
        ? `Tool ${tool} cannot be retired while ${borrowed} seat(s) are borrowed and ${queued} ticket(s) wait in its line`
        : `Tool ${tool} cannot be retired while ${borrowed} seat(s) are borrowed`,
    );
  }
}

/** Text the domain refuses (see text.ts); `type` is a stable code such as `string_control_character`. */
export class InvalidInputError extends LicenseError {
  constructor(
    readonly field: string,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A page request the domain cannot serve: a page size out of range or a cursor it did not issue. */
export class InvalidPageError extends LicenseError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class TeamNotFoundError extends LicenseError {
  constructor(readonly team: string) {
    super(`Team ${team} not found`);
  }
}

export class TeamExistsError extends LicenseError {
  constructor(readonly team: string) {
    super(`Team ${team} already exists`);
  }
}

/** A user's borrows count for one team: adding them to a second one is refused. */
export class MemberOfOtherTeamError extends LicenseError {
  constructor(readonly members: { user: string; team: string }[]) {
    super(`Already in another team: ${members.map((m) => `${m.user} (${m.team})`).join(', ')}`);
  }
}
