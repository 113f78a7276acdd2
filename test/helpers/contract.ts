// The seed's JSON field order that existing clients depend on (docs/rest-contract.md);
// Floatline's additions come after these.

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
