// Who is asking: resolves a request's identity from its credentials, in this order —
//   Authorization: Bearer <FLOATLINE_ADMIN_TOKEN>    → admin (via admin_token)
//   Authorization: Bearer flt_…  (an API token)      → its owner and role (via token)
//   Authorization: Bearer <JWT from OIDC_ISSUER>     → the claims' user and groups (via jwt)
//   Cookie: floatline_session=fls_…  (after sign-in) → the session's user and role (via session)
// A request that presents an Authorization header is judged by it alone: a bad bearer is
// refused even if a session cookie rides along. Secrets are compared by their SHA-256.
import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { systemClock, type Clock } from '../clock.ts';
import type { AuthConfig, OidcConfig } from '../config.ts';
import type { Oidc } from './oidc.ts';
import { hashSecret, TOKEN_PREFIX, type Credentials } from './credentials.ts';
import type { Identity, Role } from './roles.ts';
import type { TeamSync } from './team-groups.ts';

export const SESSION_COOKIE = 'floatline_session';

export interface Headers {
  authorization?: string | string[];
  cookie?: string | string[];
}

/** Why a presented credential was refused (logged and counted; never the secret). */
export type RefusalReason = 'no_credentials' | 'bad_scheme' | 'unknown_token' | 'invalid_jwt' | 'unknown_session';

export type Resolution = { identity: Identity; reason?: undefined } | { identity: null; reason: RefusalReason };

