// Every environment variable Floatline reads, parsed and checked in one place.
// A bad value stops start-up with a message that names the variable.
import { readTracingConfig, type TracingConfig } from './observability/tracing-config.ts';
import { type HostPattern, parseHostPattern } from './http/allowed-hosts.ts';

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  databaseUrl: string | undefined;
  seed: boolean;
  appVersion: string;
  logLevel: string;
  redisUrl: string | undefined;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  /** Days of license_events kept (licenses/retention.ts); 0 keeps them forever. */
  eventRetentionDays: number;
  corsOrigins: string[];
  /** ALLOWED_HOSTS: Host headers served besides the defaults (server/http/allowed-hosts.ts). */
  allowedHosts: HostPattern[];
  /** HTTP bounds (server/http-bounds.ts, websocket.ts, frontend-error-limits.ts). */
  httpBounds: HttpBoundsConfig;
  /** Identity and roles (server/auth/, docs/auth.md). */
  auth: AuthConfig;
  /** OpenTelemetry traces (OTEL_*; docs/observability.md); null or absent: off. */
  tracing?: TracingConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | undefined;
  usernameClaim: string;
  groupsClaim: string;
  adminGroups: string[];
  viewerGroups: string[];
  /** Expected `aud` of bearer JWT access tokens; defaults to the client id. */
  audience: string;
  /** JWS algorithms accepted on bearer JWTs (never `none`). */
  algorithms: string[];
  /** OIDC_TEAM_GROUP_PREFIX: groups starting with it are teams (`team-x` → team `x`); null: none. */
  teamGroupPrefix: string | null;
  /** OIDC_TEAM_GROUPS: groups that are teams of the same name. */
  teamGroups: string[];
}

export interface AuthConfig {
  mode: 'open' | 'required';
  /** FLOATLINE_ADMIN_TOKEN: accepted as an admin token (set-up before anyone signs in). */
  adminToken: string | undefined;
  /** METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <it>`. */
  metricsToken: string | undefined;
  oidc: OidcConfig | undefined;
  /** PUBLIC_URL: how browsers reach Floatline (the OIDC redirect URI is PUBLIC_URL/auth/callback). */
  publicUrl: string | undefined;
  /** SESSION_SECRET: key of the short-lived encrypted sign-in state cookie; random per process when unset. */
  sessionSecret: string | undefined;
  sessionHours: number;
  /** TRUST_PROXY: believe X-Forwarded-Proto (Secure cookies behind a TLS-terminating proxy). */
  trustProxy: boolean;
  /** OIDC_ALLOW_HTTP: talk to an http:// issuer (local test set-ups only). */
  oidcAllowHttp: boolean;
  /** How long a looked-up token or session is trusted by other processes after a revocation. */
  cacheSeconds: number;
  /** Sign-in and token routes: requests per minute per client address. */
  rateLimitPerMinute: number;
}

