// Every GraphQL document the dashboard sends, in one place so schema changes show up here.
import { gql } from '@urql/svelte';

const POOL_FIELDS = `
  tool total borrowed available commit maxOverage overage inCommit
  commitPrice overagePricePerLicense currentOverageCost totalCost`;

const EVENT_FIELDS = 'id at type tool user borrowId reason borrowed total';

// Lists come in pages of at most 500 rows (the server's MAX_PAGE_SIZE). Current borrows
// are bounded by the seats of all pools, so one full page is all of them on any real site
// ("My borrows" filters it); charges and the feed show only their newest rows, and the
// charges table counts all with totalCount. Page sizes are literals so the server's cost
// rule prices the query as it is, not as the largest page a variable could ask for.
export const BORROWS_PAGE = 500;
export const CHARGE_ROWS = 50;
export const FEED_LENGTH = 60;

const CHARGES = `overageCharges(first: ${CHARGE_ROWS}) { totalCount nodes { id tool borrowId user chargedAt amount } }`;
const BORROWS = `borrows(first: ${BORROWS_PAGE}) { totalCount nodes { id tool user borrowedAt } }`;
const EVENTS = `events(first: ${FEED_LENGTH}) { nodes { ${EVENT_FIELDS} } }`;

export const DASHBOARD_QUERY = gql`
  query Dashboard {
    pools { ${POOL_FIELDS} }
    ${BORROWS}
    ${CHARGES}
    ${EVENTS}
  }
`;

export const CHARGES_QUERY = gql`
  query Charges { ${CHARGES} }
`;

export const USAGE_QUERY = gql`
  query Usage($minutes: Int!) { usage(minutes: $minutes) { tool total points { at borrowed } } }
`;

export const POOL_CHANGED = gql`
  subscription PoolChanged { poolChanged { ${POOL_FIELDS} } }
`;

export const LICENSE_EVENTS = gql`
  subscription LicenseEvents { licenseEvents { ${EVENT_FIELDS} } }
`;

export const BORROW_LICENSE = gql`
  mutation BorrowLicense($tool: String!, $user: String!) {
    borrowLicense(tool: $tool, user: $user) {
      __typename
      ... on Borrow { id tool user borrowedAt }
      ... on NoLicenseAvailable { tool reason message }
      ... on ToolNotFound { tool message }
      ... on InvalidInput { field message }
    }
  }
`;

export const RETURN_LICENSE = gql`
  mutation ReturnLicense($id: ID!) {
    returnLicense(id: $id) {
      __typename
      ... on ReturnedLicense { borrow { id tool user borrowedAt } pool { ${POOL_FIELDS} } }
      ... on BorrowNotFound { id message }
      ... on InvalidInput { field message }
    }
  }
`;

export const UPDATE_BUDGET = gql`
  mutation UpdateBudget($input: BudgetInput!) {
    updateBudget(input: $input) {
      __typename
      ... on Pool { ${POOL_FIELDS} }
      ... on ToolNotFound { tool message }
      ... on InvalidBudget { field message }
    }
  }
`;

export const REPORT_FRONTEND_ERROR = gql`
  mutation ReportFrontendError($input: FrontendErrorInput!) { reportFrontendError(input: $input) }
`;
