// Every GraphQL document the dashboard sends, in one place. Each is typed from
// schema.graphql (./graphql.ts); the types the components use are read off these documents
// (./types.ts), never written by hand.
import { graphql } from './graphql';

const POOL_FIELDS = graphql(`
  fragment PoolFields on Pool {
    tool total borrowed available commit maxOverage overage inCommit
    commitPrice overagePricePerLicense currentOverageCost totalCost lendable retired queued leaseSeconds
    overageMode billingDay periodStart periodEnd periodOverageCost spendCap
  }
`);

const BORROW_FIELDS = graphql(`
  fragment BorrowFields on Borrow { id tool user borrowedAt expiresAt host team }
`);

const TICKET_FIELDS = graphql(
  `
  fragment TicketFields on QueueTicket { id tool user state position queuedAt expiresAt leaseSeconds borrowId borrow { ...BorrowFields } }
`,
  [BORROW_FIELDS],
);

const EVENT_FIELDS = graphql(`
  fragment EventFields on LicenseEvent { id at type tool user borrowId reason revocationReason leftBecause ticketId borrowed total }
`);

// Lists come in pages of at most 500 rows (the server's MAX_PAGE_SIZE). Current borrows
// are bounded by the seats of all pools, so one full page is all of them on any real site
// ("My borrows" filters it); charges and the feed show only their newest rows, and the
// charges table counts all with totalCount. Page sizes are literals so the server's cost
// rule prices the query as it is, not as the largest page a variable could ask for.
const BORROWS_PAGE = 500;
export const CHARGE_ROWS = 50;
export const FEED_LENGTH = 60;

const CHARGES_PAGE = graphql(`
  fragment ChargesPage on Query {
    overageCharges(first: ${CHARGE_ROWS}) { totalCount nodes { id tool borrowId user chargedAt amount } }
  }
`);

export const DASHBOARD_QUERY = graphql(
  `
  query Dashboard {
    pools { ...PoolFields }
    borrows(first: ${BORROWS_PAGE}) { totalCount nodes { ...BorrowFields } }
    ...ChargesPage
    events(first: ${FEED_LENGTH}) { nodes { ...EventFields } }
  }
`,
  [POOL_FIELDS, BORROW_FIELDS, CHARGES_PAGE, EVENT_FIELDS],
);

/** Current borrows again, for their lease deadlines and hosts (events do not carry them). */
export const BORROWS_QUERY = graphql(
  `
  query Borrows { borrows(first: ${BORROWS_PAGE}) { nodes { ...BorrowFields } } }
`,
  [BORROW_FIELDS],
);

export const CHARGES_QUERY = graphql(
  `
  query Charges { ...ChargesPage }
`,
  [CHARGES_PAGE],
);

export const USAGE_QUERY = graphql(`
  query Usage($minutes: Int!) { usage(minutes: $minutes) { tool total points { at borrowed } } }
`);

export const POOL_CHANGED = graphql(
  `
  subscription PoolChanged { poolChanged { ...PoolFields } }
`,
  [POOL_FIELDS],
);

export const LICENSE_EVENTS = graphql(
  `
  subscription LicenseEvents { licenseEvents { ...EventFields } }
`,
  [EVENT_FIELDS],
);

export const BORROW_LICENSE = graphql(
  `
  mutation BorrowLicense($tool: String!, $user: String, $queue: Boolean) {
    borrowLicense(tool: $tool, user: $user, queue: $queue) {
      __typename
      ... on Borrow { ...BorrowFields }
      ... on QueueTicket { ...TicketFields }
      ... on NoLicenseAvailable { tool reason message }
      ... on ToolNotFound { tool message }
      ... on InvalidInput { field message }
    }
  }
`,
  [BORROW_FIELDS, TICKET_FIELDS],
);

/** One's own place in line: now, at every move, and the grant. Staying subscribed keeps the place. */
export const QUEUE_TICKET = graphql(
  `
  subscription QueueTicket($id: ID!) { queueTicket(id: $id) { ...TicketFields } }
`,
  [TICKET_FIELDS],
);

export const CANCEL_QUEUE_TICKET = graphql(
  `
  mutation CancelQueueTicket($id: ID!) {
    cancelQueueTicket(id: $id) {
      __typename
      ... on QueueTicket { ...TicketFields }
      ... on TicketGranted { id borrowId message }
      ... on TicketNotFound { id message }
      ... on InvalidInput { field message }
    }
  }
`,
  [TICKET_FIELDS],
);

/** The head of a pool's line, for its card: the first few waiters and how many in all. */
export const QUEUE_WAITERS = 3;
export const POOL_QUEUE = graphql(`
  query PoolQueue($tool: String!) {
    queue(tool: $tool, first: ${QUEUE_WAITERS}) { totalCount nodes { id user queuedAt } }
  }
`);

