// JSON schemas of the REST contract: they validate requests (422 on failure), describe the
// routes in /openapi.json and /docs, and are the handlers' request types (routes.ts, through
// a Fastify type provider). Their bounds are the domain's (licenses/limits.ts).
import {
  BILLING_DAY_LIMITS,
  BUDGET_LIMITS,
  LEASE_LIMITS,
  MAX_PAGE_SIZE,
  OVERAGE_MODES,
  SPEND_CAP_LIMITS,
  TEAM_LIMITS,
  TEXT_LIMITS,
  TOOL_NAME_PATTERN,
} from '../licenses/index.ts';
import { pageQuerystring } from './paging.ts';

const text = { type: 'string', minLength: TEXT_LIMITS.minLength, maxLength: TEXT_LIMITS.maxLength, pattern: '\\S' } as const;
/** A filter (`?user=`, `?tool=`): may be empty, never longer than a stored name. */
const filterText = { type: 'string', maxLength: TEXT_LIMITS.maxLength } as const;
const seats = (field: 'total' | 'commit' | 'maxOverage') =>
  ({ type: 'integer', minimum: BUDGET_LIMITS[field].min, maximum: BUDGET_LIMITS[field].max }) as const;
const money = (field: 'commitPrice' | 'overagePricePerLicense') =>
  ({ type: 'number', minimum: BUDGET_LIMITS[field].min, maximum: BUDGET_LIMITS[field].max }) as const;
const detail = { type: 'object', properties: { detail: {} }, required: ['detail'] } as const;

/** The billing settings and this period's overage spend, after the seed's fields (status and budgets). */
const billingProperties = {
  overage_mode: {
    type: 'string',
    enum: OVERAGE_MODES,
    description: 'per_borrow: each overage borrow charged once; per_seat_hour: each started seat-hour of overage use',
  },
  billing_day: { type: 'integer', description: 'Day of month (1-28) the billing periods start, 00:00 UTC' },
  period_start: { type: 'string', format: 'date-time', description: 'Start of the current billing period (inclusive)' },
  period_end: { type: 'string', format: 'date-time', description: 'End of the current billing period (exclusive)' },
  period_overage_cost: { type: 'number', description: 'Overage charged in the current billing period' },
  spend_cap: { type: ['number', 'null'], description: 'Most overage money one period may take; null = no cap' },
} as const;

export const poolStatus = {
  $id: 'PoolStatus',
  type: 'object',
  properties: {
    tool: { type: 'string' },
    total: { type: 'integer' },
    borrowed: { type: 'integer' },
    available: { type: 'integer' },
    commit: { type: 'integer' },
    max_overage: { type: 'integer' },
    overage: { type: 'integer' },
    in_commit: { type: 'boolean' },
    commit_price: { type: 'number' },
    overage_price_per_license: { type: 'number' },
    current_overage_cost: { type: 'number' },
    total_cost: { type: 'number' },
    lendable: {
      type: 'integer',
      description: 'Seats a borrow could take now: max(min(total, commit + max_overage) - borrowed, 0), and 0 while anyone waits in line',
    },
    queued: { type: 'integer', description: "Tickets waiting in the pool's line" },
    ...billingProperties,
  },
} as const;

const borrow = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    tool: { type: 'string' },
    user: { type: 'string' },
    borrowed_at: { type: 'string', format: 'date-time' },
    expires_at: { type: ['string', 'null'], format: 'date-time' },
    host: { type: ['string', 'null'] },
    project: { type: ['string', 'null'] },
    team: { type: ['string', 'null'], description: "The borrower's team where the pool has team shares" },
  },
} as const;

const leaseSeconds = { type: ['integer', 'null'], minimum: LEASE_LIMITS.min, maximum: LEASE_LIMITS.max } as const;

