// Running Floatline: health, request ids in logs and responses, graceful shutdown,
// and clear start-up errors for bad configuration.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postJson, startServer, ROOT, SERVER_ARGS } from '../helpers/server.ts';
import { subscribeSse } from '../helpers/live.ts';

describe('operations', () => {
  it('answers health and readiness, and carries request ids end to end', async () => {
    const s = await startServer();
    try {
      expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${s.url}/readyz`)).json()).toEqual({ status: 'ready', checks: { database: 'ok' } });

      const mine = await fetch(`${s.url}/licenses/borrow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' },
        body: JSON.stringify({ tool: 'cad_tool', user: 'rid' }),
      });
      expect(mine.headers.get('x-request-id')).toBe('trace-42');
      const domainLine = await s.waitForLog((l) => l.event === 'borrow_license' && l.user === 'rid');
      expect(domainLine).toMatchObject({ request_id: 'trace-42', level: 'info', tool: 'cad_tool', service: 'floatline' });

      const generated = await fetch(`${s.url}/licenses/status`, { headers: { 'x-request-id': 'bad id <with> spaces' } });
      const id = generated.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await s.waitForLog((l) => l.request_id === id && l.event === 'http_request');
      for (const l of s.logs.filter((x) => x.event === 'http_request')) expect(l.request_id).toBeTruthy();
    } finally {
      await s.stop();
    }
  });

  it('shuts down gracefully on SIGTERM: subscriptions end, in-flight work finishes, exit 0', async () => {
    const s = await startServer();
    const sub = subscribeSse(s.url, 'subscription { poolChanged { tool borrowed } }');
    await sub.ready;
    await postJson(`${s.url}/licenses/borrow`, { tool: 'analysis', user: 'last' });
    await sub.next();
    const code = await s.stop('SIGTERM');
    expect(code).toBe(0);
    expect(s.logs.map((l) => l.event)).toEqual(expect.arrayContaining(['shutdown_started', 'shutdown_complete']));
    sub.close();
    // The borrow made before shutdown is on disk.
    const again = await startServer({ dbPath: s.dbPath });
    try {
      expect(await (await fetch(`${again.url}/licenses/analysis/status`)).json()).toMatchObject({ borrowed: 1 });
    } finally {
      await again.stop();
    }
  });

  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, SERVER_ARGS, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses to start with a clear message for an unusable database path', () => {
    const r = start({ LICENSE_DB_PATH: '/no/such/folder/licenses.db' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LICENSE_DB_PATH: folder /no/such/folder does not exist');
    if (process.getuid?.() !== 0) {
      const dir = mkdtempSync(join(tmpdir(), 'ro-'));
      chmodSync(dir, 0o500);
      expect(start({ LICENSE_DB_PATH: join(dir, 'x.db') }).stderr).toContain('is not writable');
    }
  });

  it('refuses to start with a clear message for bad settings', () => {
    expect(start({ PORT: 'eighty' }).stderr).toContain('PORT must be a whole number');
    expect(start({ LICENSE_DB_SEED: 'maybe' }).stderr).toContain('LICENSE_DB_SEED must be true or false');
  });

  it('starts empty when seeding is off', async () => {
    const s = await startServer({ env: { LICENSE_DB_SEED: 'false' } });
    try {
      expect(await (await fetch(`${s.url}/licenses/status`)).json()).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});
