// Sign-in with the company's identity provider: OpenID Connect authorization code flow
// with PKCE (openid-client), and the session that follows it.
//
// Sessions are stored server-side (the credentials table, kind "session"): the browser
// holds only a random id in an httpOnly, SameSite=Lax cookie (Secure behind HTTPS), and the
// table holds its SHA-256. Chosen over a signed/encrypted cookie because sign-out, an
// admin's revocation and SESSION_HOURS then end a session for real — a stateless cookie
// stays valid until it expires whatever the server does — and because it reuses the API
// tokens' lookup-by-hash and cache, so it needs no key management for sessions at all.
//
// The sign-in round trip (PKCE verifier, state, nonce, where to return) travels in a
// short-lived cookie encrypted with jose (A256GCM, key from SESSION_SECRET), so any
// process of a fleet can finish a sign-in another one started.
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OidcConfig } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import { cookieValue, identityFromClaims, SESSION_COOKIE } from './identity.ts';
import type { Auth } from './index.ts';
import { signInProblem } from './sign-in-page.ts';

const SIGNIN_COOKIE = 'floatline_signin';
const SIGNIN_SECONDS = 600;
// The ID token from sign-in, kept (encrypted, path /auth) for the id_token_hint of
// RP-initiated logout at the provider. Browsers drop cookies over 4 KB: a larger ID token is
// not kept, and sign-out then names only the client (which providers also accept).
const ID_TOKEN_COOKIE = 'floatline_idt';
const ID_TOKEN_COOKIE_MAX = 3800;

export class SignInUnavailableError extends Error {}

/** The issuer's configuration, discovered on first need and again after a failure. */
export class Oidc {
  #config: Promise<client.Configuration> | null = null;

  constructor(
    readonly settings: OidcConfig,
    private readonly log: Logger,
    private readonly allowHttp: boolean,
  ) {}

  configuration(): Promise<client.Configuration> {
    if (!this.#config) {
      const s = this.settings;
      const execute = this.allowHttp ? [client.allowInsecureRequests] : [];
      this.#config = client
        .discovery(
          new URL(s.issuer),
          s.clientId,
          s.clientSecret,
          s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
          { execute },
        )
        .catch((err: unknown) => {
          this.#config = null;
          this.log.warn(
            { event: 'oidc_discovery_failed', issuer: s.issuer, err },
            'OIDC discovery failed; trying again on the next sign-in',
          );
          throw new SignInUnavailableError('The identity provider cannot be reached; try again shortly');
        });
    }
    return this.#config;
  }

  /** The issuer's JWKS URI and its issuer identifier, for bearer JWTs. */
  async jwks(): Promise<{ uri: URL; issuer: string }> {
    const meta = (await this.configuration()).serverMetadata();
    if (!meta.jwks_uri) throw new SignInUnavailableError('The identity provider publishes no jwks_uri');
    return { uri: new URL(meta.jwks_uri), issuer: meta.issuer };
  }
}

interface SignInState {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/** Only a path on this site: never `//evil.example` or an absolute URL (no open redirect). */
export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 500) return '/';
  for (const ch of raw) if (ch.charCodeAt(0) < 0x20 || ch === '\\') return '/';
  return raw;
}

