// The seed-compatible REST routes: parse, call the domain, shape the original's JSON.
// Domain errors become the contract's status codes in rest/errors.ts. Request and reply
// types come from the routes' JSON schemas (schemas.ts) through the json-schema-to-ts type
// provider: the schema that validates a body is also its type, never a second copy.
import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { TeamNotFoundError, type Licenses, type TeamRecord } from '../licenses/index.ts';
import type { Logger } from '../observability/logger.ts';
import { reportFrontendError } from '../observability/frontend-errors.ts';
import type { FrontendErrorGate } from '../observability/frontend-error-limits.ts';
import * as s from './schemas.ts';
import { linkNextPage, restPage } from './paging.ts';
import { borrowJson, budgetInput, budgetJson, chargeJson, leaseJson, statusJson, ticketJson } from './shapes.ts';

interface Deps {
  licenses: Licenses;
  log: Logger;
  version: string;
  frontendErrors: FrontendErrorGate;
}

/** `$ref: 'PoolStatus#'` in a reply schema resolves to the shared schema registered below. */
type SchemaTypes = JsonSchemaToTsProvider<{ SerializerSchemaOptions: { references: [typeof s.poolStatus] } }>;

export function registerRestRoutes(fastify: FastifyInstance, { licenses, log, version, frontendErrors }: Deps): void {
  const app = fastify.withTypeProvider<SchemaTypes>();
  app.addSchema(s.poolStatus);

  app.post('/licenses/borrow', { schema: s.borrowRoute }, async (req, reply) => {
    const b = req.body;
    const request = {
      tool: b.tool,
      user: b.user,
      leaseSeconds: b.lease_seconds,
      host: b.host,
      idempotencyKey: b.idempotency_key ?? req.headers['idempotency-key'],
      project: b.project,
    };
    if (!b.queue) return borrowJson(await licenses.borrow(request));
    // Asked to wait: the seat (200) if one was lendable, else a place in line (202).
    const got = await licenses.borrowOrWait(request);
    return got.borrow ? borrowJson(got.borrow) : reply.code(202).send(ticketJson(got.ticket));
  });

  const teamJson = (t: TeamRecord) => ({ name: t.name, created_at: t.createdAt.toISOString(), members: t.members, shares: t.shares });
  const oneTeam = async (name: string) => {
    const team = (await licenses.teams()).find((t) => t.name === name);
    if (!team) throw new TeamNotFoundError(name);
    return teamJson(team);
  };

  app.post('/teams', { schema: s.createTeamRoute }, async (req, reply) => {
    await licenses.createTeam(req.body.name);
    return reply.code(201).send(await oneTeam(req.body.name));
  });

  app.get('/teams', { schema: s.listTeamsRoute }, async () => (await licenses.teams()).map(teamJson));

  app.delete('/teams/:team', { schema: s.deleteTeamRoute }, async (req) => {
    await licenses.deleteTeam(req.params.team);
    return { status: 'ok', team: req.params.team };
  });

  app.put('/teams/:team/members', { schema: s.teamMembersRoute }, async (req) => {
    await licenses.setTeamMembers(req.params.team, req.body.users);
    return oneTeam(req.params.team);
  });

  app.get('/config/tools/:tool/shares', { schema: s.getSharesRoute }, async (req) => ({
    tool: req.params.tool,
    shares: (await licenses.poolShares(req.params.tool)).map((x) => ({ ...x })),
  }));

  app.put('/config/tools/:tool/shares', { schema: s.putSharesRoute }, async (req) => {
    const shares = req.body.shares.map((x) => ({ team: x.team, reserved: x.reserved, max: x.max ?? null }));
    await licenses.setPoolShares(req.params.tool, shares);
    return { tool: req.params.tool, shares: (await licenses.poolShares(req.params.tool)).map((x) => ({ ...x })) };
  });

  app.post('/licenses/revoke', { schema: s.revokeRoute }, async (req) => {
    const { borrow, reason } = await licenses.revoke(req.body.id, req.body.reason);
    return { status: 'ok', id: borrow.id, tool: borrow.tool, user: borrow.user, reason };
  });

  app.get('/queue/:ticket_id', { schema: s.getTicketRoute }, async (req) => ticketJson(await licenses.ticket(req.params.ticket_id)));

  app.delete('/queue/:ticket_id', { schema: s.cancelTicketRoute }, async (req) =>
    ticketJson(await licenses.cancelTicket(req.params.ticket_id)),
  );

  app.get('/queue', { schema: s.queueRoute }, async (req, reply) => {
    const page = await licenses.queue(req.query.tool, restPage(req.query));
    linkNextPage(req, reply, page);
    return page.edges.map((e) => ticketJson(e.node));
  });

  app.post('/licenses/heartbeat', { schema: s.heartbeatRoute }, async (req) => leaseJson(await licenses.heartbeat(req.body.id)));

  app.post('/licenses/return', { schema: s.returnRoute }, async (req) => {
    const { borrow } = await licenses.return(req.body.id);
    return { status: 'ok', tool: borrow.tool };
  });

  app.get('/licenses/status', { schema: s.allStatusRoute }, async () => (await licenses.pools()).map(statusJson));

  app.get('/licenses/:tool/status', { schema: s.toolStatusRoute }, async (req) => statusJson(await licenses.pool(req.params.tool)));

  app.get('/borrows', { schema: s.borrowsRoute }, async (req, reply) => {
    const page = await licenses.borrows(req.query.user, restPage(req.query));
    linkNextPage(req, reply, page);
    return page.edges.map((e) => borrowJson(e.node));
  });

  app.get('/overage-charges', { schema: s.chargesRoute }, async (req, reply) => {
    const page = await licenses.charges(req.query.tool, restPage(req.query));
    linkNextPage(req, reply, page);
    return { charges: page.edges.map((e) => chargeJson(e.node)) };
  });

  app.get('/config/budget', { schema: s.getBudgetRoute }, async () => ({ tools: (await licenses.pools()).map(budgetJson) }));

  app.put('/config/budget', { schema: s.putBudgetRoute }, async (req) => {
    await licenses.updateBudget(budgetInput(req.body));
    return { status: 'ok', tool: req.body.tool };
  });

  app.post('/config/tools', { schema: s.createToolRoute }, async (req, reply) => {
    const pool = await licenses.createPool(budgetInput(req.body));
    return reply.code(201).send(statusJson(pool));
  });

  app.delete('/config/tools/:tool', { schema: s.retireToolRoute }, async (req) => {
    const pool = await licenses.retirePool(req.params.tool);
    return { status: 'ok', tool: pool.tool };
  });

  app.post(
    '/frontend-error',
    {
      schema: s.frontendErrorRoute,
      // A report is a few KB; anything bigger is refused (413) before it is parsed.
      bodyLimit: frontendErrors.bodyLimitBytes,
      // Checked before the body is read: a flood costs no parsing.
      onRequest: (req, reply, done) => {
        const retryAfter = frontendErrors.take(req.raw.socket.remoteAddress);
        if (retryAfter === 0) return done();
        void reply
          .code(429)
          .header('retry-after', String(retryAfter))
          .send({ detail: `Too many frontend error reports from this address; retry after ${retryAfter} s` });
      },
      onError: (_req, _reply, err, done) => {
        if (err.statusCode === 413) frontendErrors.drop('too_large');
        done();
      },
    },
    async (req) => {
      reportFrontendError(log, req.body);
      return { status: 'ok' };
    },
  );

  app.get(
    '/version',
    { schema: { summary: 'Running version', response: { 200: { type: 'object', properties: { version: { type: 'string' } } } } } },
    async () => ({ version }),
  );
}
