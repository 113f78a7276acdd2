// Signing in to the dashboard through a real identity provider (oidc-provider's login page)
// in Chromium, AUTH_MODE=required: a user borrows and returns their own seat and sees no
// Budgets page, a viewer sees no Borrow button, an admin changes a budget (and the audit
// trail names them with the old and new values), sign-out ends the session on the server,
// and a cross-site write carrying the session cookie is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { assertClientBuilt, launchChromium, screenshot, watchPageErrors } from '../helpers/browser.ts';
import { freePort, startIssuer, type TestIssuer } from '../helpers/oidc.ts';

const WAIT = { timeout: 15_000 };
const ADMIN_TOKEN = 'browser-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let server: RunningServer;
let issuer: TestIssuer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

/** Opens the dashboard, signs in at the provider's login form as `login`, lands back live. */
async function signIn(login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  watchPageErrors(page, pageErrors);
  await page.goto(`${server.url}/`);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((u) => u.href.startsWith(issuer.issuer), WAIT);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([consent.waitFor(WAIT).then(() => consent.click()), page.waitForURL((u) => u.href.startsWith(server.url), WAIT)]);
  await page.waitForURL((u) => u.href.startsWith(server.url), WAIT);
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor(WAIT);
  return page;
}

const sessionCookie = async (page: Page) =>
  (await page.context().cookies(server.url)).find((c) => c.name === 'floatline_session')?.value ?? '';

