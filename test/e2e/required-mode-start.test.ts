// A real server process started with AUTH_MODE=required and no way in stops at once with the
// configuration's exit code (2) and one message naming the variables to set.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.ts';

describe('AUTH_MODE=required with no identity provider and no admin token', () => {
  it('refuses to start (exit 2), naming OIDC_ISSUER, OIDC_CLIENT_ID and FLOATLINE_ADMIN_TOKEN', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OIDC_') && k !== 'FLOATLINE_ADMIN_TOKEN'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', AUTH_MODE: 'required', LICENSE_DB_PATH: ':memory:' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^floatline: AUTH_MODE=required needs a way in/m);
    for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'FLOATLINE_ADMIN_TOKEN']) expect(r.stderr).toContain(name);
    expect(r.stdout).not.toContain('server_listening');
  });
});
