// Nothing secret reaches a log line: tokens in a query string, the sign-in callback's code
// and state, cookies and Authorization headers are replaced by [redacted] wherever they
// would appear, in every mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { redactUrl } from '../server/observability/redact-url.ts';

const TOKEN = 'flt_Zz9SecretTokenValue0123456789abcdef';
const CODE = 'authcode-7f3a9c-secret';
const STATE = 'statevalue-4b2e-secret';

describe.each(['open', 'required'] as const)('log redaction, AUTH_MODE=%s', (mode) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess({
      timers: false,
      env: { AUTH_MODE: mode, ...(mode === 'required' ? { FLOATLINE_ADMIN_TOKEN: 'an-admin-token-long-enough-123' } : {}) },
    });
  });
  afterAll(() => s?.stop());

  it('logs requests without the secrets they carried', async () => {
    await s.fetch(`/licenses/status?access_token=${TOKEN}`);
    await s.fetch(`/licenses/status?x=1&token=${TOKEN}`);
    await s.fetch(`/auth/callback?code=${CODE}&state=${STATE}`);
    await s.fetch(`/graphql?query=${encodeURIComponent('{ pools { tool } }')}&access_token=${TOKEN}`);
    await s.fetch(`/no-such/${TOKEN}`);
    await s.fetch('/licenses/status', { headers: { authorization: `Bearer ${TOKEN}`, cookie: `floatline_session=${CODE}` } });
    const line = await s.waitForLog((l) => l.event === 'http_request' && String(l.url).startsWith('/auth/callback'));
    expect(line.url).toBe('/auth/callback?code=[redacted]&state=[redacted]');
    await s.waitForLog((l) => l.event === 'http_request' && String(l.url).startsWith('/no-such/'));
    const all = JSON.stringify(s.logs);
    for (const secret of [TOKEN, CODE, STATE]) expect(all).not.toContain(secret);
    expect(s.logs.filter((l) => l.event === 'http_request').map((l) => l.url)).toContain('/licenses/status?access_token=[redacted]');
  });
});

describe('redactUrl', () => {
  it('keeps what is not secret', () => {
    expect(redactUrl('/statements?tool=cad_tool&period=2026-11-01')).toBe('/statements?tool=cad_tool&period=2026-11-01');
    expect(redactUrl('/x?id_token=a&client_secret=b&SessionId=c&idempotency_key=d&page=2')).toBe(
      '/x?id_token=[redacted]&client_secret=[redacted]&SessionId=[redacted]&idempotency_key=[redacted]&page=2',
    );
    expect(redactUrl(`/auth/tokens/${TOKEN}?q=${TOKEN}`)).toBe('/auth/tokens/[redacted]?q=[redacted]');
  });
});
