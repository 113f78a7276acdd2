// The seed-compatible REST routes: parse, call the domain, shape the original's JSON.
// Domain errors become the contract's status codes in rest/errors.ts. Request and reply
// types come from the routes' JSON schemas (schemas.ts) through the json-schema-to-ts type
// provider: the schema that validates a body is also its type, never a second copy.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { borrowerFor, requireAdmin, requireOwnSeat, requireOwnTicket, type Auth, type Identity } from '../auth/index.ts';
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
  auth: Auth;
  /** The request's identity (auth/rest.ts): OPEN_IDENTITY in open mode. */
  who: (req: FastifyRequest) => Identity;
}

/** `$ref: 'PoolStatus#'` in a reply schema resolves to the shared schema registered below. */
type SchemaTypes = JsonSchemaToTsProvider<{ SerializerSchemaOptions: { references: [typeof s.poolStatus] } }>;

export function registerRestRoutes(fastify: FastifyInstance, { licenses, log, version, frontendErrors, auth, who }: Deps): void {
  const app = fastify.withTypeProvider<SchemaTypes>();
  app.addSchema(s.poolStatus);

  // Required mode: `user` may be omitted (the seat is the caller's); open mode keeps the seed's schema.
  app.post('/licenses/borrow', { schema: auth.required ? s.borrowRouteSignedIn : s.borrowRoute }, async (req, reply) => {
    const b = req.body;
    const id = who(req);
    const request = {
      tool: b.tool,
      user: borrowerFor(id, b.user) as string,
      leaseSeconds: b.lease_seconds,
      host: b.host,
      idempotencyKey: b.idempotency_key ?? req.headers['idempotency-key'],
      project: b.project,
    };
    if (!b.queue) {
      const borrow = await licenses.borrow(request);
      await auth.actedFor(id, 'borrowed_for', borrow.tool, borrow.user, { borrow_id: borrow.id });
      return borrowJson(borrow);
    }
    // Asked to wait: the seat (200) if one was lendable, else a place in line (202).
    const got = await licenses.borrowOrWait(request);
    await auth.actedFor(
      id,
      'borrowed_for',
      request.tool,
      request.user,
      got.borrow ? { borrow_id: got.borrow.id } : { ticket_id: got.ticket.id },
    );
    return got.borrow ? borrowJson(got.borrow) : reply.code(202).send(ticketJson(got.ticket));
  });

  const teamJson = (t: TeamRecord) => ({ name: t.name, created_at: t.createdAt.toISOString(), members: t.members, shares: t.shares });
  const oneTeam = async (name: string) => {
    const team = await licenses.team(name);
    if (!team) throw new TeamNotFoundError(name);
    return teamJson(team);
  };

  // Teams and pool shares: anyone signed in reads them; changing them is an admin's, audited.
  app.post('/teams', { schema: s.createTeamRoute }, async (req, reply) => {
    const id = who(req);
    requireAdmin(id, 'create teams');
    await licenses.createTeam(req.body.name);
    await auth.adminAction(id, 'team_created', { target: req.body.name });
    return reply.code(201).send(await oneTeam(req.body.name));
  });

  app.get('/teams', { schema: s.listTeamsRoute }, async () => (await licenses.teams()).map(teamJson));

  app.delete('/teams/:team', { schema: s.deleteTeamRoute }, async (req) => {
    const id = who(req);
    requireAdmin(id, 'delete teams');
    await licenses.deleteTeam(req.params.team);
    await auth.adminAction(id, 'team_deleted', { target: req.params.team });
    return { status: 'ok', team: req.params.team };
  });

  app.put('/teams/:team/members', { schema: s.teamMembersRoute }, async (req) => {
    const id = who(req);
    requireAdmin(id, 'change team members');
    const before = (await licenses.team(req.params.team))?.members ?? null;
    await licenses.setTeamMembers(req.params.team, req.body.users);
    const team = await oneTeam(req.params.team);
    await auth.adminAction(id, 'team_members_set', { target: req.params.team, detail: { before, after: team.members } });
    return team;
  });

  app.get('/config/tools/:tool/shares', { schema: s.getSharesRoute }, async (req) => ({
    tool: req.params.tool,
    shares: (await licenses.poolShares(req.params.tool)).map((x) => ({ ...x })),
  }));

  app.put('/config/tools/:tool/shares', { schema: s.putSharesRoute }, async (req) => {
    const id = who(req);
    requireAdmin(id, 'change pool shares');
    const shares = req.body.shares.map((x) => ({ team: x.team, reserved: x.reserved, max: x.max ?? null }));
    const before = (await licenses.poolShares(req.params.tool)).map((x) => ({ ...x }));
    await licenses.setPoolShares(req.params.tool, shares);
    const after = (await licenses.poolShares(req.params.tool)).map((x) => ({ ...x }));
    await auth.adminAction(id, 'shares_changed', { tool: req.params.tool, detail: { before, after } });
    return { tool: req.params.tool, shares: after };
  });

  // Force-release: admins only, audited with the reason.
  app.post('/licenses/revoke', { schema: s.revokeRoute }, async (req) => {
    const id = who(req);
    requireAdmin(id, 'revoke seats');
    const { borrow, reason } = await auth.audit.audited(id, () => licenses.revoke(req.body.id, req.body.reason));
    return { status: 'ok', id: borrow.id, tool: borrow.tool, user: borrow.user, reason };
  });

  app.get('/queue/:ticket_id', { schema: s.getTicketRoute }, async (req) => {
    await requireOwnTicket(who(req), licenses, req.params.ticket_id, 'follow');
    return ticketJson(await licenses.ticket(req.params.ticket_id));
  });

  app.delete('/queue/:ticket_id', { schema: s.cancelTicketRoute }, async (req) => {
    const id = who(req);
    await requireOwnTicket(id, licenses, req.params.ticket_id, 'leave the line with');
    const ticket = await licenses.cancelTicket(req.params.ticket_id);
    await auth.actedFor(id, 'queue_left_for', ticket.tool, ticket.user, { ticket_id: ticket.id });
    return ticketJson(ticket);
  });

  app.get('/queue', { schema: s.queueRoute }, async (req, reply) => {
    const page = await licenses.queue(req.query.tool, restPage(req.query));
    linkNextPage(req, reply, page);
    return page.edges.map((e) => ticketJson(e.node));
  });

  app.post('/licenses/heartbeat', { schema: s.heartbeatRoute }, async (req) => {
    const id = who(req);
    await requireOwnSeat(id, licenses, req.body.id, 'renew');
    const lease = await licenses.heartbeat(req.body.id);
    await auth.actedFor(id, 'heartbeat_for', lease.tool, lease.user, { borrow_id: lease.id });
    return leaseJson(lease);
  });

  app.post('/licenses/return', { schema: s.returnRoute }, async (req) => {
    const id = who(req);
    await requireOwnSeat(id, licenses, req.body.id, 'return');
    const { borrow } = await licenses.return(req.body.id);
    await auth.actedFor(id, 'returned_for', borrow.tool, borrow.user, { borrow_id: borrow.id });
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
    const id = who(req);
    requireAdmin(id, 'change budgets');
    await auth.audit.audited(id, () => licenses.updateBudget(budgetInput(req.body)));
    return { status: 'ok', tool: req.body.tool };
  });

  app.post('/config/tools', { schema: s.createToolRoute }, async (req, reply) => {
    const id = who(req);
    requireAdmin(id, 'create pools');
    const pool = await auth.audit.audited(id, () => licenses.createPool(budgetInput(req.body)));
    return reply.code(201).send(statusJson(pool));
  });

  app.delete('/config/tools/:tool', { schema: s.retireToolRoute }, async (req) => {
    const id = who(req);
    requireAdmin(id, 'retire pools');
    const pool = await auth.audit.audited(id, () => licenses.retirePool(req.params.tool));
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
