// Identity over GraphQL: who am I, API tokens, the audit trail — the same service calls and
// rules as REST's /auth/* and /audit (server/auth/). Refusals leave as errors with
// extensions.code UNAUTHENTICATED, FORBIDDEN or RATE_LIMITED, counted and logged like REST's.
import { GraphQLError } from 'graphql';
import type { maskError as yogaMaskError } from 'graphql-yoga';
import { builder } from './builder.ts';
import { AUDIT_ACTIONS, type AuditEventRecord } from '../auth/audit.ts';
import type { CredentialRecord } from '../auth/credentials.ts';
import { ForbiddenError, RateLimitedError, requireAdmin, UnauthenticatedError, type Auth, type Identity } from '../auth/index.ts';
import { InvalidInputError, TEXT_LIMITS } from '../licenses/index.ts';

/** A refusal the auth rules made (not a fault): Yoga's error log skips these. */
export function isAuthRefusal(error: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return original instanceof ForbiddenError || original instanceof UnauthenticatedError || original instanceof RateLimitedError;
}

/** Auth refusals with their words and code; everything else to `next` (masking as before). */
export function authMaskError(auth: Auth, next: typeof yogaMaskError): typeof yogaMaskError {
  return (error, message, isDev) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    const located = error instanceof GraphQLError ? error : undefined;
    const as = (code: string, extra: Record<string, unknown> = {}) =>
      new GraphQLError((original as Error).message, {
        nodes: located?.nodes,
        path: located?.path,
        source: located?.source,
        positions: located?.positions,
        extensions: { code, ...extra },
      });
    if (original instanceof ForbiddenError) {
      auth.refused('forbidden', { transport: 'graphql', path: located?.path?.join('.') ?? null });
      return as('FORBIDDEN');
    }
    if (original instanceof UnauthenticatedError) return as('UNAUTHENTICATED');
    if (original instanceof RateLimitedError) return as('RATE_LIMITED', { retryAfter: original.retryAfter });
    if (original instanceof InvalidInputError) return as('BAD_USER_INPUT', { field: original.field, type: original.type });
    return next(error, message, isDev);
  };
}

const RoleEnum = builder.enumType('Role', {
  description: 'viewer: reads everything; user: borrows and returns their own seats; admin: everything',
  values: { VIEWER: { value: 'viewer' }, USER: { value: 'user' }, ADMIN: { value: 'admin' } } as const,
});

const MeRef = builder.objectRef<Identity & { mode: string }>('Me').implement({
  description: 'Who runs this operation',
  fields: (t) => ({
    user: t.exposeString('user', { nullable: true, description: 'null in open mode (nobody signs in)' }),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    via: t.exposeString('via', { description: 'session, token, jwt, admin_token; open in open mode' }),
    mode: t.exposeString('mode', { description: 'AUTH_MODE: open or required' }),
  }),
});

const ApiTokenRef = builder.objectRef<CredentialRecord>('ApiToken').implement({
  description: 'An API token (its secret is shown only once, when created)',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    user: t.exposeString('user'),
    role: t.field({ type: RoleEnum, resolve: (r) => r.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.exposeString('createdBy'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Written at most once a minute' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiTokenRef = builder.objectRef<{ record: CredentialRecord; secret: string }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.string({ description: 'The secret: send it as Authorization: Bearer <token>. Shown only now', resolve: (c) => c.secret }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (c) => c.record }),
  }),
});

const ApiTokenPageRef = builder.objectRef<{ items: CredentialRecord[]; nextBefore: string | null }>('ApiTokenPage').implement({
  fields: (t) => ({
    nodes: t.field({ type: [ApiTokenRef], extensions: { listSize: 100 }, resolve: (p) => p.items }),
    nextBefore: t.exposeString('nextBefore', { nullable: true, description: 'Pass as `before` for the next page' }),
  }),
});

const AuditActionEnum = builder.enumType('AuditAction', {
  values: Object.fromEntries(AUDIT_ACTIONS.map((a) => [a.toUpperCase(), { value: a }])) as Record<
    string,
    { value: (typeof AUDIT_ACTIONS)[number] }
  >,
});

const AuditEventRef = builder.objectRef<AuditEventRecord>('AuditEvent').implement({
  description: 'An admin action with its actor',
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.exposeString('actor'),
    action: t.field({ type: AuditActionEnum, resolve: (e) => e.action }),
    tool: t.exposeString('tool', { nullable: true }),
    target: t.exposeString('target', { nullable: true, description: 'The user acted for, or the token owner' }),
    detail: t.string({
      nullable: true,
      description: 'JSON: {before, after} of a budget, a reason, a token name and role',
      resolve: (e) => (e.detail ? JSON.stringify(e.detail) : null),
    }),
  }),
});

