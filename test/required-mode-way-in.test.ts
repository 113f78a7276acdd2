// AUTH_MODE=required must leave someone a way in: without an identity provider (OIDC_*) and
// without FLOATLINE_ADMIN_TOKEN the configuration is refused, naming the variables. When
// sign-in cannot go on, a browser is shown a page in words (an API client still gets JSON).
import { describe, expect, it } from 'vitest';
import { readConfig } from '../server/config.ts';
import { startInProcess } from './helpers/in-process.ts';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ADMIN_TOKEN = 'way-in-admin-token-0123456789abcdef';

describe('AUTH_MODE=required without a way in', () => {
  it('is refused, naming OIDC_ISSUER, OIDC_CLIENT_ID and FLOATLINE_ADMIN_TOKEN', () => {
    expect(() => readConfig({ AUTH_MODE: 'required' })).toThrow(
      /AUTH_MODE=required needs a way in: set OIDC_ISSUER and OIDC_CLIENT_ID .* or FLOATLINE_ADMIN_TOKEN/,
    );
  });

  it('starts with either way in (or both), and open mode needs neither', () => {
    expect(readConfig({ AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN }).auth.mode).toBe('required');
    expect(readConfig({ AUTH_MODE: 'required', OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'f' }).auth.mode).toBe('required');
    expect(readConfig({}).auth.mode).toBe('open');
  });
});

describe('sign-in that cannot go on', () => {
  it('without an identity provider: a page for browsers, JSON for API clients (404 both)', async () => {
    const s = await startInProcess({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
    try {
      const page = await s.fetch('/auth/login', { headers: { accept: BROWSER } });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toMatch(/<h1>Sign-in is not set up<\/h1>/);
      expect(html).toContain('OIDC_ISSUER and OIDC_CLIENT_ID');
      expect(html).toContain('<a href="/">Back to the Floatline dashboard</a>');
      expect(html).not.toContain('{"detail"');

      const api = await s.fetch('/auth/login', { headers: { accept: 'application/json' } });
      expect(api.status).toBe(404);
      expect(((await api.json()) as { detail: string }).detail).toMatch(/Sign-in is not configured/);
    } finally {
      await s.stop();
    }
  });

  it('with an identity provider that does not answer: a page saying so (503, Retry-After)', async () => {
    const s = await startInProcess({
      env: {
        AUTH_MODE: 'required',
        OIDC_ISSUER: 'http://127.0.0.1:9/realms/none',
        OIDC_CLIENT_ID: 'floatline',
        OIDC_ALLOW_HTTP: 'true',
        SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
      },
    });
    try {
      const page = await s.fetch('/auth/login', { headers: { accept: BROWSER } });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<h1>The identity provider does not answer</h1>');
      expect(html).toContain('http://127.0.0.1:9/realms/none');
    } finally {
      await s.stop();
    }
  });
});