/** A place in a pool's line: the ticket's first fields (ticket_id … expires_at), then the rest. */
const ticket = {
  type: 'object',
  properties: {
    ticket_id: { type: 'string', format: 'uuid' },
    tool: { type: 'string' },
    user: { type: 'string' },
    position: { type: ['integer', 'null'], description: '1 for the head of the line; null unless waiting' },
    queued_at: { type: 'string', format: 'date-time' },
    expires_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Poll GET /queue/<ticket_id> before this or the ticket expires; null once ended',
    },
    state: { type: 'string', enum: ['waiting', 'granted', 'expired', 'cancelled'] },
    host: { type: ['string', 'null'] },
    lease_seconds: { type: 'integer' },
    borrow: { anyOf: [borrow, { type: 'null' }], description: 'The seat granted, while it is held' },
    borrow_id: { type: ['string', 'null'], description: 'The granted borrow, even after it ended' },
  },
} as const;

export const borrowRoute = {
  summary:
    'Borrow a license; optionally with a lease (lease_seconds, renewed by POST /licenses/heartbeat), a host and an idempotency key (or Idempotency-Key header)',
  body: {
    type: 'object',
    required: ['tool', 'user'],
    properties: {
      tool: text,
      user: text,
      lease_seconds: leaseSeconds,
      host: { ...text, type: ['string', 'null'] },
      idempotency_key: text,
      project: { ...text, type: ['string', 'null'], description: 'What the seat is used for (like LM_PROJECT), kept for reports' },
      queue: { type: 'boolean', description: "Wait in the pool's line when no seat is lendable: 202 with a ticket instead of 409" },
    },
  },
  headers: { type: 'object', properties: { 'idempotency-key': text } },
  response: { 200: borrow, 202: ticket, 404: detail, 409: detail, 422: detail },
} as const;

const teamName = { type: 'string', pattern: TOOL_NAME_PATTERN, maxLength: 64 } as const;
const teamJsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    members: { type: 'array', items: { type: 'string' } },
    shares: {
      type: 'array',
      items: {
        type: 'object',
        properties: { tool: { type: 'string' }, reserved: { type: 'integer' }, max: { type: ['integer', 'null'] } },
      },
    },
  },
} as const;
const sharesJson = {
  type: 'object',
  properties: {
    tool: { type: 'string' },
    shares: {
      type: 'array',
      items: {
        type: 'object',
        properties: { team: { type: 'string' }, reserved: { type: 'integer' }, max: { type: ['integer', 'null'] } },
      },
    },
  },
} as const;
const teamParams = {
  type: 'object',
  required: ['team'],
  properties: { team: { type: 'string', maxLength: TEXT_LIMITS.maxLength } },
} as const;

export const createTeamRoute = {
  summary: 'Create a team (admin); its name is a short identifier like a pool name',
  body: { type: 'object', required: ['name'], properties: { name: teamName } },
  response: { 201: teamJsonSchema, 409: detail, 422: detail },
} as const;

export const listTeamsRoute = {
  summary: 'Every team with its members and pool shares, by name (at most 500)',
  response: { 200: { type: 'array', items: teamJsonSchema } },
} as const;

export const deleteTeamRoute = {
  summary: 'Remove a team, its members and its shares (the history keeps its name)',
  params: teamParams,
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, team: { type: 'string' } } }, 404: detail },
} as const;

export const teamMembersRoute = {
  summary: "Replace a team's members (a user is in at most one team)",
  params: teamParams,
  body: {
    type: 'object',
    required: ['users'],
    properties: { users: { type: 'array', maxItems: TEAM_LIMITS.members, items: text } },
  },
  response: { 200: teamJsonSchema, 404: detail, 409: detail, 422: detail },
} as const;

export const getSharesRoute = {
  summary: "A pool's team shares",
  params: { type: 'object', required: ['tool'], properties: { tool: { type: 'string' } } },
  response: { 200: sharesJson, 404: detail },
} as const;