/** Renews a lease: the borrow panel keeps a seat it was handed from the line while the page is open. */
export const HEARTBEAT = graphql(`
  mutation Heartbeat($id: ID!) {
    heartbeat(id: $id) {
      __typename
      ... on Lease { id expiresAt }
      ... on BorrowNotFound { id message }
      ... on BorrowRevoked { id message }
      ... on LeaseExpired { id message }
      ... on InvalidInput { field message }
    }
  }
`);

export const REVOKE_BORROW = graphql(
  `
  mutation RevokeBorrow($id: ID!, $reason: String!) {
    revokeBorrow(id: $id, reason: $reason) {
      __typename
      ... on Revocation { reason borrow { ...BorrowFields } }
      ... on BorrowNotFound { id message }
      ... on InvalidInput { field message }
    }
  }
`,
  [BORROW_FIELDS],
);

export const RETURN_LICENSE = graphql(
  `
  mutation ReturnLicense($id: ID!) {
    returnLicense(id: $id) {
      __typename
      ... on ReturnedLicense { borrow { ...BorrowFields } pool { ...PoolFields } }
      ... on BorrowNotFound { id message }
      ... on InvalidInput { field message }
    }
  }
`,
  [BORROW_FIELDS, POOL_FIELDS],
);

export const UPDATE_BUDGET = graphql(
  `
  mutation UpdateBudget($input: BudgetInput!) {
    updateBudget(input: $input) {
      __typename
      ... on Pool { ...PoolFields }
      ... on ToolNotFound { tool message }
      ... on InvalidBudget { field message }
      ... on InvalidInput { field message }
    }
  }
`,
  [POOL_FIELDS],
);

export const CREATE_POOL = graphql(
  `
  mutation CreatePool($input: BudgetInput!) {
    createPool(input: $input) {
      __typename
      ... on Pool { ...PoolFields }
      ... on PoolExists { tool retired message }
      ... on InvalidBudget { field message }
      ... on InvalidInput { field message }
    }
  }
`,
  [POOL_FIELDS],
);

export const RETIRE_POOL = graphql(
  `
  mutation RetirePool($tool: String!) {
    retirePool(tool: $tool) {
      __typename
      ... on Pool { ...PoolFields }
      ... on PoolInUse { tool borrowed message }
      ... on ToolNotFound { tool message }
      ... on InvalidInput { field message }
    }
  }
`,
  [POOL_FIELDS],
);

const AUDIT_FIELDS = graphql(`
  fragment AuditFields on AuditEvent { id at actor action tool target detail }
`);

/** Admins: the newest admin actions, then each new one as it happens. */
export const AUDIT_QUERY = graphql(
  `
  query AuditTrail { auditEvents(first: 20) { nodes { ...AuditFields } } }
`,
  [AUDIT_FIELDS],
);

export const AUDIT_ADDED = graphql(
  `
  subscription AuditAdded { auditEventAdded { ...AuditFields } }
`,
  [AUDIT_FIELDS],
);

export const REPORT_FRONTEND_ERROR = graphql(`
  mutation ReportFrontendError($input: FrontendErrorInput!) { reportFrontendError(input: $input) }
`);

// Teams and their shares of pools: everyone who can read sees them; admins change
// them (the audit trail tells admins' pages of changes made elsewhere).
// Team names, then members and shares page by page: nested lists of all teams at once would
// cost more than the server's query limit.
export const TEAMS_QUERY = graphql(`
  query Teams { teams { name createdAt } }
`);

export const TEAM_MEMBERS_PAGE = graphql(`
  query TeamMembersPage($after: String) {
    teamMembers(first: 500, after: $after) { nodes { team user } pageInfo { hasNextPage endCursor } }
  }
`);

export const TEAM_SHARES_PAGE = graphql(`
  query TeamSharesPage($after: String) {
    teamShares(first: 500, after: $after) { nodes { tool team reserved max } pageInfo { hasNextPage endCursor } }
  }
`);

export const CREATE_TEAM = graphql(`
  mutation CreateTeam($name: String!) {
    createTeam(name: $name) {
      __typename
      ... on TeamChanged { team }
      ... on TeamExists { team message }
      ... on InvalidInput { field message }
    }
  }
`);

export const DELETE_TEAM = graphql(`
  mutation DeleteTeam($name: String!) {
    deleteTeam(name: $name) {
      __typename
      ... on TeamChanged { team }
      ... on TeamNotFound { team message }
    }
  }
`);

export const SET_TEAM_MEMBERS = graphql(`
  mutation SetTeamMembers($team: String!, $users: [String!]!) {
    setTeamMembers(team: $team, users: $users) {
      __typename
      ... on TeamChanged { team }
      ... on TeamNotFound { team message }
      ... on MemberOfOtherTeam { message members { user team } }
      ... on InvalidInput { field message }
    }
  }
`);

