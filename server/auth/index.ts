// The authentication module's one service: identities (identity.ts), the role rules
// (roles.ts), API tokens and sessions (credentials.ts), the audit trail (audit.ts) and the
// refusal log and metric. REST (rest.ts) and GraphQL (graphql/auth.ts) only parse, call
// these and shape the answers, so both doors apply the same rules with the same words.
import { Counter, type Registry } from 'prom-client';
import { systemClock, type Clock } from '../clock.ts';
import type { AuthConfig } from '../config.ts';
import type { Prisma } from '../db/database.ts';
import type { ChangeFeed } from '../licenses/change-feed.ts';
import { InvalidInputError, checkTextProblem } from './input.ts';
import { checkUserName } from '../licenses/text.ts';
import type { Logger } from '../observability/logger.ts';
import { Audit, actorName, type AuditQuery } from './audit.ts';
import { Credentials, type CredentialRecord } from './credentials.ts';
import { Authenticator, type RefusalReason } from './identity.ts';
import { RateGate, RateLimitedError } from './rate-gate.ts';
import { LiveCredentials } from './live-credentials.ts';
import { syncsTeams, TeamSync, type ApplyTeam } from './team-groups.ts';
import type { Oidc } from './oidc.ts';
import { actsFor } from './caller-rules.ts';
import { describe, ForbiddenError, isRole, mayManageCredentialOf, requireAdmin, tokenGrant, type Identity, type Role } from './roles.ts';

export * from './roles.ts';
export { actsFor, requireOwnSeat, requireOwnTicket, type Holders } from './caller-rules.ts';
export { RateLimitedError } from './rate-gate.ts';

/** Token lifetimes: a day to ten years; none means until revoked. */
export const TOKEN_DAYS = { min: 1, max: 3650 } as const;
export const MAX_LIST = 100;

export interface AuthDeps {
  config: AuthConfig;
  prisma: Prisma;
  changes: ChangeFeed;
  log: Logger;
  registry: Registry;
  /** The identity provider, for sign-in and bearer JWTs; null without OIDC_ISSUER. */
  oidc?: Oidc | null;
  /** Puts a user in the team their groups name (licenses/teams.ts); teams are not synced without it. */
  applyTeam?: ApplyTeam;
  /** The server's clock (clock.ts, the one the license rules read): tokens' and sessions'
   *  expiry, sign-in state lifetimes, rate-limit windows and audit times are judged by it. */
  clock?: Clock;
}

export class Auth {
  readonly config: AuthConfig;
  readonly required: boolean;
  readonly credentials: Credentials;
  readonly authenticator: Authenticator;
  readonly audit: Audit;
  readonly gate: RateGate;
  /** Open WebSockets and SSE streams, ended when their credential is revoked or expires. */
  readonly live: LiveCredentials;
  readonly oidc: Oidc | null;
  /** Teams from the provider's groups; null unless OIDC_TEAM_GROUP_PREFIX or OIDC_TEAM_GROUPS is set. */
  readonly teamSync: TeamSync | null;
  readonly clock: Clock;
  readonly #log: Logger;
  readonly #refusals: Counter<'reason'>;