export const putSharesRoute = {
  summary:
    "Replace a pool's team shares: reserved seats others cannot take while the team holds fewer, and the most it may hold (max, null = no cap)",
  params: { type: 'object', required: ['tool'], properties: { tool: { type: 'string' } } },
  body: {
    type: 'object',
    required: ['shares'],
    properties: {
      shares: {
        type: 'array',
        maxItems: TEAM_LIMITS.sharesPerPool,
        items: {
          type: 'object',
          required: ['team', 'reserved'],
          additionalProperties: false,
          properties: {
            team: text,
            reserved: { type: 'integer', minimum: 0, maximum: BUDGET_LIMITS.total.max },
            max: { type: ['integer', 'null'], minimum: 1, maximum: BUDGET_LIMITS.total.max },
          },
        },
      },
    },
  },
  response: { 200: sharesJson, 404: detail, 422: detail },
} as const;

export const revokeRoute = {
  summary: "Force-release any seat (admin); the reason is kept in the history and the holder's next heartbeat gets 410 naming it",
  body: { type: 'object', required: ['id', 'reason'], properties: { id: text, reason: text } },
  response: {
    200: {
      type: 'object',
      properties: {
        status: { type: 'string' },
        id: { type: 'string' },
        tool: { type: 'string' },
        user: { type: 'string' },
        reason: { type: 'string' },
      },
    },
    404: detail,
    422: detail,
  },
} as const;

const ticketParams = {
  type: 'object',
  required: ['ticket_id'],
  properties: { ticket_id: { type: 'string', maxLength: TEXT_LIMITS.maxLength } },
} as const;

export const getTicketRoute = {
  summary: "A ticket's state (waiting with position, granted with the borrow, expired, cancelled); asking keeps a waiting ticket in line",
  params: ticketParams,
  response: { 200: ticket, 404: detail, 422: detail },
} as const;

export const cancelTicketRoute = {
  summary: 'Leave the line (state cancelled); 409 if the ticket was already granted its seat (return the borrow instead)',
  params: ticketParams,
  response: { 200: ticket, 404: detail, 409: detail, 422: detail },
} as const;

export const queueRoute = {
  summary: `A pool's line: waiting tickets, head first; at most ${MAX_PAGE_SIZE} (limit), the next page via before=<X-Next-Before>`,
  querystring: { type: 'object', required: ['tool'], properties: { tool: text, ...pageQuerystring } },
  response: { 200: { type: 'array', items: ticket }, 404: detail, 422: detail },
} as const;

/** The borrow route in AUTH_MODE=required: `user` may be omitted, the seat is then the caller's. */
export const borrowRouteSignedIn = {
  ...borrowRoute,
  summary: `${borrowRoute.summary}. Signed in, the seat is yours: user may be omitted (naming another user needs the admin role)`,
  body: { ...borrowRoute.body, required: ['tool'] },
  response: { ...borrowRoute.response, 401: detail, 403: detail },
} as const;

export const heartbeatRoute = {
  summary: "Renew a borrow's lease to now + its length (410 once it expired)",
  body: { type: 'object', required: ['id'], properties: { id: text } },
  response: {
    200: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        tool: { type: 'string' },
        user: { type: 'string' },
        expires_at: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    404: detail,
    410: detail,
    422: detail,
  },
} as const;

export const returnRoute = {
  summary: 'Return a borrowed license',
  body: { type: 'object', required: ['id'], properties: { id: text } },
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, tool: { type: 'string' } } }, 404: detail, 422: detail },
} as const;

export const toolStatusRoute = {
  summary: 'Status and cost of one pool',
  params: { type: 'object', required: ['tool'], properties: { tool: { type: 'string' } } },
  response: { 200: { $ref: 'PoolStatus#' }, 404: detail },
} as const;

export const allStatusRoute = {
  summary: 'Status and cost of every pool, sorted by tool',
  response: { 200: { type: 'array', items: { $ref: 'PoolStatus#' } } },
} as const;

export const borrowsRoute = {
  summary: `Current borrows, newest first; at most ${MAX_PAGE_SIZE} (limit), the next page via before=<X-Next-Before>`,
  querystring: { type: 'object', properties: { user: filterText, ...pageQuerystring } },
  response: { 200: { type: 'array', items: borrow } },
} as const;

