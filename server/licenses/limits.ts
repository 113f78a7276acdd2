// The bounds of what the license domain accepts, written once. The domain enforces them
// (text.ts, budgets.ts, paging.ts); the transports describe them from here (REST JSON
// schemas, GraphQL descriptions) and the dashboard's forms read them too, so a limit
// changes in this file and nowhere else.
//
// No imports, Node-only or otherwise: the browser bundle imports this file as it is.

/** Names the domain stores (tools, users, borrow ids), counted in code points as JSON Schema counts. */
export const TEXT_LIMITS = { minLength: 1, maxLength: 200 } as const;

/**
 * The name of a pool created through the API: a short identifier (lower case letter, then
 * up to 63 lower case letters, digits, `_` or `-`). Seeded pools already follow it.
 */
export const TOOL_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';

/** Most seats a pool may have, commit or allow beyond commit. */
const MAX_SEATS = 1_000_000;
/** Highest commit or overage price, in the tool's currency units. */
const MAX_PRICE = 1_000_000_000;

/**
 * Bounds of each budget field, inclusive. Seat counts are whole numbers; prices may have
 * cents. A pool needs at least one seat; commit and overage may be zero.
 */
export const BUDGET_LIMITS = {
  total: { min: 1, max: MAX_SEATS, integer: true },
  commit: { min: 0, max: MAX_SEATS, integer: true },
  maxOverage: { min: 0, max: MAX_SEATS, integer: true },
  commitPrice: { min: 0, max: MAX_PRICE, integer: false },
  overagePricePerLicense: { min: 0, max: MAX_PRICE, integer: false },
} as const;

/** The numeric fields of a budget, in the order they are checked. */
export type BudgetLimitField = keyof typeof BUDGET_LIMITS;

/** Most rows one page may hold, on every transport (REST `limit`, GraphQL `first`). */
export const MAX_PAGE_SIZE = 500;
/** Rows in a page when the client names no size. */
export const DEFAULT_PAGE_SIZE = 50;
/** Longest cursor the domain decodes; the cursors it issues are far shorter. */
export const MAX_CURSOR_LENGTH = 200;

/**
 * The day of month a pool's billing periods start: 1-28, days every month has
 * (billing-periods.ts says why not 29-31).
 */
export const BILLING_DAY_LIMITS = { min: 1, max: 28 } as const;

/** A pool's overage modes: per_borrow (each overage borrow charged once) or per_seat_hour (overage-rules.ts). */
export const OVERAGE_MODES = ['per_borrow', 'per_seat_hour'] as const;

/** Bounds of a pool's overage spend cap per billing period (null = no cap), in the tool's currency units. */
export const SPEND_CAP_LIMITS = { min: 0, max: MAX_PRICE * 1000 } as const;

/** Shortest and longest lease (seconds) a borrow or a pool may name; null/absent = no lease. */
export const LEASE_LIMITS = { min: 5, max: 86_400 } as const;