export interface HttpBoundsConfig {
  production: boolean;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  bodyDrainLimitBytes: number;
  wsMaxSubscriptionsPerConnection: number;
  wsMaxConnectionsPerAddress: number;
  sseMaxStreamsPerAddress: number;
  sseMaxStreamsPerIdentity: number;
  /** How long a graphql-sse stream reserved with PUT waits for its event stream before it lapses. */
  sseStreamReservationMs: number;
  frontendErrorsPerMinute: number;
  frontendErrorBodyLimitBytes: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port: parseInteger('PORT', env.PORT, 8000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dbPath: env.LICENSE_DB_PATH || 'licenses.db',
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    seed: parseBool('LICENSE_DB_SEED', env.LICENSE_DB_SEED, true),
    appVersion: env.APP_VERSION || 'dev',
    logLevel,
    redisUrl: env.REDIS_URL || undefined,
    bodyLimitBytes: parseInteger('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 64 * 1024, 1024, 16 * 1024 * 1024),
    shutdownGraceMs: parseInteger('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 10_000, 0, 600_000),
    eventRetentionDays: parseInteger('EVENT_RETENTION_DAYS', env.EVENT_RETENTION_DAYS, 30, 0, 36_500),
    corsOrigins: parseOrigins('CORS_ORIGINS', env.CORS_ORIGINS),
    allowedHosts: parseAllowedHosts(env.ALLOWED_HOSTS),
    httpBounds: readHttpBounds(env),
    auth: readAuth(env),
    tracing: readTracingConfig(env),
  };
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function secret(name: string, raw: string | undefined, minLength: number): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < minLength)
    throw new ConfigError(`${name} must be at least ${minLength} characters (a random secret), got ${raw.length}`);
  return raw;
}

function readAuth(env: NodeJS.ProcessEnv): AuthConfig {
  const mode = (env.AUTH_MODE || 'open').trim().toLowerCase();
  if (mode !== 'open' && mode !== 'required') throw new ConfigError(`AUTH_MODE must be open or required, got "${env.AUTH_MODE}"`);
  let publicUrl: string | undefined;
  if (env.PUBLIC_URL) {
    try {
      const u = new URL(env.PUBLIC_URL);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      publicUrl = u.href.replace(/\/$/, '');
    } catch {
      throw new ConfigError(`PUBLIC_URL must be an http(s) URL like https://floatline.example.com, got "${env.PUBLIC_URL}"`);
    }
  }
  let oidc: OidcConfig | undefined;
  const oidcAllowHttp = parseBool('OIDC_ALLOW_HTTP', env.OIDC_ALLOW_HTTP, false);
  if (env.OIDC_ISSUER) {
    if (env.OIDC_ISSUER.startsWith('http:') && !oidcAllowHttp) {
      throw new ConfigError('OIDC_ISSUER must be an https:// URL (set OIDC_ALLOW_HTTP=true only for a local test issuer)');
    }
    if (!env.OIDC_CLIENT_ID) throw new ConfigError('OIDC_CLIENT_ID must be set when OIDC_ISSUER is');
    try {
      new URL(env.OIDC_ISSUER);
    } catch {
      throw new ConfigError(`OIDC_ISSUER must be the issuer URL, got "${env.OIDC_ISSUER}"`);
    }
    const algorithms = env.OIDC_JWT_ALGORITHMS ? list(env.OIDC_JWT_ALGORITHMS) : ['RS256', 'PS256', 'ES256', 'EdDSA'];
    for (const a of algorithms) {
      if (!ALGORITHMS.includes(a)) throw new ConfigError(`OIDC_JWT_ALGORITHMS may list only ${ALGORITHMS.join(', ')}, got "${a}"`);
    }
    oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET || undefined,
      usernameClaim: env.OIDC_USERNAME_CLAIM || 'preferred_username',
      groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups',
      adminGroups: list(env.OIDC_ADMIN_GROUPS),
      viewerGroups: list(env.OIDC_VIEWER_GROUPS),
      audience: env.OIDC_AUDIENCE || env.OIDC_CLIENT_ID,
      algorithms,
      teamGroupPrefix: env.OIDC_TEAM_GROUP_PREFIX || null,
      teamGroups: list(env.OIDC_TEAM_GROUPS),
    };
  }
  const adminToken = secret('FLOATLINE_ADMIN_TOKEN', env.FLOATLINE_ADMIN_TOKEN, 24);
  // Required mode with neither sign-in nor an admin token would start and let nobody in
  // (no one could create the first API token): refuse, naming the ways in.
  if (mode === 'required' && !oidc && !adminToken) {
    throw new ConfigError(
      'AUTH_MODE=required needs a way in: set OIDC_ISSUER and OIDC_CLIENT_ID (people sign in with the identity provider), ' +
        'or FLOATLINE_ADMIN_TOKEN (a random secret of 24+ characters, to create the first API tokens with), or both (docs/auth.md)',
    );
  }
  return {
    mode,
    adminToken,
    metricsToken: secret('METRICS_TOKEN', env.METRICS_TOKEN, 16),
    oidc,
    publicUrl,
    sessionSecret: secret('SESSION_SECRET', env.SESSION_SECRET, 32),
    sessionHours: parseInteger('SESSION_HOURS', env.SESSION_HOURS, 12, 1, 24 * 30),
    trustProxy: parseBool('TRUST_PROXY', env.TRUST_PROXY, false),
    oidcAllowHttp,
    cacheSeconds: parseInteger('AUTH_CACHE_SECONDS', env.AUTH_CACHE_SECONDS, 5, 0, 300),
    rateLimitPerMinute: parseInteger('AUTH_RATE_LIMIT_PER_MINUTE', env.AUTH_RATE_LIMIT_PER_MINUTE, 30, 1, 100_000),
  };
}

