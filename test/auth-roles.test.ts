// One table over every REST route and every GraphQL operation, in AUTH_MODE=required, for
// anonymous, a viewer, a user (who holds the seat or token in question), another user and
// an admin: the status (REST) or result (GraphQL: ok, or the error code) each one gets.
// The table must name every route in /openapi.json and every root field in the schema,
// so a new route or operation cannot slip in unjudged.
// In-process (createFloatline, helpers/in-process.ts) on SQLite and on PostgreSQL: one
// Floatline per database serves the whole table, called without a socket; it also listens on a
// loopback port for the subscription rows alone, which need a streaming response (SSE) that the
// socket-less path cannot give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './helpers/server.ts';
import type { InProcessServer } from './helpers/in-process.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';
import { freePort, startIssuer, type TestIssuer } from './helpers/oidc.ts';
import { subscribeSse } from './helpers/live.ts';
import { waitFor } from './helpers/wait.ts';

type Who = 'anonymous' | 'viewer' | 'user' | 'other' | 'admin';
const WHO: Who[] = ['anonymous', 'viewer', 'user', 'other', 'admin'];
type Outcome = number | string;
type Expect = Record<Who, Outcome>;

const ADMIN_TOKEN = 'roles-admin-token-0123456789abcdef';
/** The Floatline of the database whose table runs now (the describe blocks run one after the
 *  other; each sets its own in beforeAll). */
let s: InProcessServer;
/** The same Floatline's loopback address, for SSE. */
let sseUrl: string;
let issuer: TestIssuer;
let tokens: Partial<Record<Who, string>> = {};
let n = 0;
const unique = () => `p${Date.now().toString(36)}${n++}`;

