// A real OpenID Connect provider inside the tests: panva's `oidc-provider` (the certified
// implementation many IdPs build on) on a free 127.0.0.1 port, with its development login
// form (any login, any password), one confidential client for Floatline and two groups:
// logins starting with "admin" are in floatline-admins, "viewer…" in floatline-viewers,
// everyone else in floatline-users ("pt-…" also in team-powertrain). Its signing key is ours, so tests can also mint bearer
// JWTs the provider's JWKS vouches for (and ones it must not).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'floatline';
export const CLIENT_SECRET = 'test-client-secret-that-is-long-enough';

export interface TestIssuer {
  issuer: string;
  /** Environment for Floatline pointing at this provider (required mode). */
  env(floatlineUrl: string): Record<string, string>;
  /** Signs a JWT access token with the provider's own key (valid unless `claims` say otherwise). */
  sign(claims: Record<string, unknown>, opts?: { expiresIn?: string | number; alg?: string }): Promise<string>;
  close(): Promise<void>;
}

export function groupsOf(login: string): string[] {
  // Team groups (OIDC_TEAM_GROUP_PREFIX=team-): "pt-…" are in powertrain; Keycloak-style paths too.
  if (login.startsWith('pt-')) return ['floatline-users', '/team-powertrain'];
  if (login.startsWith('admin')) return ['floatline-admins'];
  if (login.startsWith('viewer')) return ['floatline-viewers'];
  return ['floatline-users'];
}

/** A port free now (Floatline's redirect URI must be known before the provider starts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startIssuer(redirectUris: string[]): Promise<TestIssuer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        // RP-initiated logout returns to the dashboard (Floatline sends PUBLIC_URL/).
        post_logout_redirect_uris: redirectUris.map((u) => u.replace(/\/auth\/callback$/, '/')),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub', 'preferred_username', 'groups'], profile: ['name'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, name: id, groups: groupsOf(id) }),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  } as ConstructorParameters<typeof Provider>[1]);
  const server: Server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));

  return {
    issuer,
    env: (floatlineUrl) => ({
      AUTH_MODE: 'required',
      OIDC_ISSUER: issuer,
      OIDC_ALLOW_HTTP: 'true',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_ADMIN_GROUPS: 'floatline-admins',
      OIDC_VIEWER_GROUPS: 'floatline-viewers',
      PUBLIC_URL: floatlineUrl,
      SESSION_SECRET: 'a-test-session-secret-of-at-least-32-chars',
    }),
    sign: (claims, opts = {}) =>
      new SignJWT({ iss: issuer, aud: CLIENT_ID, ...claims })
        .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key' })
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '5m')
        .sign(privateKey),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
