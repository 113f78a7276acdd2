// The shapes the components share, read off the documents in ./operations.ts (which are
// typed from schema.graphql): nothing here is written by hand, so a schema change shows up
// as a type error where the dashboard uses the changed field.
import type { ResultOf, VariablesOf } from './graphql';
import type {
  DASHBOARD_QUERY,
  OBSERVED_POOLS_QUERY,
  OBSERVED_SOURCES_QUERY,
  POOL_QUEUE,
  QUEUE_TICKET,
  REPORT_FRONTEND_ERROR,
  STATEMENTS_QUERY,
  TEAM_USAGE_QUERY,
  TEAM_SHARES_PAGE,
  TEAMS_QUERY,
  UPDATE_BUDGET,
  USAGE_QUERY,
} from './operations';

type Dashboard = ResultOf<typeof DASHBOARD_QUERY>;

export type Pool = Dashboard['pools'][number];
export type Borrow = Dashboard['borrows']['nodes'][number];
export type ChargesPage = Dashboard['overageCharges'];
export type OverageCharge = ChargesPage['nodes'][number];
export type LicenseEvent = Dashboard['events']['nodes'][number];
export type DenialReason = NonNullable<LicenseEvent['reason']>;
export type UsageSeries = ResultOf<typeof USAGE_QUERY>['usage'][number];
export type UsagePoint = UsageSeries['points'][number];
/** One waiter at the head of a pool's line, as the pool card lists it. */
export type Waiter = ResultOf<typeof POOL_QUEUE>['queue']['nodes'][number];
/** One's own place in line (borrowLicense with queue: true, then the queueTicket subscription). */
export type QueueTicket = ResultOf<typeof QUEUE_TICKET>['queueTicket'];

/** The numbers of a budget: every field of BudgetInput but the tool it applies to and the
 *  optional default lease (its own field in the forms: empty means none, not an error). */
export type BudgetField = Exclude<
  keyof VariablesOf<typeof UPDATE_BUDGET>['input'],
  'tool' | 'leaseSeconds' | 'billingDay' | 'overageMode' | 'spendCap'
>;
/** The billing settings of a pool, edited beside the budget numbers. */
export type OverageMode = Pool['overageMode'];
export type FrontendErrorInput = VariablesOf<typeof REPORT_FRONTEND_ERROR>['input'];

/** A team with its members and shares, as the teams page puts them together. */
export type Team = ResultOf<typeof TEAMS_QUERY>['teams'][number] & {
  members: string[];
  shares: Omit<ResultOf<typeof TEAM_SHARES_PAGE>['teamShares']['nodes'][number], 'team'>[];
};

/** A pool's statement for one billing period, and one team's line of it. */
export type Statement = ResultOf<typeof STATEMENTS_QUERY>['statement'];
export type StatementLine = Statement['teams'][number];
/** Seats a team held in a pool over a window, in buckets. */
export type TeamUsage = ResultOf<typeof TEAM_USAGE_QUERY>['usageReport'];

/** A pool of an observed FlexNet or RLM license server (read-only). */
export type ObservedPool = ResultOf<typeof OBSERVED_POOLS_QUERY>['observedPools']['nodes'][number];
/** A registered observed source with its health (the dashboard's list and form). */
export type ObservedSource = ResultOf<typeof OBSERVED_SOURCES_QUERY>['observedSources']['nodes'][number];
