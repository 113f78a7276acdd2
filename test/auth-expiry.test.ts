// Credentials run out on the server's clock (createFloatline(config, { clock }), server/clock.ts),
// not the machine's: an API token at its expires_at, a dashboard session after SESSION_HOURS, a
// sign-in left unfinished after its ten minutes, and a spent rate-limit window after its minute.
// In-process on SQLite and PostgreSQL (tokens and sessions are stored rows) with a TestClock the
// test moves past each deadline: nothing waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './helpers/clock.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';
import type { InProcessServer } from './helpers/in-process.ts';
import { freePort, startIssuer, type TestIssuer } from './helpers/oidc.ts';

const ADMIN_TOKEN = 'expiry-admin-token-0123456789abcdef';
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let issuer: TestIssuer;
/** Floatline's public address as the provider knows it (its redirect URI); requests themselves
 *  go in-process, so nothing listens there. */
let publicUrl: string;
beforeAll(async () => {
  publicUrl = `http://127.0.0.1:${await freePort()}`;
  issuer = await startIssuer([`${publicUrl}/auth/callback`]);
});
afterAll(async () => {
  await issuer?.close();
});

/** The cookies a browser keeps for one site, by name (paths do not matter for these flows). */
class Jar {
  readonly #values = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0\b/i.test(c)) this.#values.delete(name);
      else this.#values.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.#values.get(name);
  }
  header(): string {
    return [...this.#values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Starts a sign-in at Floatline: its sealed sign-in cookie and the provider's authorize URL. */
async function startSignIn(s: InProcessServer): Promise<{ floatline: Jar; authorize: string }> {
  const floatline = new Jar();
  const res = await s.fetch('/auth/login');
  expect(res.status, await res.text()).toBe(302);
  floatline.take(res);
  return { floatline, authorize: res.headers.get('location')! };
}

/** A user signs in at the provider's development login form and consents, as a browser would;
 *  the provider's redirect back is returned (the callback URL with the code). */
async function atProvider(authorize: string, login: string): Promise<URL> {
  const jar = new Jar();
  let url = authorize;
  let init: RequestInit = {};
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as object), cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    const body = await res.text();
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(publicUrl)) return next;
      url = next.href;
      init = {};
      continue;
    }
    expect(res.status, body).toBe(200);
    // The login form, then the consent form: each posts back to its interaction URL.
    const form: Record<string, string> = body.includes('name="login"')
      ? { prompt: 'login', login, password: 'any' }
      : { prompt: 'consent' };
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    };
  }
  throw new Error(`the provider did not send the browser back to ${publicUrl} within 12 steps (at ${url})`);
}

describe.each(DATABASES)('credentials expire on the server clock, on %s', (db) => {
  const clock = new TestClock('2026-03-10T08:00:00Z');
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, {
      clock,
      env: {
        ...issuer.env(publicUrl),
        FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN,
        SESSION_HOURS: '2',
        // Three sign-in or token requests a minute: enough for each sign-in and token test (the
        // clock moves on between them); the last test spends them.
        AUTH_RATE_LIMIT_PER_MINUTE: '3',
        // The cache must not hide an expiry: a cached token is judged at each use too.
        AUTH_CACHE_SECONDS: '300',
      },
    });
  });
  afterAll(() => s?.stop());

  const me = (headers: Record<string, string>) => s.fetch('/auth/me', { headers });

  it('an API token with expires_in_days works until that instant and is refused after it', async () => {
    const made = await s.fetch('/auth/tokens', {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({ name: `ci ${db}`, user: 'uma', role: 'user', expires_in_days: 1 }),
    });
    const token = (await made.json()) as { token: string; expires_at: string };
    expect(made.status).toBe(201);
    // Stamped from the server's clock, not the machine's.
    expect(token.expires_at).toBe(new Date(clock.now().getTime() + DAY).toISOString());
    const bearer = { authorization: `Bearer ${token.token}` };
    expect((await me(bearer)).status).toBe(200);

    clock.advance(DAY - 1000);
    expect((await me(bearer)).status).toBe(200);
    clock.advance(1000);
    const refused = await me(bearer);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('unknown, revoked or expired');
  });

  it('a dashboard session ends SESSION_HOURS after sign-in on the server clock', async () => {
    const { floatline, authorize } = await startSignIn(s);
    const back = await atProvider(authorize, `sam-${db}`);
    const callback = await s.fetch(back.pathname + back.search, { headers: { cookie: floatline.header() } });
    expect(callback.status, await callback.text()).toBe(302);
    floatline.take(callback);
    const session = { cookie: `floatline_session=${floatline.get('floatline_session')}` };
    expect(floatline.get('floatline_session')).toMatch(/^fls_/);
    const who = await me(session);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ user: `sam-${db}`, via: 'session' });

    clock.advance(2 * HOUR - 1000);
    expect((await me(session)).status).toBe(200);
    clock.advance(1000);
    const ended = await me(session);
    expect(ended.status).toBe(401);
    expect(await ended.text()).toContain('Your session has ended');
  });

  it('a sign-in left unfinished for more than ten minutes is refused at the callback', async () => {
    const { floatline, authorize } = await startSignIn(s);
    const back = await atProvider(authorize, `late-${db}`);
    clock.advance(10 * 60_000 + 1000);
    const callback = await s.fetch(back.pathname + back.search, { headers: { cookie: floatline.header() } });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('the sign-in expired or was started elsewhere');
    floatline.take(callback);
    expect(floatline.get('floatline_session')).toBeUndefined();
  });

  it('a spent sign-in and token rate limit opens again when the clock passes its minute', async () => {
    const create = (name: string) => s.fetch('/auth/tokens', { method: 'POST', headers: asAdmin, body: JSON.stringify({ name }) });
    clock.advance(60_000); // past the minute the sign-in before this test opened
    for (const name of ['one', 'two', 'three']) expect((await create(name)).status).toBe(201);
    clock.advance(30_000);
    const limited = await create('four');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    clock.advance(30_000);
    expect((await create('four')).status).toBe(201);
  });
});
