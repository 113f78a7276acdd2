// Identity on PostgreSQL (DATABASE_URL), AUTH_MODE=required, two server processes: a token
// created on one works on the other, is stored only as a hash, is refused everywhere after a
// revocation (at once where revoked, within AUTH_CACHE_SECONDS elsewhere), and the audit trail
// written by one process is read by the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { onPostgres, postgresAdminUrl } from '../helpers/postgres.ts';

const ADMIN_URL = postgresAdminUrl();
const dbName = `floatline_auth_${randomUUID().slice(0, 8)}`;
const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
const ADMIN_TOKEN = 'pg-admin-token-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const env = { DATABASE_URL: dbUrl, AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN, AUTH_CACHE_SECONDS: '1' };

let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  a = await startServer({ env });
  b = await startServer({ env });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

describe('identity on PostgreSQL', () => {
  it('tokens work across processes, are stored hashed, and revocation reaches the other process', async () => {
    const created = await postJson(
      `${a.url}/auth/tokens`,
      { name: 'pg', user: 'pat', role: 'user', expires_in_days: 7 },
      { headers: admin },
    );
    expect(created.status, created.text).toBe(201);
    const token = created.json.token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect(await (await fetch(`${b.url}/auth/me`, { headers: bearer })).json()).toEqual({
      user: 'pat',
      role: 'user',
      via: 'token',
      mode: 'required',
    });

    const borrow = await postJson(`${b.url}/licenses/borrow`, { tool: 'cad_tool' }, { headers: bearer });
    expect(borrow.json.user).toBe('pat');
    expect((await postJson(`${a.url}/licenses/return`, { id: borrow.json.id }, { headers: bearer })).status).toBe(200);

    const stored = await onPostgres(
      dbUrl,
      async (c) => (await c.query('SELECT token_hash, expires_at FROM credentials WHERE "user" = $1', ['pat'])).rows,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].expires_at).not.toBeNull();

    expect((await fetch(`${a.url}/auth/tokens/${created.json.id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    expect((await fetch(`${a.url}/auth/me`, { headers: bearer })).status).toBe(401);
    await expect.poll(async () => (await fetch(`${b.url}/auth/me`, { headers: bearer })).status, { timeout: 5000, interval: 50 }).toBe(401);
  });

  it('the audit trail one process writes, the other reads: who changed a budget from what to what', async () => {
    const put = await postJson(
      `${a.url}/config/budget`,
      { tool: 'analysis', total: 6, commit: 2, max_overage: 1, commit_price: 1000, overage_price_per_license: 100 },
      { method: 'PUT', headers: admin },
    );
    expect(put.status, put.text).toBe(200);
    const trail = (await (await fetch(`${b.url}/audit?tool=analysis&action=budget_changed`, { headers: admin })).json()) as any;
    expect(trail.events[0]).toMatchObject({ actor: 'admin', tool: 'analysis' });
    expect(trail.events[0].detail.before).toMatchObject({ total: 2, commit: 1 });
    expect(trail.events[0].detail.after).toMatchObject({ total: 6, commit: 2 });
  });
});
