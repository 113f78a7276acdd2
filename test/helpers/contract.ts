// The seed's JSON field order that existing clients depend on (docs/rest-contract.md);
// Floatline's additions come after these.
import { expect } from 'vitest';

/** A pool's status object (GET /licenses/status, /licenses/{tool}/status). */
export const SEED_STATUS_FIELDS = [
  'tool',
  'total',
  'borrowed',
  'available',
  'commit',
  'max_overage',
  'overage',
  'in_commit',
  'commit_price',
  'overage_price_per_license',
  'current_overage_cost',
  'total_cost',
] as const;

/** The billing settings and this period's overage spend, after every earlier addition. */
export const BILLING_FIELDS = ['overage_mode', 'billing_day', 'period_start', 'period_end', 'period_overage_cost', 'spend_cap'] as const;

/** The billing fields of a pool with the default settings and `spent` overage this period. */
export const defaultBilling = (spent = 0) => ({
  overage_mode: 'per_borrow',
  billing_day: 1,
  period_start: expect.stringMatching(/^\d{4}-\d{2}-01T00:00:00\.000Z$/),
  period_end: expect.stringMatching(/^\d{4}-\d{2}-01T00:00:00\.000Z$/),
  period_overage_cost: spent,
  spend_cap: null,
});
