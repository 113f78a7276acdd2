// Every failure leaves as {"detail": ...} with a 4xx the contract names; only a real
// fault is a 500, and then without internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { replyAuthError } from '../auth/rest.ts';
import type { Auth } from '../auth/index.ts';
import {
  BorrowNotFoundError,
  BorrowRevokedError,
  CommitAboveTotalError,
  InvalidBudgetError,
  InvalidInputError,
  InvalidPageError,
  LeaseExpiredError,
  NoLicenseAvailableError,
  PoolExistsError,
  PoolInUseError,
  MemberOfOtherTeamError,
  SharesImpossibleError,
  TeamExistsError,
  TeamNotFoundError,
  TicketGrantedError,
  TicketNotFoundError,
  ToolNotFoundError,
} from '../licenses/index.ts';
import { toDetail } from './validation.ts';
import { DatabaseUnavailableError, RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.ts';

/** The domain names fields as its inputs do (`leaseSeconds`); REST bodies say `lease_seconds`. */
const restField = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const BUDGET_REFUSED = 'Tool not found or total cannot be reduced below current borrows';

export function registerErrorHandling(app: FastifyInstance, auth?: Auth): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (replyAuthError(err, req, reply, auth)) return reply;
    if (err.validation) return reply.code(422).send({ detail: toDetail(err.validation, err.validationContext ?? 'body') });
    // Text the domain refuses (control characters, invalid Unicode): the same 422 item as a
    // schema failure, at the field's place (query string for reads, body for writes).
    if (err instanceof InvalidInputError) {
      return reply
        .code(422)
        .send({ detail: [{ loc: [req.method === 'GET' ? 'query' : 'body', restField(err.field)], msg: err.message, type: err.type }] });
    }
    if (err instanceof NoLicenseAvailableError) return reply.code(409).send({ detail: err.message });
    if (err instanceof ToolNotFoundError) {
      return req.routeOptions.url === '/config/budget'
        ? reply.code(400).send({ detail: BUDGET_REFUSED })
        : reply.code(404).send({ detail: err.message });
    }
    // A rule between budget fields (not in the seed): a 422 naming the field, like a schema failure.
    if (err instanceof CommitAboveTotalError) {
      return reply.code(422).send({ detail: [{ loc: ['body', restField(err.field)], msg: err.message, type: 'value_error' }] });
    }
    // Team shares that cannot hold (a budget below the reservations, or shares above the pool): a 422 naming the field.
    if (err instanceof SharesImpossibleError) {
      return reply.code(422).send({ detail: [{ loc: ['body', restField(err.field)], msg: err.message, type: 'value_error' }] });
    }
    if (err instanceof InvalidBudgetError) return reply.code(400).send({ detail: BUDGET_REFUSED });
    if (err instanceof TeamNotFoundError) return reply.code(404).send({ detail: err.message });
    if (err instanceof TeamExistsError || err instanceof MemberOfOtherTeamError) return reply.code(409).send({ detail: err.message });
    if (err instanceof PoolExistsError || err instanceof PoolInUseError) return reply.code(409).send({ detail: err.message });
    if (err instanceof BorrowNotFoundError) return reply.code(404).send({ detail: err.message });
    if (err instanceof LeaseExpiredError || err instanceof BorrowRevokedError) return reply.code(410).send({ detail: err.message });
    if (err instanceof TicketNotFoundError) return reply.code(404).send({ detail: err.message });
    if (err instanceof TicketGrantedError) return reply.code(409).send({ detail: err.message });
    if (err instanceof InvalidPageError)
      return reply.code(422).send({ detail: [{ loc: ['query', err.field], msg: err.message, type: 'value_error' }] });
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(422).send({ detail: [{ loc: ['body'], msg: `JSON decode error: ${err.message}`, type: 'json_invalid' }] });
    }
    // A lost database connection that retrying did not cure, or a commit whose outcome is
    // unknown: the client may try again shortly (server/db/unavailable.ts says which is which).
    if (isDatabaseUnavailable(err)) {
      const unavailable = err instanceof DatabaseUnavailableError ? err : new DatabaseUnavailableError(false, { cause: err });
      app.log.warn(
        { err, event: 'database_unavailable', outcome_unknown: unavailable.outcomeUnknown },
        'answered 503: the database connection failed',
      );
      return reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({ detail: unavailable.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ detail: err.message });
    app.log.error({ err, event: 'unhandled_error' }, 'request failed');
    return reply.code(500).send({ detail: 'Internal Server Error' });
  });

  // Wrong method on a known path is 405, as the original answered; anything else 404.
  // Known paths are learnt from the routes as they are registered, parameters included.
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { pattern: routePattern(route.url), methods: new Set<string>() };
    for (const m of [route.method].flat()) entry.methods.add(m);
    routes.set(route.url, entry);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const matching = [...routes.values()].filter((r) => r.pattern.test(path));
    if (matching.length > 0 && !matching.some((r) => r.methods.has(req.method))) {
      return reply.code(405).send({ detail: 'Method Not Allowed' });
    }
    return reply.code(404).send({ detail: 'Not Found' });
  });
}

/** `/licenses/:tool/status` → /^\/licenses\/[^/]+\/status$/; a trailing `*` matches the rest. */
function routePattern(url: string): RegExp {
  const segments = url
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}
