// The server's input bounds, imported from the domain (server/licenses/limits.ts, which has
// no imports of its own) rather than copied: a changed limit reaches the forms with the build.
export { BILLING_DAY_LIMITS, BUDGET_LIMITS, LEASE_LIMITS, SPEND_CAP_LIMITS, TEXT_LIMITS } from '../../../server/licenses/limits';
