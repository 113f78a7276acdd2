// One error type per way a license request can fail. Transports map each to their own
// shape (REST status + detail, GraphQL union member); none of them is a server fault.
import type { DenialReason } from './types.ts';

export class LicenseError extends Error {}

export class ToolNotFoundError extends LicenseError {
  constructor(readonly tool: string) {
    super('Tool not found');
  }
}

export class NoLicenseAvailableError extends LicenseError {
  constructor(
    readonly tool: string,
    readonly reason: Exclude<DenialReason, 'unknown_tool'>,
  ) {
    super(`No licenses available for ${tool}`);
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

export class InvalidBudgetError extends LicenseError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
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