const AuditEventPageRef = builder.objectRef<{ items: AuditEventRecord[]; nextBefore: number | null }>('AuditEventPage').implement({
  fields: (t) => ({
    nodes: t.field({ type: [AuditEventRef], extensions: { listSize: 100 }, resolve: (p) => p.items }),
    nextBefore: t.id({ nullable: true, resolve: (p) => (p.nextBefore === null ? null : String(p.nextBefore)) }),
  }),
});

const TEXT = `${TEXT_LIMITS.minLength} to ${TEXT_LIMITS.maxLength} characters`;

builder.queryFields((t) => ({
  me: t.field({ type: MeRef, resolve: (_r, _a, ctx) => ({ ...ctx.identity, mode: ctx.auth.config.mode }) }),
  apiTokens: t.field({
    type: ApiTokenPageRef,
    description: "API tokens newest first: yours; everybody's for admins (user: one user's)",
    args: { user: t.arg.string(), first: t.arg.int({ defaultValue: 50 }), before: t.arg.string() },
    resolve: (_r, a, ctx) =>
      ctx.auth.listTokens(ctx.identity, { user: a.user ?? undefined, limit: a.first ?? 50, before: a.before ?? undefined }),
  }),
  auditEvents: t.field({
    type: AuditEventPageRef,
    description: 'The audit trail (admins only), newest first',
    args: {
      actor: t.arg.string(),
      tool: t.arg.string(),
      action: t.arg({ type: AuditActionEnum }),
      since: t.arg({ type: 'DateTime' }),
      until: t.arg({ type: 'DateTime' }),
      first: t.arg.int({ defaultValue: 50 }),
      before: t.arg.id(),
    },
    resolve: (_r, a, ctx) => {
      const before = a.before == null ? undefined : Number(a.before);
      if (before !== undefined && !Number.isInteger(before))
        throw new InvalidInputError('before', 'value_error', 'before must be an audit event id');
      return ctx.auth.auditEvents(ctx.identity, {
        actor: a.actor ?? undefined,
        tool: a.tool ?? undefined,
        action: a.action ?? undefined,
        since: a.since ?? undefined,
        until: a.until ?? undefined,
        before,
        limit: a.first ?? 50,
      });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  auditEventAdded: t.field({
    type: AuditEventRef,
    description: "Admin actions as they happen (admins only): the dashboard's activity feed for admins",
    subscribe: (_r, _a, ctx) => {
      requireAdmin(ctx.identity, 'follow the audit trail');
      return ctx.live.audit(ctx.transport);
    },
    resolve: (e) => e,
  }),
}));

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreatedApiTokenRef,
    description: 'Creates an API token for yourself; admins may name a user and role (service accounts)',
    args: {
      name: t.arg.string({ required: true, description: TEXT }),
      expiresInDays: t.arg.int({ description: '1 to 3650; none = until revoked' }),
      user: t.arg.string(),
      role: t.arg({ type: RoleEnum }),
    },
    resolve: (_r, a, ctx) => {
      ctx.auth.throttle(ctx.clientAddress);
      return ctx.auth.createToken(ctx.identity, a);
    },
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    nullable: true,
    description: 'Revokes a token; null when there is none with this id that you may manage',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => {
      ctx.auth.throttle(ctx.clientAddress);
      return ctx.auth.revokeToken(ctx.identity, String(a.id));
    },
  }),
}));