beforeAll(async () => {
  assertClientBuilt();
  const port = await freePort();
  issuer = await startIssuer([`http://127.0.0.1:${port}/auth/callback`]);
  [server, browser] = await Promise.all([
    startServer({
      port,
      env: { ...issuer.env(`http://127.0.0.1:${port}`), FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN, OIDC_TEAM_GROUP_PREFIX: 'team-' },
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await issuer?.close();
});

describe('dashboard sign-in (AUTH_MODE=required)', () => {
  it('a user signs in at the provider, borrows and returns their own seat, and sees no Budgets', async () => {
    const page = await signIn('ursula');
    expect(await page.getByTestId('who-user').innerText()).toBe('ursula');
    expect(await page.getByTestId('who-role').innerText()).toBe('user');
    expect(await page.getByRole('link', { name: 'Budgets' }).count()).toBe(0);
    expect(await page.getByTestId('open-mode-notice').count()).toBe(0);
    expect(await page.getByTestId('borrow-user').count()).toBe(0); // no free-text name

    // The session cookie is httpOnly and SameSite=Lax.
    const cookie = (await page.context().cookies(server.url)).find((c) => c.name === 'floatline_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByTestId('borrow-tool').selectOption('cad_tool');
    await page.getByRole('button', { name: 'Borrow', exact: true }).click();
    await expect.poll(() => page.getByTestId('my-borrow').count(), WAIT).toBe(1);
    expect(await page.getByTestId('my-borrows').locator('h3').innerText()).toContain('as ursula');
    const held = await fetch(`${server.url}/borrows?user=ursula`, { headers: admin });
    expect(((await held.json()) as unknown[]).length).toBe(1);
    await screenshot(page, 'auth-user-dashboard.png');

    await page
      .getByTestId('my-borrow')
      .getByRole('button', { name: /^Return/ })
      .click();
    await expect.poll(() => page.getByTestId('my-borrow').count(), WAIT).toBe(0);

    await page.goto(`${server.url}/config`);
    await expect.poll(() => page.getByTestId('admins-only').count(), WAIT).toBe(1);
    expect(await page.getByTestId('budget-form').count()).toBe(0);
    // The server refuses it anyway, with this session.
    const put = await postJson(
      `${server.url}/config/budget`,
      { tool: 'cad_tool', total: 9, commit: 4, max_overage: 1, commit_price: 1, overage_price_per_license: 1 },
      { method: 'PUT', headers: { cookie: `floatline_session=${await sessionCookie(page)}` } },
    );
    expect(put.status).toBe(403);
  });

  it('a user in a team group (OIDC_TEAM_GROUP_PREFIX) is in that team from sign-in; their borrow records it', async () => {
    const page = await signIn('pt-paula'); // groups: floatline-users, /team-powertrain
    const teams = (await (await fetch(`${server.url}/teams`, { headers: admin })).json()) as { name: string; members: string[] }[];
    expect(teams.find((t) => t.name === 'powertrain')?.members).toEqual(['pt-paula']);
    const shares = (body: unknown) =>
      fetch(`${server.url}/config/tools/cad_tool/shares`, {
        method: 'PUT',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await shares({ shares: [{ team: 'powertrain', reserved: 1, max: 2 }] })).status).toBe(200);
    await page.getByTestId('borrow-tool').selectOption('cad_tool');
    await page.getByRole('button', { name: 'Borrow', exact: true }).click();
    await expect.poll(() => page.getByTestId('my-borrow').count(), WAIT).toBe(1);
    const held = (await (await fetch(`${server.url}/borrows?user=pt-paula`, { headers: admin })).json()) as { id: string; team: string }[];
    expect(held).toMatchObject([{ team: 'powertrain' }]);
    await page
      .getByTestId('my-borrow')
      .getByRole('button', { name: /^Return/ })
      .click();
    await expect.poll(() => page.getByTestId('my-borrow').count(), WAIT).toBe(0);
    expect((await shares({ shares: [] })).status).toBe(200);
  });

  it('a user lists, creates (shown once, copy button) and revokes their API tokens on the Tokens page', async () => {
    const page = await signIn('tina');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('link', { name: 'API tokens' }).click();
    await expect.poll(() => page.getByTestId('no-tokens').count(), WAIT).toBe(1);
    expect(await page.getByTestId('token-user').count()).toBe(0); // no service accounts for users
    await page.getByLabel('Name').fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByTestId('token-secret').innerText();
    expect(secret).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('token-copy').click();
    await expect.poll(() => page.getByTestId('token-copy').innerText(), WAIT).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const me = await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await me.json()).toMatchObject({ user: 'tina', role: 'user', via: 'token' });
    await screenshot(page, 'auth-tokens-user.png');

    // Shown once: after a reload the list has it, the secret is gone.
    await page.reload();
    const row = page.locator('[data-testid="token-row"][data-name="laptop"]');
    await row.waitFor(WAIT);
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    await row.getByRole('button', { name: 'Revoke laptop' }).click();
    await expect.poll(() => row.getAttribute('data-state'), WAIT).toBe('revoked');
    expect((await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });

  it('an admin sees every token and creates one for a service account with a role', async () => {
    const page = await signIn('admin-abe');
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.locator('[data-testid="token-row"][data-name="laptop"]').waitFor(WAIT); // tina's
    await page.getByLabel('Name').fill('nightly build');
    await page.getByTestId('token-user').fill('svc-build');
    await page.getByTestId('token-role').selectOption('VIEWER');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByTestId('token-secret').innerText();
    const me = await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await me.json()).toMatchObject({ user: 'svc-build', role: 'viewer', via: 'token' });
    await expect.poll(() => page.locator('[data-testid="token-row"][data-name="nightly build"]').count(), WAIT).toBe(1);
    await screenshot(page, 'auth-tokens-admin.png');
  });

  it('a viewer sees everything and no Borrow button', async () => {
    const page = await signIn('viewer-vic');
    expect(await page.getByTestId('who-role').innerText()).toBe('viewer');
    await expect.poll(() => page.getByTestId('pool-card').count(), WAIT).toBe(3);
    expect(await page.getByRole('button', { name: 'Borrow', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('viewer-note').count()).toBe(1);
    expect(await page.getByTestId('audit-feed').count()).toBe(0);
  });

  it('an admin changes a budget; the audit trail shows who changed it from what to what', async () => {
    const page = await signIn('admin-ada');
    expect(await page.getByTestId('who-role').innerText()).toBe('admin');
    await page.getByRole('link', { name: 'Budgets' }).click();
    const form = page.locator('[data-testid="budget-form"][data-tool="analysis"]');
    await form.getByLabel('Total seats').fill('4');
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(() => form.getByTestId('saved').count(), WAIT).toBe(1);
    await screenshot(page, 'auth-admin-budgets.png');

    const trail = (await (await fetch(`${server.url}/audit?actor=admin-ada&action=budget_changed`, { headers: admin })).json()) as any;
    expect(trail.events[0]).toMatchObject({ actor: 'admin-ada', action: 'budget_changed', tool: 'analysis' });
    expect(trail.events[0].detail.before.total).toBe(2);
    expect(trail.events[0].detail.after.total).toBe(4);

    // And the admin's activity feed shows it, live.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect
      .poll(() => page.getByTestId('audit-feed').locator('li').first().innerText(), WAIT)
      .toContain('admin-ada changed the analysis budget: total 2→4');
    await postJson(`${server.url}/auth/tokens`, { name: 'ci runner', user: 'svc-ci', role: 'user' }, { headers: admin });
    await expect
      .poll(() => page.getByTestId('audit-feed').locator('li').first().innerText(), WAIT)
      .toContain('admin created the API token "ci runner" for svc-ci (user)');
    await screenshot(page, 'auth-admin-activity.png');
  });

  it('a cross-site form post carrying the session cookie is refused', async () => {
    const page = await signIn('ursula');
    const cookie = `floatline_session=${await sessionCookie(page)}`;
    // What a browser sends for a form on another site that posts here (if it sent the cookie at all).
    const res = await fetch(`${server.url}/licenses/borrow`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://attacker.example',
        'sec-fetch-site': 'cross-site',
      },
      body: '{"tool":"cad_tool"}',
    });
    expect(res.status).toBe(403);
    const same = await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool' }, { headers: { cookie } });
    expect(same.status).toBe(200); // the same cookie from the page's own origin works
    await postJson(`${server.url}/licenses/return`, { id: same.json.id }, { headers: { cookie } });
  });

  it('sign-out ends the session on the server and at the provider (RP-initiated logout)', async () => {
    const page = await signIn('walter');
    const cookie = `floatline_session=${await sessionCookie(page)}`;
    expect((await fetch(`${server.url}/auth/me`, { headers: { cookie } })).status).toBe(200);
    const visited: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) visited.push(f.url());
    });
    await page.getByTestId('sign-out').click();
    // The provider's end-session page, reached with id_token_hint and post_logout_redirect_uri.
    await page.waitForURL((u) => u.href.startsWith(`${issuer.issuer}/session/end`), WAIT);
    const endSession = new URL(visited.find((u) => u.startsWith(`${issuer.issuer}/session/end`))!);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/`);
    await page.getByRole('button', { name: /yes/i }).click();
    await page.waitForURL((u) => u.href.startsWith(server.url), WAIT);
    await expect.poll(() => page.getByTestId('sign-in-page').count(), WAIT).toBe(1);
    expect((await fetch(`${server.url}/auth/me`, { headers: { cookie } })).status).toBe(401);
    // The provider's session is gone too: signing in again shows its login form.
    await page.getByTestId('sign-in').click();
    await page.waitForURL((u) => u.href.startsWith(issuer.issuer), WAIT);
    await page.locator('input[name="login"]').waitFor(WAIT);
    expect(pageErrors).toEqual([]);
  });
});
