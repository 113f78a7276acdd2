// Streams outlive the request that opened them: a graphql-ws socket or an SSE response was
// authenticated once, when it opened, and would otherwise keep its subscriptions after its
// token was revoked or its session ended. This keeps them to the same rules as requests:
//   - a revocation on this process (DELETE /auth/tokens/<id>, revokeToken, sign-out) ends
//     the streams opened with that credential at once;
//   - every AUTH_CACHE_SECONDS (at least 1 s) each distinct credential that still has a
//     stream open is looked up again in the database, bypassing the cache, so a revocation
//     on another process, a token's or session's expiry, or a JWT past its `exp` ends its
//     streams within that period.
// Streams are grouped by the credential they presented, so a thousand sockets of one CI
// token cost one lookup per period. FLOATLINE_ADMIN_TOKEN is configuration (it ends with a
// restart) and open mode has no credentials: neither is watched.
import { cookieValue, SESSION_COOKIE, type Authenticator, type Headers } from './identity.ts';
import type { Identity } from './roles.ts';

interface Group {
  headers: Headers;
  credentialId: string | undefined;
  ends: Set<() => void>;
}

export class LiveCredentials {
  readonly #groups = new Map<string, Group>();
  #timer: NodeJS.Timeout | null = null;
  #checking = false;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly periodMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Streams being watched (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const g of this.#groups.values()) n += g.ends.size;
    return n;
  }

  /**
   * Calls `end` once the credential in `headers` (the one `identity` was resolved from) no
   * longer proves an identity. Returns the function that stops watching (call it when the
   * stream closes on its own).
   */
  watch(headers: Headers, identity: Identity, end: () => void): () => void {
    if (identity.via === 'open' || identity.via === 'admin_token') return () => {};
    const key = keyOf(headers);
    let group = this.#groups.get(key);
    if (!group) {
      group = {
        headers: { authorization: headers.authorization, cookie: headers.cookie },
        credentialId: identity.credentialId,
        ends: new Set(),
      };
      this.#groups.set(key, group);
    }
    let ended = false;
    const once = () => {
      if (ended) return;
      ended = true;
      end();
    };
    group.ends.add(once);
    this.#start();
    return () => {
      ended = true;
      this.#remove(key, once);
    };
  }

  /** A credential was revoked on this process: end its streams now. */
  revoked(credentialId: string): void {
    for (const [key, group] of this.#groups) if (group.credentialId === credentialId) this.#endGroup(key, group);
  }

  /** Looks every watched credential up again (the database, not the cache); ends what fails. */
  async recheck(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      for (const [key, group] of [...this.#groups]) {
        try {
          const r = await this.authenticator.resolve(group.headers, { fresh: true });
          if (!r.identity) this.#endGroup(key, group);
        } catch (err) {
          // The database did not answer: keep the streams (a blip must not cut every
          // subscriber) and try again next period.
          this.onError(err);
        }
      }
    } finally {
      this.#checking = false;
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#groups.clear();
  }

  #endGroup(key: string, group: Group): void {
    this.#groups.delete(key);
    for (const end of group.ends) end();
    group.ends.clear();
    this.#stopIfIdle();
  }

  #remove(key: string, end: () => void): void {
    const group = this.#groups.get(key);
    if (!group) return;
    group.ends.delete(end);
    if (group.ends.size === 0) this.#groups.delete(key);
    this.#stopIfIdle();
  }

  #start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.recheck(), this.periodMs);
    this.#timer.unref();
  }

  #stopIfIdle(): void {
    if (this.#groups.size > 0 || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** One key per presented credential: the Authorization header, else the Cookie header. */
function keyOf(h: Headers): string {
  const auth = Array.isArray(h.authorization) ? h.authorization[0] : h.authorization;
  if (auth) return `a:${auth}`;
  return `c:${cookieValue(h.cookie, SESSION_COOKIE) ?? ''}`;
}