/** One cookie's value from a Cookie header, or undefined. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Role from an OIDC groups claim: admin groups win, then viewer groups, else user. */
export function roleFromGroups(oidc: OidcConfig, groups: unknown): Role {
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : [];
  // Keycloak's group mapper may send full paths (/floatline-admins): match either form.
  const names = new Set(list.flatMap((g) => [g, g.replace(/^\//, '')]));
  if (oidc.adminGroups.some((g) => names.has(g))) return 'admin';
  if (oidc.viewerGroups.some((g) => names.has(g))) return 'viewer';
  return 'user';
}

/** User name and role from verified claims; null when the user-name claim is missing. */
export function identityFromClaims(oidc: OidcConfig, claims: JWTPayload | Record<string, unknown>): { user: string; role: Role } | null {
  const user = claims[oidc.usernameClaim];
  if (typeof user !== 'string' || user === '' || user.length > 200) return null;
  return { user, role: roleFromGroups(oidc, claims[oidc.groupsClaim]) };
}

export class Authenticator {
  readonly #adminHash: Buffer | null;
  #jwks: Promise<{ keys: ReturnType<typeof createRemoteJWKSet>; issuer: string }> | null = null;

  constructor(
    readonly config: AuthConfig,
    readonly credentials: Credentials,
    /** The identity provider (discovery gives the JWKS URI); null without OIDC. */
    private readonly oidc: Oidc | null,
    /** Teams from a JWT's groups claim (team-groups.ts); null when not configured. */
    private readonly teamSync: TeamSync | null = null,
    /** The server's clock: credentials' and JWTs' expiry are judged by it. */
    private readonly clock: Clock = systemClock,
  ) {
    this.#adminHash = config.adminToken ? Buffer.from(hashSecret(config.adminToken), 'hex') : null;
  }

  /** The issuer's keys, fetched on first use and cached (jose refetches on an unknown kid, at most every 30 s). */
  #keys() {
    if (!this.#jwks && this.oidc) {
      this.#jwks = this.oidc.jwks().then(
        ({ uri, issuer }) => ({ keys: createRemoteJWKSet(uri, { cooldownDuration: 30_000, cacheMaxAge: 600_000 }), issuer }),
        (err: unknown) => {
          this.#jwks = null;
          throw err;
        },
      );
    }
    return this.#jwks;
  }

  /** The common case without a promise: a cached API token or session (undefined: ask resolve()). */
  resolveCached(headers: Headers): Resolution | undefined {
    const auth = headers.authorization;
    if (typeof auth === 'string' && auth !== '') {
      // "Bearer flt_…" exactly: anything else (admin token, JWT, odd spacing) takes the full path.
      if (!auth.startsWith('Bearer flt_')) return undefined;
      const identity = this.credentials.peek(auth.slice(7), 'token');
      return identity ? { identity } : undefined;
    }
    if (auth !== undefined) return undefined;
    const session = cookieValue(headers.cookie, SESSION_COOKIE);
    if (session === undefined) return undefined;
    const identity = this.credentials.peek(session, 'session');
    return identity ? { identity } : undefined;
  }

  /** The identity the headers (or a graphql-ws connection_init's authorization) prove. */
  async resolve(headers: Headers, opts: { fresh?: boolean } = {}): Promise<Resolution> {
    const auth = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
    if (auth !== undefined && auth !== '') return this.bearer(auth, opts);
    const session = cookieValue(headers.cookie, SESSION_COOKIE);
    if (session !== undefined) {
      const identity = await this.credentials.identify(session, 'session', this.clock.now().getTime(), opts.fresh);
      return identity ? { identity } : { identity: null, reason: 'unknown_session' };
    }
    return { identity: null, reason: 'no_credentials' };
  }

  /** `fresh`: ask the database even when the cache has the token (live streams' recheck). */
  async bearer(header: string, opts: { fresh?: boolean } = {}): Promise<Resolution> {
    const m = /^Bearer +(\S{1,4096})\s*$/i.exec(header);
    if (!m) return { identity: null, reason: 'bad_scheme' };
    const token = m[1]!;
    // API tokens first (the common case: one hash, one cache lookup), then the admin token.
    if (token.startsWith(TOKEN_PREFIX)) {
      const identity = await this.credentials.identify(token, 'token', this.clock.now().getTime(), opts.fresh);
      if (identity) return { identity };
    }
    if (this.isAdminToken(token)) return { identity: { user: 'admin', role: 'admin', via: 'admin_token' } };
    if (token.startsWith(TOKEN_PREFIX)) return { identity: null, reason: 'unknown_token' };
    if (this.oidc && this.config.oidc && token.split('.').length === 3) {
      const identity = await this.verifyJwt(token, this.config.oidc);
      return identity ? { identity } : { identity: null, reason: 'invalid_jwt' };
    }
    return { identity: null, reason: 'unknown_token' };
  }

  isAdminToken(token: string): boolean {
    if (!this.#adminHash) return false;
    return timingSafeEqual(Buffer.from(hashSecret(token), 'hex'), this.#adminHash);
  }

  /** An access token from the issuer: signature (its JWKS), issuer, audience, expiry and an
   *  allowed asymmetric algorithm (never `none`, never HMAC with a public key). */
  async verifyJwt(token: string, oidc: OidcConfig): Promise<Identity | null> {
    try {
      const jwks = await this.#keys();
      if (!jwks) return null;
      const { payload } = await jwtVerify(token, jwks.keys, {
        issuer: jwks.issuer,
        audience: oidc.audience,
        algorithms: oidc.algorithms,
        requiredClaims: ['exp'],
        clockTolerance: 5,
        currentDate: this.clock.now(),
      });
      const who = identityFromClaims(oidc, payload);
      if (!who) return null;
      await this.#syncTeam(who.user, payload[oidc.groupsClaim]);
      return { ...who, via: 'jwt' };
    } catch {
      return null;
    }
  }

  /** The team a verified JWT's groups name, before the request runs (its borrow counts for it).
   *  A database that does not answer leaves the membership as it was: the request goes on. */
  async #syncTeam(user: string, groups: unknown): Promise<void> {
    if (!this.teamSync) return;
    try {
      await this.teamSync.sync(user, groups);
    } catch (err) {
      this.teamSyncFailed(err);
    }
  }

  /** Told when a team sync fails (Auth logs it). */
  teamSyncFailed: (err: unknown) => void = () => {};
}