  constructor(deps: AuthDeps) {
    this.config = deps.config;
    this.required = deps.config.mode === 'required';
    this.#log = deps.log;
    this.clock = deps.clock ?? systemClock;
    this.credentials = new Credentials(
      deps.prisma,
      deps.config.cacheSeconds,
      (err) => deps.log.warn({ event: 'credential_touch_failed', err }, 'could not record when a credential was last used'),
      this.clock,
    );
    this.oidc = deps.oidc ?? null;
    this.teamSync =
      deps.applyTeam && syncsTeams(deps.config.oidc) ? new TeamSync(deps.config.oidc, deps.applyTeam, deps.log, this.clock) : null;
    this.authenticator = new Authenticator(deps.config, this.credentials, this.oidc, this.teamSync, this.clock);
    this.authenticator.teamSyncFailed = (err) =>
      deps.log.warn({ event: 'team_sync_failed', err }, "could not set a user's team from the identity provider's groups");
    this.live = new LiveCredentials(this.authenticator, Math.max(deps.config.cacheSeconds, 1) * 1000, (err) =>
      deps.log.warn({ event: 'live_credentials_check_failed', err }, 'could not recheck the credentials of open streams'),
    );
    this.credentials.onRevoked = (id) => this.live.revoked(id);
    this.audit = new Audit(deps.prisma, deps.changes, this.clock);
    this.gate = new RateGate(deps.config.rateLimitPerMinute, this.clock);
    this.#refusals = new Counter({
      name: 'auth_refusals_total',
      help: 'Requests refused for want of an identity (unauthenticated, by reason), a role (forbidden), failed sign-ins, rate limits, and open streams ended because their credential was revoked or expired',
      labelNames: ['reason'] as const,
      registers: [deps.registry],
    });
    for (const r of [
      'no_credentials',
      'unknown_token',
      'invalid_jwt',
      'unknown_session',
      'forbidden',
      'sign_in_failed',
      'rate_limited',
      'revoked_while_open',
    ]) {
      this.#refusals.inc({ reason: r }, 0);
    }
  }

  /** Logs and counts a refusal; never the credential itself. */
  refused(
    reason: RefusalReason | 'forbidden' | 'sign_in_failed' | 'rate_limited' | 'revoked_while_open',
    fields: Record<string, unknown>,
  ): void {
    this.#refusals.inc({ reason });
    this.#log.warn({ event: 'auth_refused', reason, ...fields }, 'request refused');
  }

  /** Takes one sign-in or token request from the address's budget (RateLimitedError when spent). */
  throttle(address: string | undefined): void {
    const retryAfter = this.gate.take(address);
    if (retryAfter > 0) {
      this.#refusals.inc({ reason: 'rate_limited' });
      throw new RateLimitedError(retryAfter);
    }
  }

  /** A token's holder is granted power: no name that only looks like another's (text.ts
   *  checkUserName refuses padding and compatibility forms; here, letter case against the
   *  names already holding credentials and the built-in admin). */
  async #checkNewHolder(user: string): Promise<void> {
    checkUserName('user', user);
    const taken = user.toLowerCase() === 'admin' && user !== 'admin' ? 'admin' : await this.credentials.caseLookAlike(user);
    if (taken !== null) {
      throw new InvalidInputError(
        'user',
        'user_look_alike',
        `${JSON.stringify(user)} differs from the existing user ${JSON.stringify(taken)} only by letter case; use that spelling or another name`,
      );
    }
  }

  async createToken(
    id: Identity,
    input: { name: string; expiresInDays?: number | null; user?: string | null; role?: string | null },
  ): Promise<{ record: CredentialRecord; secret: string }> {
    checkTextProblem('name', input.name);
    if (input.user != null) await this.#checkNewHolder(input.user);
    if (input.role != null && !isRole(input.role)) {
      throw new InvalidInputError('role', 'enum', 'role must be one of viewer, user, admin');
    }
    const days = input.expiresInDays;
    if (days != null && (!Number.isInteger(days) || days < TOKEN_DAYS.min || days > TOKEN_DAYS.max)) {
      throw new InvalidInputError(
        'expiresInDays',
        'value_error',
        `expires_in_days must be a whole number from ${TOKEN_DAYS.min} to ${TOKEN_DAYS.max}`,
      );
    }
    const grant = tokenGrant(id, { user: input.user, role: (input.role as Role | null | undefined) ?? undefined });
    const created = await this.credentials.create({
      kind: 'token',
      name: input.name,
      user: grant.user,
      role: grant.role,
      createdBy: id.user as string,
      expiresAt: days != null ? new Date(this.clock.now().getTime() + days * 86_400_000) : null,
    });
    await this.audit.record({
      actor: id.user as string,
      action: 'token_created',
      target: grant.user,
      detail: {
        token_id: created.record.id,
        name: input.name,
        role: grant.role,
        expires_at: created.record.expiresAt?.toISOString() ?? null,
      },
    });
    return created;
  }

  /** Yours; everybody's (or one user's) for admins. */
  listTokens(id: Identity, q: { user?: string; limit: number; before?: string }) {
    if (id.user === null) throw new ForbiddenError('API tokens need AUTH_MODE=required or a credential (open mode has no identities)');
    const limit = Math.min(Math.max(q.limit, 1), MAX_LIST);
    if (id.role === 'admin') return this.credentials.listTokens(q.user, limit, q.before);
    if (q.user !== undefined && q.user !== id.user) throw new ForbiddenError("Only an admin may list other users' tokens");
    return this.credentials.listTokens(id.user, limit, q.before);
  }

  /** Revokes a token; null when there is none with this id that the caller may see. */
  async revokeToken(id: Identity, tokenId: string): Promise<CredentialRecord | null> {
    if (id.user === null) throw new ForbiddenError('API tokens need AUTH_MODE=required or a credential (open mode has no identities)');
    const existing = await this.credentials.get(tokenId);
    if (existing?.kind !== 'token' || !mayManageCredentialOf(id, existing.user)) return null;
    const revoked = await this.credentials.revoke(tokenId);
    if (existing.revokedAt === null) {
      await this.audit.record({
        actor: id.user,
        action: 'token_revoked',
        target: existing.user,
        detail: { token_id: existing.id, name: existing.name },
      });
    }
    return revoked;
  }

  auditEvents(id: Identity, q: AuditQuery) {
    requireAdmin(id, 'read the audit trail');
    return this.audit.list({ ...q, limit: Math.min(Math.max(q.limit, 1), MAX_LIST) });
  }

  /** Audits an admin action that is not a license change (teams, shares), after it succeeded. */
  async adminAction(
    id: Identity,
    action:
      | 'team_created'
      | 'team_deleted'
      | 'team_members_set'
      | 'shares_changed'
      | 'observed_source_created'
      | 'observed_source_deleted'
      | 'observed_price_set',
    e: { tool?: string; target?: string; detail?: Record<string, unknown> },
  ) {
    await this.audit.record({ actor: actorName(id), action, tool: e.tool ?? null, target: e.target ?? null, detail: e.detail });
  }

  /** Audits an action an admin took on another user's seat or ticket (after it succeeded);
   *  nothing when the caller acted for themselves or in open mode (caller-rules.ts actsFor). */
  async actedFor(
    id: Identity,
    action: 'borrowed_for' | 'returned_for' | 'heartbeat_for' | 'queue_left_for',
    tool: string,
    target: string,
    detail?: Record<string, unknown>,
  ) {
    if (!actsFor(id, target)) return;
    await this.audit.record({ actor: id.user as string, action, tool, target, detail });
  }

  describe = describe;
}