const headersOf = (who: Who): Record<string, string> => (tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {});
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function rest(who: Who, method: string, path: string, body?: unknown): Promise<number> {
  const res = await s.fetch(path, {
    method,
    redirect: 'manual',
    headers: { ...headersOf(who), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A text/plain body, as the observed-server agents push their outputs. */
async function restText(who: Who, path: string, text: string): Promise<number> {
  const res = await s.fetch(path, { method: 'POST', headers: { ...headersOf(who), 'content-type': 'text/plain' }, body: text });
  await res.arrayBuffer();
  return res.status;
}

async function restAccepting(who: Who, path: string, accept: string): Promise<number> {
  const res = await s.fetch(path, { headers: { ...headersOf(who), accept } });
  await res.arrayBuffer();
  return res.status;
}

/** ok, the first error's code, or the HTTP status when the request never ran (401). */
async function graphql(who: Who, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  const r = await postJson(`${s.url}/graphql`, { query, variables }, { headers: headersOf(who) });
  if (r.status !== 200) return r.status;
  if (r.json.errors) return r.json.errors[0].extensions?.code ?? r.json.errors[0].message;
  const value = Object.values(r.json.data as object)[0] as { __typename?: string } | null;
  return value &&
    typeof value === 'object' &&
    value.__typename &&
    !['Borrow', 'Pool', 'ReturnedLicense', 'Lease'].includes(value.__typename)
    ? value.__typename
    : 'ok';
}

/** A seat held by the user (uma), borrowed by the admin for her. */
async function umasSeat(): Promise<string> {
  const r = await postJson(`${s.url}/licenses/borrow`, { tool: 'simulation', user: 'uma' }, { headers: asAdmin });
  expect(r.status, r.text).toBe(200);
  return r.json.id as string;
}
/** A ticket of uma's in the line of `line` (a one-seat pool someone else holds). */
async function umasTicket(): Promise<string> {
  const r = await postJson(`${s.url}/licenses/borrow`, { tool: 'line', user: 'uma', queue: true }, { headers: asAdmin });
  expect(r.status, r.text).toBe(202);
  return r.json.ticket_id as string;
}
/** An observed source an admin just registered, for rows that push to or delete one. */
async function newObservedSource(): Promise<string> {
  const name = unique();
  const r = await postJson(`${s.url}/observed/sources`, { name, kind: 'flexnet' }, { headers: asAdmin });
  expect(r.status, r.text).toBe(201);
  return name;
}
/** An observed pool (`<source>/MATLAB`) an admin's snapshot just showed, for rows that price one. */
async function newObservedPool(): Promise<string> {
  const source = await newObservedSource();
  const lmstat = [
    'License server status: 27000@lic1',
    '      lic1: license server UP (MASTER) v11.19.6',
    'Feature usage info:',
    'Users of MATLAB:  (Total of 1 license issued;  Total of 0 licenses in use)',
    '',
  ].join('\n');
  expect(await restText('admin', `/observed/sources/${source}/snapshot`, lmstat)).toBe(200);
  return source;
}
/** A team an admin just created, for rows that change or delete one. */
async function newTeam(): Promise<string> {
  const name = unique();
  const r = await postJson(`${s.url}/teams`, { name }, { headers: asAdmin });
  expect(r.status, r.text).toBe(201);
  return name;
}
async function umasToken(): Promise<string> {
  const r = await postJson(`${s.url}/auth/tokens`, { name: unique(), user: 'uma', role: 'user' }, { headers: asAdmin });
  return r.json.id as string;
}
async function newPool(): Promise<string> {
  const tool = unique();
  const r = await postJson(
    `${s.url}/config/tools`,
    { tool, total: 2, commit: 1, max_overage: 1, commit_price: 1, overage_price_per_license: 1 },
    { headers: asAdmin },
  );
  expect(r.status, r.text).toBe(201);
  return tool;
}
const budget = (tool = 'analysis') => ({ tool, total: 3, commit: 1, max_overage: 1, commit_price: 1000, overage_price_per_license: 100 });
const gqlBudget = (tool = 'analysis') =>
  `{tool: "${tool}", total: 3, commit: 1, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100}`;

const REPORT_FROM = new Date(Date.now() - 86_400_000).toISOString();
const REPORT_TO = new Date(Date.now() + 3_600_000).toISOString();

const PUBLIC: Expect = { anonymous: 200, viewer: 200, user: 200, other: 200, admin: 200 };
const READ: Expect = { anonymous: 401, viewer: 200, user: 200, other: 200, admin: 200 };
const ADMIN_ONLY = (ok: number): Expect => ({ anonymous: 401, viewer: 403, user: 403, other: 403, admin: ok });
const OWN_SEAT: Expect = { anonymous: 401, viewer: 403, user: 200, other: 403, admin: 200 };

/** REST: `METHOD path` as /openapi.json names it → how to call it and what each identity gets. */
const REST: Record<string, { run: (who: Who) => Promise<number>; expect: Expect }> = {
  'GET /licenses/status': { run: (w) => rest(w, 'GET', '/licenses/status'), expect: READ },
  'GET /licenses/{tool}/status': { run: (w) => rest(w, 'GET', '/licenses/cad_tool/status'), expect: READ },
  'GET /borrows': { run: (w) => rest(w, 'GET', '/borrows'), expect: READ },
  'GET /overage-charges': { run: (w) => rest(w, 'GET', '/overage-charges'), expect: READ },
  'GET /config/budget': { run: (w) => rest(w, 'GET', '/config/budget'), expect: READ },
  'POST /licenses/borrow': {
    // Each in their own name; the admin for uma (acting for another user).
    run: async (w) => {
      const status = await rest(w, 'POST', '/licenses/borrow', w === 'admin' ? { tool: 'cad_tool', user: 'uma' } : { tool: 'cad_tool' });
      return status;
    },
    expect: { anonymous: 401, viewer: 403, user: 200, other: 200, admin: 200 },
  },
  'POST /licenses/borrow (naming uma)': {
    run: (w) => rest(w, 'POST', '/licenses/borrow', { tool: 'cad_tool', user: 'uma' }),
    expect: { anonymous: 401, viewer: 403, user: 200, other: 403, admin: 200 },
  },
  'POST /licenses/borrow (queue: true)': {
    run: (w) =>
      rest(w, 'POST', '/licenses/borrow', w === 'admin' ? { tool: 'line', user: 'uma', queue: true } : { tool: 'line', queue: true }),
    expect: { anonymous: 401, viewer: 403, user: 202, other: 202, admin: 202 },
  },
  'POST /licenses/revoke': {
    run: async (w) => rest(w, 'POST', '/licenses/revoke', { id: await umasSeat(), reason: 'table test' }),
    expect: ADMIN_ONLY(200),
  },
  'GET /queue': { run: (w) => rest(w, 'GET', '/queue?tool=line'), expect: READ },
  'GET /queue/{ticket_id}': { run: async (w) => rest(w, 'GET', `/queue/${await umasTicket()}`), expect: OWN_SEAT },
  'DELETE /queue/{ticket_id}': { run: async (w) => rest(w, 'DELETE', `/queue/${await umasTicket()}`), expect: OWN_SEAT },
  'POST /licenses/heartbeat': { run: async (w) => rest(w, 'POST', '/licenses/heartbeat', { id: await umasSeat() }), expect: OWN_SEAT },
  'POST /licenses/return': { run: async (w) => rest(w, 'POST', '/licenses/return', { id: await umasSeat() }), expect: OWN_SEAT },
  'PUT /config/budget': { run: (w) => rest(w, 'PUT', '/config/budget', budget()), expect: ADMIN_ONLY(200) },
  'POST /config/tools': {
    run: (w) => rest(w, 'POST', '/config/tools', { ...budget(unique()) }),
    expect: ADMIN_ONLY(201),
  },
  'DELETE /config/tools/{tool}': { run: async (w) => rest(w, 'DELETE', `/config/tools/${await newPool()}`), expect: ADMIN_ONLY(200) },
  'POST /teams': { run: (w) => rest(w, 'POST', '/teams', { name: unique() }), expect: ADMIN_ONLY(201) },
  'GET /teams': { run: (w) => rest(w, 'GET', '/teams'), expect: READ },
  'GET /reports/usage': { run: (w) => rest(w, 'GET', `/reports/usage?from=${REPORT_FROM}&to=${REPORT_TO}&group_by=team`), expect: READ },
  'GET /reports/usage.csv': { run: (w) => rest(w, 'GET', `/reports/usage.csv?from=${REPORT_FROM}&to=${REPORT_TO}`), expect: READ },
  'GET /statements': { run: (w) => rest(w, 'GET', '/statements?period=previous'), expect: READ },
  'GET /statements.csv': { run: (w) => rest(w, 'GET', '/statements.csv'), expect: READ },
  'GET /observed/sources': { run: (w) => rest(w, 'GET', '/observed/sources'), expect: READ },
  'POST /observed/sources': {
    run: (w) => rest(w, 'POST', '/observed/sources', { name: unique(), kind: 'flexnet' }),
    expect: ADMIN_ONLY(201),
  },
  'DELETE /observed/sources/{name}': {
    run: async (w) => rest(w, 'DELETE', `/observed/sources/${await newObservedSource()}`),
    expect: ADMIN_ONLY(200),
  },
  'POST /observed/sources/{name}/snapshot': {
    run: async (w) => restText(w, `/observed/sources/${await newObservedSource()}/snapshot`, 'lmutil - Copyright (c) 1989-2023 Flexera.\n'),
    expect: ADMIN_ONLY(200),
  },
  'POST /observed/sources/{name}/log': {
    run: async (w) => restText(w, `/observed/sources/${await newObservedSource()}/log`, '10:00:00 (lmgrd) TIMESTAMP 12/7/2026\n'),
    expect: ADMIN_ONLY(200),
  },
  'GET /observed/pools': { run: (w) => rest(w, 'GET', '/observed/pools'), expect: READ },
  'GET /observed/events': { run: (w) => rest(w, 'GET', '/observed/events'), expect: READ },
  'PUT /observed/pools/{source}/{feature}/price': {
    run: async (w) => rest(w, 'PUT', `/observed/pools/${await newObservedPool()}/MATLAB/price`, { price: 100 }),
    expect: ADMIN_ONLY(200),
  },
  'DELETE /teams/{team}': { run: async (w) => rest(w, 'DELETE', `/teams/${await newTeam()}`), expect: ADMIN_ONLY(200) },
  'PUT /teams/{team}/members': {
    run: async (w) => rest(w, 'PUT', `/teams/${await newTeam()}/members`, { users: [unique()] }),
    expect: ADMIN_ONLY(200),
  },
  'GET /config/tools/{tool}/shares': { run: (w) => rest(w, 'GET', '/config/tools/analysis/shares'), expect: READ },
  'PUT /config/tools/{tool}/shares': {
    run: async (w) => rest(w, 'PUT', '/config/tools/analysis/shares', { shares: [{ team: await newTeam(), reserved: 0, max: null }] }),
    expect: ADMIN_ONLY(200),
  },
  'POST /frontend-error': { run: (w) => rest(w, 'POST', '/frontend-error', { message: 'table test' }), expect: PUBLIC },
  'GET /version': { run: (w) => rest(w, 'GET', '/version'), expect: PUBLIC },
  'GET /auth/me': { run: (w) => rest(w, 'GET', '/auth/me'), expect: READ },
  'POST /auth/tokens': {
    run: (w) => rest(w, 'POST', '/auth/tokens', { name: unique() }),
    expect: { anonymous: 401, viewer: 201, user: 201, other: 201, admin: 201 },
  },
  'POST /auth/tokens (for uma, role user)': {
    run: (w) => rest(w, 'POST', '/auth/tokens', { name: unique(), user: 'uma', role: 'user' }),
    expect: { anonymous: 401, viewer: 403, user: 201, other: 403, admin: 201 },
  },
  'GET /auth/tokens': { run: (w) => rest(w, 'GET', '/auth/tokens'), expect: READ },
  'GET /auth/tokens (?user=uma)': {
    run: (w) => rest(w, 'GET', '/auth/tokens?user=uma'),
    expect: { anonymous: 401, viewer: 403, user: 200, other: 403, admin: 200 },
  },
  'DELETE /auth/tokens/{id}': {
    run: async (w) => rest(w, 'DELETE', `/auth/tokens/${await umasToken()}`),
    expect: { anonymous: 401, viewer: 404, user: 200, other: 404, admin: 200 },
  },
  'GET /audit': { run: (w) => rest(w, 'GET', '/audit'), expect: ADMIN_ONLY(200) },
  'GET /auth/login': {
    run: (w) => rest(w, 'GET', '/auth/login'),
    expect: { anonymous: 302, viewer: 302, user: 302, other: 302, admin: 302 },
  },
  'GET /auth/callback': {
    run: (w) => rest(w, 'GET', '/auth/callback?code=x&state=y'),
    expect: { anonymous: 400, viewer: 400, user: 400, other: 400, admin: 400 },
  },
  'POST /auth/logout': { run: (w) => rest(w, 'POST', '/auth/logout'), expect: PUBLIC },
};

/** Routes outside /openapi.json (hidden): probes, metrics, shells. */
const HIDDEN: Record<string, { run: (who: Who) => Promise<number>; expect: Expect }> = {
  'GET /healthz': { run: (w) => rest(w, 'GET', '/healthz'), expect: PUBLIC },
  'GET /readyz': { run: (w) => rest(w, 'GET', '/readyz'), expect: PUBLIC },
  'GET /metrics': { run: (w) => rest(w, 'GET', '/metrics'), expect: PUBLIC },
  'GET /': { run: (w) => rest(w, 'GET', '/'), expect: PUBLIC },
  'GET /config': { run: (w) => rest(w, 'GET', '/config'), expect: PUBLIC },
  'GET /openapi.json': { run: (w) => rest(w, 'GET', '/openapi.json'), expect: PUBLIC },
  'POST /graphql (anything)': { run: (w) => rest(w, 'POST', '/graphql', { query: '{ version }' }), expect: READ },
  'GET /graphql (GraphiQL page)': { run: (w) => restAccepting(w, '/graphql', 'text/html'), expect: PUBLIC },
  'GET /graphql?query= (an operation)': {
    run: (w) => restAccepting(w, `/graphql?query=${encodeURIComponent('{ version }')}`, 'application/json'),
    expect: READ,
  },
};

const GQL_OK: Expect = { anonymous: 401, viewer: 'ok', user: 'ok', other: 'ok', admin: 'ok' };
const GQL_ADMIN: Expect = { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'ok' };
const GQL_OWN: Expect = { anonymous: 401, viewer: 'FORBIDDEN', user: 'ok', other: 'FORBIDDEN', admin: 'ok' };

/** GraphQL: root field → how to call it and what each identity gets. */
const GRAPHQL: Record<string, { run: (who: Who) => Promise<Outcome>; expect: Expect }> = {
  'query pools': { run: (w) => graphql(w, '{ pools { tool } }'), expect: GQL_OK },
  'query pool': { run: (w) => graphql(w, '{ pool(tool: "cad_tool") { tool } }'), expect: GQL_OK },
  'query costSummary': { run: (w) => graphql(w, '{ costSummary { total } }'), expect: GQL_OK },
  'query version': { run: (w) => graphql(w, '{ version }'), expect: GQL_OK },
  'query borrows': { run: (w) => graphql(w, '{ borrows(first: 5) { totalCount } }'), expect: GQL_OK },
  'query overageCharges': { run: (w) => graphql(w, '{ overageCharges(first: 5) { totalCount } }'), expect: GQL_OK },
  'query events': { run: (w) => graphql(w, '{ events(first: 5) { totalCount } }'), expect: GQL_OK },
  'query usage': { run: (w) => graphql(w, '{ usage(minutes: 5) { tool } }'), expect: GQL_OK },
  'query queue': { run: (w) => graphql(w, '{ queue(tool: "line") { totalCount } }'), expect: GQL_OK },
  'query queueTicket': {
    run: async (w) => graphql(w, `{ queueTicket(id: "${await umasTicket()}") { state } }`),
    expect: GQL_OWN,
  },
  'mutation cancelQueueTicket': {
    run: async (w) => graphql(w, `mutation { cancelQueueTicket(id: "${await umasTicket()}") { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'QueueTicket', other: 'FORBIDDEN', admin: 'QueueTicket' },
  },
  'mutation revokeBorrow': {
    run: async (w) => graphql(w, `mutation { revokeBorrow(id: "${await umasSeat()}", reason: "table test") { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'Revocation' },
  },
  'query teams': { run: (w) => graphql(w, '{ teams { name } }'), expect: GQL_OK },
  'query usageReport': {
    run: (w) => graphql(w, `{ usageReport(from: "${REPORT_FROM}", to: "${REPORT_TO}", groupBy: USER) { totalCount csv } }`),
    expect: GQL_OK,
  },
  'query statements': { run: (w) => graphql(w, '{ statements(period: "previous") { total csv } }'), expect: GQL_OK },
  'query statement': {
    run: (w) => graphql(w, '{ statement(tool: "analysis") { total teams { team seatHours share commit overage overageCharges total } } }'),
    expect: GQL_OK,
  },
  'query poolShares': { run: (w) => graphql(w, '{ poolShares(tool: "analysis") { team } }'), expect: GQL_OK },
  'query teamMembers': { run: (w) => graphql(w, '{ teamMembers(first: 500) { nodes { team user } } }'), expect: GQL_OK },
  'query teamShares': { run: (w) => graphql(w, '{ teamShares(first: 500) { nodes { tool team reserved max } } }'), expect: GQL_OK },
  'query observedSources': { run: (w) => graphql(w, '{ observedSources { nodes { name } } }'), expect: GQL_OK },
  'query observedPools': { run: (w) => graphql(w, '{ observedPools { nodes { feature } } }'), expect: GQL_OK },
  'query observedEvents': { run: (w) => graphql(w, '{ observedEvents { nodes { kind } } }'), expect: GQL_OK },
  'query observedPrices': { run: (w) => graphql(w, '{ observedPrices { nodes { tool price } } }'), expect: GQL_OK },
  'mutation createObservedSource': {
    run: (w) => graphql(w, `mutation { createObservedSource(name: "${unique()}", kind: "flexnet") { name } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'ok' },
  },
  'mutation deleteObservedSource': {
    run: async (w) => graphql(w, `mutation { deleteObservedSource(name: "${await newObservedSource()}") }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'ok' },
  },
  'mutation setObservedPoolPrice': {
    run: async (w) =>
      graphql(w, `mutation { setObservedPoolPrice(source: "${await newObservedPool()}", feature: "MATLAB", price: 100) { tool } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'ok' },
  },
  'mutation pushObservedSnapshot': {
    run: async (w) => graphql(w, `mutation { pushObservedSnapshot(source: "${await newObservedSource()}", output: "") { serverUp } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'ok' },
  },
  'mutation createTeam': {
    run: (w) => graphql(w, `mutation { createTeam(name: "${unique()}") { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'TeamChanged' },
  },
  'mutation deleteTeam': {
    run: async (w) => graphql(w, `mutation { deleteTeam(name: "${await newTeam()}") { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'TeamChanged' },
  },
  'mutation setTeamMembers': {
    run: async (w) => graphql(w, `mutation { setTeamMembers(team: "${await newTeam()}", users: ["${unique()}"]) { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'TeamChanged' },
  },
  'mutation setPoolShares': {
    run: async (w) =>
      graphql(w, `mutation { setPoolShares(tool: "analysis", shares: [{team: "${await newTeam()}", reserved: 0}]) { __typename } }`),
    expect: GQL_ADMIN,
  },
  'query me': { run: (w) => graphql(w, '{ me { user role via } }'), expect: GQL_OK },
  'query apiTokens': { run: (w) => graphql(w, '{ apiTokens { nodes { id } } }'), expect: GQL_OK },
  'query auditEvents': { run: (w) => graphql(w, '{ auditEvents(first: 5) { nodes { id } } }'), expect: GQL_ADMIN },
  'mutation borrowLicense': {
    run: (w) => graphql(w, `mutation { borrowLicense(tool: "cad_tool"${w === 'admin' ? ', user: "uma"' : ''}) { __typename } }`),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'ok', other: 'ok', admin: 'ok' },
  },
  'mutation borrowLicense (naming uma)': {
    run: (w) => graphql(w, 'mutation { borrowLicense(tool: "cad_tool", user: "uma") { __typename } }'),
    expect: GQL_OWN,
  },
  'mutation heartbeat': {
    run: async (w) => graphql(w, `mutation { heartbeat(id: "${await umasSeat()}") { __typename } }`),
    expect: GQL_OWN,
  },
  'mutation returnLicense': {
    run: async (w) => graphql(w, `mutation { returnLicense(id: "${await umasSeat()}") { __typename } }`),
    expect: GQL_OWN,
  },
  'mutation updateBudget': { run: (w) => graphql(w, `mutation { updateBudget(input: ${gqlBudget()}) { __typename } }`), expect: GQL_ADMIN },
  'mutation createPool': {
    run: (w) => graphql(w, `mutation { createPool(input: ${gqlBudget(unique())}) { __typename } }`),
    expect: GQL_ADMIN,
  },
  'mutation retirePool': {
    run: async (w) => graphql(w, `mutation { retirePool(tool: "${await newPool()}") { __typename } }`),
    expect: GQL_ADMIN,
  },
  'mutation reportFrontendError': {
    run: (w) => graphql(w, 'mutation { reportFrontendError(input: {message: "table test"}) }'),
    expect: GQL_OK,
  },
  'mutation createApiToken': {
    run: (w) => graphql(w, `mutation { createApiToken(name: "${unique()}") { token } }`),
    expect: GQL_OK,
  },
  'mutation createApiToken (for uma)': {
    run: (w) => graphql(w, `mutation { createApiToken(name: "${unique()}", user: "uma", role: USER) { token } }`),
    expect: GQL_OWN,
  },
  'mutation revokeApiToken': {
    // null (nothing you may manage) for others: the same answer as an unknown id.
    run: async (w) => {
      const r = await postJson(
        `${s.url}/graphql`,
        { query: `mutation { revokeApiToken(id: "${await umasToken()}") { id } }` },
        { headers: headersOf(w) },
      );
      if (r.status !== 200) return r.status;
      return r.json.data.revokeApiToken ? 'revoked' : 'null';
    },
    expect: { anonymous: 401, viewer: 'null', user: 'revoked', other: 'null', admin: 'revoked' },
  },
};

/** Subscriptions over SSE: `accepted` once the stream delivers data (a change is made at each
 *  probe until then), else the error's code, or the HTTP status when it never started. */
async function subscription(who: Who, query: string, trigger: () => Promise<unknown>): Promise<Outcome> {
  if (!tokens[who]) {
    const res = await s.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    });
    await res.arrayBuffer();
    return res.status;
  }
  const sub = subscribeSse(sseUrl, query, undefined, { headers: headersOf(who) });
  let ended = false;
  void sub.ended.then(() => {
    ended = true;
  });
  try {
    await sub.ready;
    const verdict = (): Outcome | null =>
      sub.errors.length ? String(sub.errors[0]!.extensions?.code ?? sub.errors[0]!.message) : sub.received.length ? 'accepted' : null;
    return await waitFor(
      async () => {
        const v = verdict() ?? (ended ? 'ended' : null);
        if (v !== null) return v;
        await trigger();
        return undefined;
      },
      10_000,
      `a first event or error on ${query} for ${who}`,
      { intervalMs: 20 },
    );
  } finally {
    sub.close();
  }
}

const SUBSCRIPTIONS: Record<string, { run: (who: Who) => Promise<Outcome>; expect: Expect }> = {
  'subscription observedPoolChanged': {
    run: (w) =>
      subscription(w, 'subscription { observedPoolChanged { feature } }', async () => {
        const name = await newObservedSource();
        const text =
          'License server status: 27000@h\n  h: license server UP (MASTER) v11.19\nUsers of F:  (Total of 2 licenses issued;  Total of 1 license in use)\n';
        const r = await s.fetch(`/observed/sources/${name}/snapshot`, {
          method: 'POST',
          headers: { ...asAdmin, 'content-type': 'text/plain' },
          body: text,
        });
        await r.arrayBuffer();
        return r.status;
      }),
    expect: { anonymous: 401, viewer: 'accepted', user: 'accepted', other: 'accepted', admin: 'accepted' },
  },
  'subscription poolChanged': {
    run: (w) =>
      subscription(w, 'subscription { poolChanged(tool: "analysis") { tool } }', () => rest('admin', 'PUT', '/config/budget', budget())),
    expect: { anonymous: 401, viewer: 'accepted', user: 'accepted', other: 'accepted', admin: 'accepted' },
  },
  'subscription licenseEvents': {
    run: (w) =>
      subscription(w, 'subscription { licenseEvents(tool: "analysis") { type } }', () => rest('admin', 'PUT', '/config/budget', budget())),
    expect: { anonymous: 401, viewer: 'accepted', user: 'accepted', other: 'accepted', admin: 'accepted' },
  },
  'subscription queueTicket': {
    run: async (w) => subscription(w, `subscription { queueTicket(id: "${await umasTicket()}") { state } }`, async () => undefined),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'accepted', other: 'FORBIDDEN', admin: 'accepted' },
  },
  'subscription auditEventAdded': {
    run: (w) => subscription(w, 'subscription { auditEventAdded { action } }', () => rest('admin', 'PUT', '/config/budget', budget())),
    expect: { anonymous: 401, viewer: 'FORBIDDEN', user: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'accepted' },
  },
};

/** A loopback port per database, known before the provider starts (its redirect URIs). */
const ports = new Map<string, number>();
beforeAll(async () => {
  for (const db of DATABASES) ports.set(db, await freePort());
  issuer = await startIssuer([...ports.values()].map((p) => `http://127.0.0.1:${p}/auth/callback`));
});
afterAll(async () => {
  await issuer?.close();
});

/** The Floatline for one database, with the four role tokens and the pools the rows use. */
async function startTable(db: (typeof DATABASES)[number]): Promise<InProcessServer> {
  const port = ports.get(db)!;
  const server = await startOn(db, {
    // No request log lines (the table reads answers, not logs) and no background timers: less CPU per row.
    timers: false,
    env: {
      ...issuer.env(`http://127.0.0.1:${port}`),
      FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
    },
  });
  s = server;
  sseUrl = `http://127.0.0.1:${await server.floatline.listen(port, '127.0.0.1')}`;
  tokens = {};
  const make = async (user: string, role: string) => {
    const r = await postJson(`${s.url}/auth/tokens`, { name: `${user} table`, user, role }, { headers: asAdmin });
    expect(r.status, r.text).toBe(201);
    return r.json.token as string;
  };
  tokens.viewer = await make('vera', 'viewer');
  tokens.user = await make('uma', 'user');
  tokens.other = await make('otto', 'user');
  tokens.admin = await make('adam', 'admin');
  // A one-seat pool someone holds: borrows with queue: true wait in its line.
  await postJson(
    `${s.url}/config/tools`,
    { tool: 'line', total: 1, commit: 1, max_overage: 0, commit_price: 1, overage_price_per_license: 1 },
    { headers: asAdmin },
  );
  await postJson(`${s.url}/licenses/borrow`, { tool: 'line', user: 'holder' }, { headers: asAdmin });
  // Plenty of seats: every row's borrows fit.
  await postJson(
    `${s.url}/config/budget`,
    { ...budget('cad_tool'), total: 500, commit: 400, max_overage: 100 },
    { method: 'PUT', headers: asAdmin },
  );
  await postJson(
    `${s.url}/config/budget`,
    { ...budget('simulation'), total: 500, commit: 400, max_overage: 100 },
    { method: 'PUT', headers: asAdmin },
  );
  return server;
}

describe.each(DATABASES)('who may do what (AUTH_MODE=required), on %s', (db) => {
  let server: InProcessServer | undefined;
  beforeAll(async () => {
    server = await startTable(db);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the table names every REST route in /openapi.json and every root field of the schema', async () => {
    const spec = (await (await s.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(Object.keys(REST).map((k) => k.replace(/ \(.*\)$/, '')));
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);

    const intro = await postJson(
      `${s.url}/graphql`,
      { query: '{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }' },
      { headers: asAdmin },
    );
    const schema = intro.json.data.__schema;
    const fields = [
      ...schema.queryType.fields.map((f: { name: string }) => `query ${f.name}`),
      ...schema.mutationType.fields.map((f: { name: string }) => `mutation ${f.name}`),
      ...schema.subscriptionType.fields.map((f: { name: string }) => `subscription ${f.name}`),
    ];
    const judged = new Set([...Object.keys(GRAPHQL), ...Object.keys(SUBSCRIPTIONS)].map((k) => k.replace(/ \(.*\)$/, '')));
    expect(fields.filter((f) => !judged.has(f))).toEqual([]);
  });

  for (const [name, row] of Object.entries({ ...REST, ...HIDDEN })) {
    it(`REST ${name}`, async () => {
      const got: Partial<Expect> = {};
      for (const who of WHO) got[who] = await row.run(who);
      expect(got).toEqual(row.expect);
    });
  }
  for (const [name, row] of Object.entries({ ...GRAPHQL, ...SUBSCRIPTIONS })) {
    it(`GraphQL ${name}`, async () => {
      const got: Partial<Expect> = {};
      for (const who of WHO) got[who] = await row.run(who);
      expect(got).toEqual(row.expect);
    });
  }
});