export const chargesRoute = {
  summary: `Overage charges, newest first (they stay after the borrow is returned); at most ${MAX_PAGE_SIZE} (limit), the next page via before=<X-Next-Before>`,
  querystring: { type: 'object', properties: { tool: filterText, ...pageQuerystring } },
  response: {
    200: {
      type: 'object',
      properties: {
        charges: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              tool: { type: 'string' },
              borrow_id: { type: 'string' },
              user: { type: 'string' },
              charged_at: { type: 'string', format: 'date-time' },
              amount: { type: 'number' },
              kind: {
                type: 'string',
                enum: ['borrow', 'seat_hour'],
                description: 'borrow: an overage borrow (per_borrow mode); seat_hour: a started seat-hour of overage use',
              },
            },
          },
        },
      },
    },
  },
} as const;

export const getBudgetRoute = {
  summary: 'Budgets of every pool, sorted by tool',
  response: {
    200: {
      type: 'object',
      properties: {
        tools: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              tool: { type: 'string' },
              total: { type: 'integer' },
              borrowed: { type: 'integer' },
              commit: { type: 'integer' },
              max_overage: { type: 'integer' },
              commit_price: { type: 'number' },
              overage_price_per_license: { type: 'number' },
              lendable: { type: 'integer' },
              lease_seconds: { type: ['integer', 'null'] },
              ...billingProperties,
            },
          },
        },
      },
    },
  },
} as const;

const budgetFields = {
  total: seats('total'),
  commit: seats('commit'),
  max_overage: seats('maxOverage'),
  commit_price: money('commitPrice'),
  overage_price_per_license: money('overagePricePerLicense'),
  lease_seconds: leaseSeconds,
  billing_day: { type: 'integer', minimum: BILLING_DAY_LIMITS.min, maximum: BILLING_DAY_LIMITS.max },
  overage_mode: { type: 'string', enum: OVERAGE_MODES },
  spend_cap: { type: ['number', 'null'], minimum: SPEND_CAP_LIMITS.min, maximum: SPEND_CAP_LIMITS.max },
} as const;
const budgetRequired = ['tool', 'total', 'commit', 'max_overage', 'commit_price', 'overage_price_per_license'] as const;

export const putBudgetRoute = {
  summary: "Change a pool's budget (total may not drop below current borrows: 400; commit above total: 422)",
  body: { type: 'object', required: budgetRequired, properties: { tool: text, ...budgetFields } },
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, tool: { type: 'string' } } }, 400: detail, 422: detail },
} as const;

export const createToolRoute = {
  summary: `Create a pool with its budget (tool: ${TOOL_NAME_PATTERN}); 409 if the name is taken, by a live or a retired pool`,
  body: {
    type: 'object',
    required: budgetRequired,
    properties: { tool: { type: 'string', pattern: TOOL_NAME_PATTERN }, ...budgetFields },
  },
  response: { 201: { $ref: 'PoolStatus#' }, 409: detail, 422: detail },
} as const;

export const retireToolRoute = {
  summary: 'Retire a pool nobody holds a seat of (409 otherwise): it leaves status, metrics and the dashboard; its history stays',
  params: { type: 'object', required: ['tool'], properties: { tool: { type: 'string' } } },
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, tool: { type: 'string' } } }, 404: detail, 409: detail },
} as const;

export const frontendErrorRoute = {
  summary: 'Report a browser error to the server log',
  body: {
    type: 'object',
    required: ['message'],
    properties: {
      message: { type: 'string', maxLength: 10_000 },
      stack: { type: ['string', 'null'], maxLength: 50_000 },
      source: { type: ['string', 'null'], maxLength: 2_000 },
      lineno: { type: ['integer', 'null'] },
      colno: { type: ['integer', 'null'] },
      url: { type: ['string', 'null'], maxLength: 4_000 },
      userAgent: { type: ['string', 'null'], maxLength: 1_000 },
    },
  },
  // 429: over the per-address budget (routes.ts answers it before reading the body).
  response: { 200: { type: 'object', properties: { status: { type: 'string' } } }, 422: detail, 429: detail },
} as const;