export const SET_POOL_SHARES = graphql(`
  mutation SetPoolShares($tool: String!, $shares: [PoolShareInput!]!) {
    setPoolShares(tool: $tool, shares: $shares) {
      __typename
      ... on Pool { tool }
      ... on ToolNotFound { tool message }
      ... on TeamNotFound { team message }
      ... on InvalidBudget { field message }
      ... on InvalidInput { field message }
    }
  }
`);

// What was used and what it cost. A pool's statement for a period (one request per
// pool: every pool's lines in one answer cost more than the query limit), and the seats each
// team held over it (one series per pool and team; the page adds pools up).
export const STATEMENTS_QUERY = graphql(`
  query Statement($period: String!, $tool: String!) {
    statement(period: $period, tool: $tool) {
      tool periodStart periodEnd closed frozenAt billingDay commitPrice overage total seatHours
      teams { team seatHours share commit overage overageCharges total }
    }
  }
`);

// The observed FlexNet/RLM pools an admin priced: they have statements too (`<source>/<feature>`).
export const OBSERVED_PRICES_QUERY = graphql(`
  query ObservedPrices($after: String) {
    observedPrices(first: 100, after: $after) { nodes { tool } pageInfo { hasNextPage endCursor } }
  }
`);

// Where the period's data lies, so the chart's window (and its buckets) fit the data.
export const USAGE_SPAN_QUERY = graphql(`
  query UsageSpan($from: DateTime!, $to: DateTime!) {
    usageReport(from: $from, to: $to, groupBy: POOL, first: 1) { dataFrom dataTo }
  }
`);

export const TEAM_USAGE_QUERY = graphql(`
  query TeamUsage($from: DateTime!, $to: DateTime!) {
    usageReport(from: $from, to: $to, groupBy: TEAM, first: 20) {
      bucketSeconds dataFrom dataTo totalCount
      rows { tool group seatHours peakSeats series { at seats } }
    }
  }
`);

// API tokens (the Tokens page): yours, or everybody's for admins; never their secrets.
const API_TOKEN_FIELDS = graphql(`
  fragment ApiTokenFields on ApiToken { id name user role createdAt createdBy expiresAt lastUsedAt revokedAt }
`);

/** One page of 100 (the server's most): the newest tokens first. */
export const API_TOKENS = graphql(
  `
  query ApiTokens { apiTokens(first: 100) { nextBefore nodes { ...ApiTokenFields } } }
`,
  [API_TOKEN_FIELDS],
);

export const CREATE_API_TOKEN = graphql(
  `
  mutation CreateApiToken($name: String!, $expiresInDays: Int, $user: String, $role: Role) {
    createApiToken(name: $name, expiresInDays: $expiresInDays, user: $user, role: $role) { token apiToken { ...ApiTokenFields } }
  }
`,
  [API_TOKEN_FIELDS],
);

export const REVOKE_API_TOKEN = graphql(
  `
  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ...ApiTokenFields } }
`,
  [API_TOKEN_FIELDS],
);

const OBSERVED_POOL_FIELDS = graphql(`
  fragment ObservedPoolFields on ObservedPool {
    source feature vendor issued inUse reserved expires stale removed updatedAt
    holders { user host licenses startedAt borrowed }
  }
`);

// Observed (FlexNet, RLM) pools, a page at a time: a pool with its holders costs about 260
// under the query cost rule, so pages of 25 stay well inside it; the page follows `after`.
export const OBSERVED_POOLS_QUERY = graphql(
  `
  query ObservedPools($after: String) {
    observedPools(first: 25, after: $after) { nodes { ...ObservedPoolFields } pageInfo { hasNextPage endCursor } }
  }
`,
  [OBSERVED_POOL_FIELDS],
);

const OBSERVED_SOURCE_FIELDS = graphql(`
  fragment ObservedSourceFields on ObservedSource { name kind command intervalSeconds serverUp error lastSnapshotAt }
`);

export const OBSERVED_SOURCES_QUERY = graphql(
  `
  query ObservedSources { observedSources(first: 500) { nodes { ...ObservedSourceFields } } }
`,
  [OBSERVED_SOURCE_FIELDS],
);

// Refusals come back as errors: BAD_USER_INPUT names the field (the REST route's 422),
// CONFLICT a name already taken, NOT_FOUND a source already gone.
export const CREATE_OBSERVED_SOURCE = graphql(
  `
  mutation CreateObservedSource($name: String!, $kind: String!, $command: String, $intervalSeconds: Int) {
    createObservedSource(name: $name, kind: $kind, command: $command, intervalSeconds: $intervalSeconds) { ...ObservedSourceFields }
  }
`,
  [OBSERVED_SOURCE_FIELDS],
);

export const DELETE_OBSERVED_SOURCE = graphql(`
  mutation DeleteObservedSource($name: String!) { deleteObservedSource(name: $name) }
`);

export const OBSERVED_POOL_CHANGED = graphql(
  `
  subscription ObservedPoolChanged { observedPoolChanged { ...ObservedPoolFields } }
`,
  [OBSERVED_POOL_FIELDS],
);