function readHttpBounds(env: NodeJS.ProcessEnv): HttpBoundsConfig {
  const requestTimeoutMs = parseInteger('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 30_000, 100, 3_600_000);
  const headersTimeoutMs = parseInteger('HEADERS_TIMEOUT_MS', env.HEADERS_TIMEOUT_MS, Math.min(10_000, requestTimeoutMs), 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be larger than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return {
    production: env.NODE_ENV === 'production',
    requestTimeoutMs,
    headersTimeoutMs,
    bodyDrainLimitBytes: parseInteger('BODY_DRAIN_LIMIT_BYTES', env.BODY_DRAIN_LIMIT_BYTES, 8 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    wsMaxSubscriptionsPerConnection: parseInteger(
      'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION',
      env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      100,
      1,
      100_000,
    ),
    wsMaxConnectionsPerAddress: parseInteger('WS_MAX_CONNECTIONS_PER_ADDRESS', env.WS_MAX_CONNECTIONS_PER_ADDRESS, 50, 1, 100_000),
    sseMaxStreamsPerAddress: parseInteger('SSE_MAX_STREAMS_PER_ADDRESS', env.SSE_MAX_STREAMS_PER_ADDRESS, 50, 1, 100_000),
    sseMaxStreamsPerIdentity: parseInteger('SSE_MAX_STREAMS_PER_IDENTITY', env.SSE_MAX_STREAMS_PER_IDENTITY, 50, 1, 100_000),
    sseStreamReservationMs: parseInteger('SSE_STREAM_RESERVATION_MS', env.SSE_STREAM_RESERVATION_MS, 30_000, 10, 3_600_000),
    frontendErrorsPerMinute: parseInteger('FRONTEND_ERRORS_PER_MINUTE', env.FRONTEND_ERRORS_PER_MINUTE, 10, 1, 100_000),
    frontendErrorBodyLimitBytes: parseInteger(
      'FRONTEND_ERROR_BODY_LIMIT_BYTES',
      env.FRONTEND_ERROR_BODY_LIMIT_BYTES,
      16 * 1024,
      1024,
      1024 * 1024,
    ),
  };
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('DATABASE_URL must be a postgresql:// URL (for SQLite, set LICENSE_DB_PATH instead)');
  }
  return raw;
}

/** Comma-separated exact origins (scheme://host[:port]) that other sites' pages may use
 *  Floatline from; empty means same-origin only. Exact, never patterns or "*": each entry is
 *  a decision to trust that site with writes. */
function parseOrigins(name: string, raw: string | undefined): string[] {
  if (!raw || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        /* reported below */
      }
      if (
        !url ||
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.pathname !== '/' ||
        url.search !== '' ||
        url.hash !== '' ||
        url.username !== '' ||
        entry.endsWith('?') ||
        entry.endsWith('#')
      ) {
        throw new ConfigError(
          `${name} must be a comma-separated list of origins like https://dash.example.com (scheme, host, optional port; no path, no "*"), got "${entry}"`,
        );
      }
      return url.origin; // as browsers send it: lower-case host, no default port
    });
}

/** Comma-separated host names (optional :port, `*.example.com` for any subdomain). */
function parseAllowedHosts(raw: string | undefined): HostPattern[] {
  return list(raw).map((entry) => {
    const p = parseHostPattern(entry);
    if (!p)
      throw new ConfigError(
        `ALLOWED_HOSTS must be a comma-separated list of host names like floatline.example.com, floatline:8000 or *.example.com, got "${entry}"`,
      );
    return p;
  });
}
