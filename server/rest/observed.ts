// REST for observed license servers (FlexNet, RLM): sources, snapshots and debug logs
// pushed as text, pools and history read back. Reads are everyone's; every write is an
// admin's (auth/roles.ts), audited like the other admin actions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireAdmin, type Auth, type Identity } from '../auth/index.ts';
import { MAX_PAGE_SIZE } from '../licenses/index.ts';
import { BUDGET_LIMITS } from '../licenses/limits.ts';
import { OBSERVED_LIMITS, type Observed, type ObservedPoolRecord } from '../observed/index.ts';
import {
  eventJson,
  eventSchema,
  logOutcomeSchema,
  observedPriceJson,
  observedPriceSchema,
  poolJson,
  poolSchema,
  snapshotOutcomeSchema,
  sourceJson,
  sourceSchema,
} from './observed-shapes.ts';

interface Deps {
  observed: Observed;
  auth: Auth;
  who: (req: FastifyRequest) => Identity;
}

const detail = { type: 'object', properties: { detail: {} }, required: ['detail'] } as const;
const name = { type: 'string', pattern: OBSERVED_LIMITS.namePattern, maxLength: 64 } as const;
const nameParams = { type: 'object', required: ['name'], properties: { name } } as const;
const limit = { type: 'string', pattern: '^[0-9]{1,4}$', description: `Rows in the page, 1 to ${MAX_PAGE_SIZE} (default 100)` } as const;
const after = { type: 'string', maxLength: 400, description: 'The X-Next-After header of the previous page' } as const;

/** A bad `limit` is a 422 naming it, as a schema failure would be. */
function pageLimit(raw: string | undefined): number {
  const n = raw === undefined ? 100 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw Object.assign(new Error(`limit must be from 1 to ${MAX_PAGE_SIZE}`), {
      statusCode: 422,
      validationContext: 'querystring',
      validation: [
        {
          keyword: 'maximum',
          instancePath: '/limit',
          schemaPath: '#/properties/limit',
          params: { limit: MAX_PAGE_SIZE },
          message: `must be from 1 to ${MAX_PAGE_SIZE}`,
        },
      ],
    });
  }
  return n;
}

function poolCursor(raw: string | undefined): [string, string, string] | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) return v as [string, string, string];
  } catch {}
  throw Object.assign(new Error('after is not a cursor this server issued'), {
    statusCode: 422,
    validationContext: 'querystring',
    validation: [
      {
        keyword: 'format',
        instancePath: '/after',
        schemaPath: '#/properties/after',
        params: {},
        message: 'is not a cursor this server issued',
      },
    ],
  });
}

