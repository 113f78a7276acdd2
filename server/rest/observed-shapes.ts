// JSON of observed sources, pools and events: snake_case like the rest of the REST API.
import type { ObservedEventRecord, ObservedPoolRecord, ObservedPriceRecord, ObservedSourceRecord } from '../observed/index.ts';

export const sourceJson = (s: ObservedSourceRecord) => ({
  name: s.name,
  kind: s.kind,
  command: s.command,
  interval_seconds: s.intervalSeconds,
  created_at: s.createdAt.toISOString(),
  server_up: s.serverUp,
  error: s.error,
  servers: s.servers.map((x) => ({ host: x.host, up: x.up, master: x.master, version: x.version, error: x.error })),
  daemons: s.daemons.map((d) => ({ name: d.name, up: d.up, version: d.version, error: d.error })),
  last_snapshot_at: s.lastSnapshotAt?.toISOString() ?? null,
  unparsed_lines: s.unparsedLines,
});

export const poolJson = (p: ObservedPoolRecord) => ({
  source: p.source,
  feature: p.feature,
  vendor: p.vendor,
  issued: p.issued,
  in_use: p.inUse,
  reserved: p.reserved,
  expires: p.expires,
  holders: p.holders.map((h) => ({
    user: h.user,
    host: h.host,
    display: h.display,
    started_at: h.startedAt,
    licenses: h.licenses,
    linger_seconds: h.lingerSeconds,
    borrowed: h.borrowed,
  })),
  updated_at: p.updatedAt.toISOString(),
  stale: p.stale,
});

export const eventJson = (e: ObservedEventRecord) => ({
  id: e.id,
  source: e.source,
  feature: e.feature,
  vendor: e.vendor,
  kind: e.kind,
  origin: e.origin,
  user: e.user,
  host: e.host,
  licenses: e.licenses,
  reason: e.reason,
  at: e.at.toISOString(),
});

// The same shapes as JSON schemas, for /openapi.json (openapi.ts adds `required`: every
// field is always sent, null when empty) and for serializing the answers.
const nullable = (type: 'string' | 'integer' | 'boolean') => ({ type: [type, 'null'] }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const sourceSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    kind: { type: 'string', enum: ['flexnet', 'rlm'] },
    command: { ...nullable('string'), description: 'The status command polled; null when the source is only pushed to' },
    interval_seconds: { type: 'integer' },
    created_at: dateTime,
    server_up: { ...nullable('boolean'), description: 'Whether a license server answered the last snapshot; null before the first' },
    error: { ...nullable('string'), description: 'Why no server answered, as the output said it' },
    servers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          host: { type: 'string' },
          up: { type: 'boolean' },
          master: { type: 'boolean', description: 'FlexNet marks one server of a triad MASTER' },
          version: nullable('string'),
          error: nullable('string'),
        },
      },
    },
    daemons: {
      type: 'array',
      description: 'Vendor daemons (FlexNet) or ISV servers (RLM)',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, up: { type: 'boolean' }, version: nullable('string'), error: nullable('string') },
      },
    },
    last_snapshot_at: { ...dateTime, type: ['string', 'null'] },
    unparsed_lines: { type: 'integer', description: 'Lines of the last snapshot no rule recognised' },
  },
} as const;

export const poolSchema = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    feature: { type: 'string' },
    vendor: nullable('string'),
    issued: { ...nullable('integer'), description: 'Seats issued; null for an uncounted feature' },
    in_use: { type: 'integer' },
    reserved: { type: 'integer' },
    expires: { ...nullable('string'), description: 'An ISO date, permanent, or null when the output did not say' },
    holders: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          user: { type: 'string' },
          host: { type: 'string' },
          display: { type: 'string' },
          started_at: nullable('string'),
          licenses: { type: 'integer' },
          linger_seconds: nullable('integer'),
          borrowed: { type: 'boolean' },
        },
      },
    },
    updated_at: dateTime,
    stale: {
      type: 'boolean',
      description: 'The last snapshot could not reach the server (or the vendor daemon): the numbers are the last seen',
    },
  },
} as const;

export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    source: { type: 'string' },
    feature: { type: 'string' },
    vendor: nullable('string'),
    kind: { type: 'string', enum: ['out', 'in', 'denied', 'unsupported'] },
    origin: {
      type: 'string',
      enum: ['snapshot', 'log'],
      description: 'snapshot: inferred by comparing two snapshots; log: read from the debug log',
    },
    user: { type: 'string' },
    host: { type: 'string' },
    licenses: { type: 'integer' },
    reason: nullable('string'),
    at: dateTime,
  },
} as const;

/** The answer to a pushed (or polled) snapshot. */
export const snapshotOutcomeSchema = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    taken_at: dateTime,
    server_up: { type: 'boolean' },
    features: { type: 'integer' },
    in_use: { type: 'integer' },
    unparsed_lines: { type: 'integer' },
    events: { type: 'integer', description: 'Check-outs and check-ins inferred against the previous snapshot' },
  },
} as const;

/** The answer to a pushed debug log. */
export const logOutcomeSchema = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    events: { type: 'integer' },
    out: { type: 'integer' },
    in: { type: 'integer' },
    denied: { type: 'integer' },
    unsupported: { type: 'integer' },
    unparsed_lines: { type: 'integer' },
  },
} as const;

export const observedPriceJson = (p: ObservedPriceRecord) => ({
  tool: p.tool,
  source: p.source,
  feature: p.feature,
  price: p.price,
  billing_day: p.billingDay,
  updated_at: p.updatedAt.toISOString(),
});

export const observedPriceSchema = {
  type: 'object',
  properties: {
    tool: { type: 'string', description: 'The pool as reports and statements name it: <source>/<feature>' },
    source: { type: 'string' },
    feature: { type: 'string' },
    price: { type: 'number' },
    billing_day: { type: 'integer' },
    updated_at: dateTime,
  },
} as const;