export function registerSignIn(app: FastifyInstance, auth: Auth, oidc: Oidc | null, log: Logger): void {
  const cfg = auth.config;
  const key = createHash('sha256')
    .update(cfg.sessionSecret ?? randomBytes(32))
    .digest();
  if (oidc && !cfg.sessionSecret) {
    log.warn(
      { event: 'session_secret_missing' },
      'SESSION_SECRET is not set: a sign-in started on one process cannot finish on another (set it when running several)',
    );
  }

  /** A short-lived cookie value only this deployment can read (A256GCM, key from SESSION_SECRET).
   *  Its lifetime is on the server's clock (auth.clock), as is the check when it comes back. */
  const seal = (payload: Record<string, unknown>, seconds: number) => {
    const now = Math.floor(auth.clock.now().getTime() / 1000);
    return new EncryptJWT(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(now)
      .setExpirationTime(now + seconds)
      .encrypt(key);
  };
  /** A sealed cookie's payload, if this deployment sealed it and it has not expired by the server's clock. */
  const unseal = async (sealed: string) =>
    (
      await jwtDecrypt(sealed, key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        currentDate: auth.clock.now(),
      })
    ).payload;

  const isHttps = (req: FastifyRequest) =>
    cfg.publicUrl?.startsWith('https:') ||
    (req.socket as { encrypted?: boolean }).encrypted === true ||
    (cfg.trustProxy &&
      String(req.headers['x-forwarded-proto'] ?? '')
        .split(',')[0]
        ?.trim() === 'https');

  const base = (req: FastifyRequest) => {
    if (cfg.publicUrl) return cfg.publicUrl;
    const host = (cfg.trustProxy && String(req.headers['x-forwarded-host'] ?? '')) || req.headers.host || 'localhost';
    return `${isHttps(req) ? 'https' : 'http'}://${host}`;
  };

  const cookie = (req: FastifyRequest, name: string, value: string, maxAge: number, path = '/') =>
    `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${isHttps(req) ? '; Secure' : ''}`;

  const fail = (req: FastifyRequest, reply: FastifyReply, why: string, status = 401) => {
    auth.refused('sign_in_failed', { transport: 'http', route: req.routeOptions.url, why });
    reply.header('set-cookie', cookie(req, SIGNIN_COOKIE, '', 0, '/auth'));
    return signInProblem(req, reply, status, 'Sign-in failed', `Sign-in failed: ${why}`);
  };

  const unavailable = (req: FastifyRequest, reply: FastifyReply) =>
    signInProblem(
      req,
      reply,
      404,
      'Sign-in is not set up',
      'Sign-in is not configured on this server: an administrator sets OIDC_ISSUER and OIDC_CLIENT_ID (docs/auth.md). Until then, use an API token.',
    );

  /** The provider's settings (discovery), or null after answering that it cannot be reached. */
  const providerOrSay = async (req: FastifyRequest, reply: FastifyReply, provider: NonNullable<typeof oidc>) => {
    try {
      return await provider.configuration();
    } catch {
      reply.header('retry-after', '5');
      signInProblem(
        req,
        reply,
        503,
        'The identity provider does not answer',
        `Sign-in cannot start: the identity provider (${provider.settings.issuer}) does not answer. Try again in a minute; if it lasts, tell your administrator.`,
      );
      return null;
    }
  };

  app.get<{ Querystring: { return_to?: string } }>(
    '/auth/login',
    {
      schema: {
        summary: 'Start signing in with the identity provider (redirects there; PKCE)',
        // A browser's redirect, not an API operation (docs/auth.md): kept out of /openapi.json.
        hide: true,
        querystring: { type: 'object', properties: { return_to: { type: 'string', maxLength: 500 } } },
      },
    },
    async (req, reply) => {
      if (!oidc) return unavailable(req, reply);
      auth.throttle(req.socket.remoteAddress);
      const config = await providerOrSay(req, reply, oidc);
      if (!config) return reply;
      const s: SignInState = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        returnTo: safeReturnTo(req.query.return_to),
      };
      const sealed = await seal({ ...s }, SIGNIN_SECONDS);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${base(req)}/auth/callback`,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(s.verifier),
        code_challenge_method: 'S256',
        state: s.state,
        nonce: s.nonce,
      });
      return reply
        .code(302)
        .header('cache-control', 'no-store')
        .header('set-cookie', cookie(req, SIGNIN_COOKIE, sealed, SIGNIN_SECONDS, '/auth'))
        .header('location', url.href)
        .send();
    },
  );

  // A browser's redirect, not an API operation (docs/auth.md): kept out of /openapi.json.
  const callbackSchema = { summary: "The identity provider's redirect back (finishes sign-in)", hide: true } as const;
  app.get('/auth/callback', { schema: callbackSchema }, async (req, reply) => {
    if (!oidc) return unavailable(req, reply);
    auth.throttle(req.socket.remoteAddress);
    const sealed = cookieValue(req.headers.cookie, SIGNIN_COOKIE);
    if (!sealed) return fail(req, reply, 'no sign-in in progress in this browser (start again at /auth/login)', 400);
    let s: SignInState;
    try {
      s = (await unseal(sealed)) as unknown as SignInState;
    } catch {
      return fail(req, reply, 'the sign-in expired or was started elsewhere; start again', 400);
    }
    const config = await providerOrSay(req, reply, oidc);
    if (!config) return reply;
    let claims: Record<string, unknown>;
    let idToken: string | undefined;
    try {
      // openid-client checks the ID token's iat/exp against the system clock: the provider issued
      // it on real time, whatever clock this server's own rules run on.
      const tokens = await client.authorizationCodeGrant(config, new URL(req.url, base(req)), {
        pkceCodeVerifier: s.verifier,
        expectedState: s.state,
        expectedNonce: s.nonce,
        idTokenExpected: true,
      });
      idToken = tokens.id_token;
      const idClaims: Record<string, unknown> = tokens.claims() ?? {};
      claims = { ...idClaims };
      // Groups and names may come only from userinfo (Keycloak, oidc-provider by default);
      // a provider without a userinfo endpoint is judged by its ID token alone.
      if (config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(idClaims.sub));
        claims = { ...info, ...idClaims };
        for (const k of [oidc.settings.usernameClaim, oidc.settings.groupsClaim]) if (info[k] !== undefined) claims[k] = info[k];
      }
    } catch (err) {
      log.warn(
        { event: 'oidc_callback_failed', err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'sign-in callback refused',
      );
      return fail(req, reply, 'the identity provider did not confirm it');
    }
    const who = identityFromClaims(oidc.settings, claims);
    if (!who) return fail(req, reply, `the identity provider sent no "${oidc.settings.usernameClaim}" claim`, 403);
    // Teams from groups (OIDC_TEAM_GROUP_PREFIX / OIDC_TEAM_GROUPS): settled before the first
    // borrow of the session. A database that does not answer leaves the membership as it was.
    if (auth.teamSync) {
      try {
        await auth.teamSync.sync(who.user, claims[oidc.settings.groupsClaim], true);
      } catch (err) {
        log.warn({ event: 'team_sync_failed', err }, "could not set a user's team from the identity provider's groups");
      }
    }
    const hours = cfg.sessionHours;
    const { secret } = await auth.credentials.create({
      kind: 'session',
      name: 'dashboard sign-in',
      user: who.user,
      role: who.role,
      createdBy: who.user,
      expiresAt: new Date(auth.clock.now().getTime() + hours * 3_600_000),
    });
    log.info({ event: 'signed_in', user: who.user, role: who.role }, 'signed in');
    const cookies = [cookie(req, SESSION_COOKIE, secret, hours * 3600), cookie(req, SIGNIN_COOKIE, '', 0, '/auth')];
    const sealedIdToken = idToken ? await seal({ idt: idToken }, hours * 3600) : '';
    if (sealedIdToken && sealedIdToken.length <= ID_TOKEN_COOKIE_MAX)
      cookies.push(cookie(req, ID_TOKEN_COOKIE, sealedIdToken, hours * 3600, '/auth'));
    return reply.code(302).header('cache-control', 'no-store').header('set-cookie', cookies).header('location', s.returnTo).send();
  });

  /** Where to send the browser to end its session at the provider too (RP-initiated logout),
   *  or null when the provider offers no end_session_endpoint (or cannot be reached now). */
  const providerLogout = async (req: FastifyRequest): Promise<string | null> => {
    if (!oidc) return null;
    let config: client.Configuration;
    try {
      config = await oidc.configuration();
    } catch {
      return null; // sign-out here still ends the Floatline session
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = { post_logout_redirect_uri: `${base(req)}/` };
    const sealedIdToken = cookieValue(req.headers.cookie, ID_TOKEN_COOKIE);
    if (sealedIdToken) {
      try {
        const payload = await unseal(sealedIdToken);
        if (typeof payload.idt === 'string') params.id_token_hint = payload.idt;
      } catch {
        /* sealed by another key (SESSION_SECRET unset on a fleet) or expired: the client id alone */
      }
    }
    return client.buildEndSessionUrl(config, params).href;
  };

  app.post(
    '/auth/logout',
    {
      schema: {
        summary: 'Sign out: ends the session on the server and clears its cookie',
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: {
              status: { type: 'string' },
              logout_url: {
                type: 'string',
                description: "Where the browser goes next to end the provider's session too, when it offers that",
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
      let logoutUrl: string | null = null;
      if (secret) {
        await auth.credentials.revokeSecret(secret);
        logoutUrl = await providerLogout(req);
        log.info({ event: 'signed_out', at_provider: logoutUrl !== null }, 'signed out');
      }
      // logout_url: the dashboard goes there next, so the provider ends its session too.
      return reply
        .header('set-cookie', [cookie(req, SESSION_COOKIE, '', 0), cookie(req, ID_TOKEN_COOKIE, '', 0, '/auth')])
        .send(logoutUrl ? { status: 'ok', logout_url: logoutUrl } : { status: 'ok' });
    },
  );
}