export function registerObservedRoutes(app: FastifyInstance, { observed, auth, who }: Deps): void {
  app.post<{ Body: { name: string; kind: string; command?: string | null; interval_seconds?: number } }>(
    '/observed/sources',
    {
      schema: {
        summary: 'Register a license server to observe (admin): FlexNet (lmstat) or RLM (rlmstat), polled with `command` or pushed to',
        tags: ['observed'],
        body: {
          type: 'object',
          required: ['name', 'kind'],
          properties: {
            name,
            kind: { type: 'string', enum: ['flexnet', 'rlm'] },
            command: { type: ['string', 'null'], maxLength: OBSERVED_LIMITS.maxCommandLength },
            interval_seconds: { type: 'integer', minimum: OBSERVED_LIMITS.interval.min, maximum: OBSERVED_LIMITS.interval.max },
          },
        },
        response: { 201: sourceSchema, 409: detail, 422: detail },
      },
    },
    async (req, reply) => {
      const id = who(req);
      requireAdmin(id, 'register observed license servers');
      const b = req.body;
      const source = await observed.createSource({ name: b.name, kind: b.kind, command: b.command, intervalSeconds: b.interval_seconds });
      await auth.adminAction(id, 'observed_source_created', {
        target: source.name,
        detail: { kind: source.kind, command: source.command },
      });
      return reply.code(201).send(sourceJson(source));
    },
  );

  app.get<{ Querystring: { limit?: string; after?: string } }>(
    '/observed/sources',
    {
      schema: {
        summary: 'Observed license servers with their health, by name (paged)',
        tags: ['observed'],
        querystring: { type: 'object', properties: { limit, after: { ...after, maxLength: 64 } } },
        response: { 200: { type: 'object', properties: { sources: { type: 'array', items: sourceSchema } } }, 422: detail },
      },
    },
    async (req, reply) => {
      const n = pageLimit(req.query.limit);
      const rows = await observed.sources(n + 1, req.query.after);
      if (rows.length > n) reply.header('x-next-after', rows[n - 1]!.name);
      return { sources: rows.slice(0, n).map(sourceJson) };
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/observed/sources/:name',
    {
      schema: {
        summary: 'Stop observing a license server (admin); its history stays',
        tags: ['observed'],
        params: nameParams,
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, source: { type: 'string' } } }, 404: detail },
      },
    },
    async (req) => {
      const id = who(req);
      requireAdmin(id, 'remove observed license servers');
      await observed.deleteSource(req.params.name);
      await auth.adminAction(id, 'observed_source_deleted', { target: req.params.name });
      return { status: 'ok', source: req.params.name };
    },
  );

  app.get<{ Querystring: { source?: string; limit?: string; after?: string } }>(
    '/observed/pools',
    {
      schema: {
        summary: 'Pools of observed license servers as their last snapshot showed them (paged)',
        tags: ['observed'],
        querystring: { type: 'object', properties: { source: name, limit, after } },
        response: { 200: { type: 'object', properties: { pools: { type: 'array', items: poolSchema } } }, 422: detail },
      },
    },
    async (req, reply) => {
      const n = pageLimit(req.query.limit);
      const rows: ObservedPoolRecord[] = await observed.pools(n + 1, req.query.source, poolCursor(req.query.after));
      if (rows.length > n) {
        const last = rows[n - 1]!;
        reply.header('x-next-after', Buffer.from(JSON.stringify([last.source, last.feature, last.vendor ?? ''])).toString('base64url'));
      }
      return { pools: rows.slice(0, n).map(poolJson) };
    },
  );

  app.put<{ Params: { source: string; feature: string }; Body: { price: number; billing_day?: number } }>(
    '/observed/pools/:source/:feature/price',
    {
      schema: {
        summary:
          'Set what an observed pool costs per billing period (admin): its statement spreads it over teams by observed seat-hours (GET /statements?tool=<source>/<feature>)',
        tags: ['observed'],
        params: {
          type: 'object',
          required: ['source', 'feature'],
          properties: { source: name, feature: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        body: {
          type: 'object',
          required: ['price'],
          properties: {
            price: {
              type: 'number',
              minimum: 0,
              maximum: BUDGET_LIMITS.commitPrice.max,
              description: 'Per billing period, in the currency of the statements',
            },
            billing_day: { type: 'integer', minimum: 1, maximum: 28, description: 'The day of the month each period starts (default 1)' },
          },
        },
        response: { 200: observedPriceSchema, 404: detail, 422: detail },
      },
    },
    async (req) => {
      const id = who(req);
      requireAdmin(id, 'price observed pools');
      const { source, feature } = req.params;
      const p = await observed.setPrice(source, feature, { price: req.body.price, billingDay: req.body.billing_day });
      await auth.adminAction(id, 'observed_price_set', { tool: p.tool, detail: { price: p.price, billing_day: p.billingDay } });
      return observedPriceJson(p);
    },
  );

  app.get<{ Querystring: { source?: string; feature?: string; limit?: string; before?: string } }>(
    '/observed/events',
    {
      schema: {
        summary:
          'History of observed pools, newest first: check-outs and check-ins inferred from snapshots, and exact ones and denials from debug logs (paged)',
        tags: ['observed'],
        querystring: {
          type: 'object',
          properties: {
            source: name,
            feature: { type: 'string', minLength: 1, maxLength: 200 },
            limit,
            before: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'The X-Next-Before header of the previous page' },
          },
        },
        response: { 200: { type: 'object', properties: { events: { type: 'array', items: eventSchema } } }, 422: detail },
      },
    },
    async (req, reply) => {
      const n = pageLimit(req.query.limit);
      const rows = await observed.events({
        limit: n + 1,
        source: req.query.source,
        feature: req.query.feature,
        before: req.query.before === undefined ? undefined : Number(req.query.before),
      });
      if (rows.length > n) {
        // As the other pages by `before` (paging.ts): the cursor, and the same request with it.
        const cursor = String(rows[n - 1]!.id);
        const url = new URL(req.url, 'http://x');
        url.searchParams.set('before', cursor);
        reply.header('x-next-before', cursor).header('link', `<${url.pathname}${url.search}>; rel="next"`);
      }
      return { events: rows.slice(0, n).map(eventJson) };
    },
  );

  // Snapshots and logs are raw text whatever the client calls it (curl --data-binary sends
  // form encoding by default): this context reads every body as a string, up to the cap.
  app.register(async (text) => {
    text.removeAllContentTypeParsers();
    text.addContentTypeParser('*', { parseAs: 'string', bodyLimit: OBSERVED_LIMITS.maxBodyBytes }, (_req, body, done) => done(null, body));
    // Documented as text/plain; an empty body is the empty text (a snapshot of nothing).
    const route = (what: string, answer: object) =>
      ({
        consumes: ['text/plain'],
        body: { type: 'string', description: `${what}, as the program printed it (at most ${OBSERVED_LIMITS.maxBodyBytes} bytes)` },
        params: nameParams,
        response: { 200: answer, 404: detail, 413: detail },
      }) as const;
    const emptyIsText = async (req: FastifyRequest) => {
      req.body ??= '';
    };

    text.post<{ Params: { name: string }; Body: string }>(
      '/observed/sources/:name/snapshot',
      {
        bodyLimit: OBSERVED_LIMITS.maxBodyBytes,
        preValidation: emptyIsText,
        schema: {
          summary: 'Push the text output of lmstat -a (FlexNet) or rlmstat -a (RLM) of this source (admin)',
          tags: ['observed'],
          ...route('The output of lmstat -a or rlmstat -a', snapshotOutcomeSchema),
        },
      },
      async (req) => {
        requireAdmin(who(req), 'push observed snapshots');
        const o = await observed.snapshot(req.params.name, req.body);
        return {
          source: o.source,
          taken_at: o.takenAt.toISOString(),
          server_up: o.serverUp,
          features: o.features,
          in_use: o.inUse,
          unparsed_lines: o.unparsedLines,
          events: o.events,
        };
      },
    );

    text.post<{ Params: { name: string }; Body: string }>(
      '/observed/sources/:name/log',
      {
        bodyLimit: OBSERVED_LIMITS.maxBodyBytes,
        preValidation: emptyIsText,
        schema: {
          summary: "Push lines of this FlexNet source's debug log (admin): OUT, IN, DENIED, UNSUPPORTED become events",
          tags: ['observed'],
          ...route('Lines of the lmgrd debug log', logOutcomeSchema),
        },
      },
      async (req) => {
        requireAdmin(who(req), 'push observed debug logs');
        const o = await observed.log(req.params.name, req.body);
        return {
          source: o.source,
          events: o.events,
          out: o.out,
          in: o.in,
          denied: o.denied,
          unsupported: o.unsupported,
          unparsed_lines: o.unparsedLines,
        };
      },
    );
  });
}
