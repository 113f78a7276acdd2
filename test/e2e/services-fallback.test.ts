// What a fresh machine runs: no PostgreSQL and no Redis answer where the tests look, so the
// helpers start throwaway ones from the installed binaries. The probes are pointed at closed
// ports (as TEST_POSTGRES_PROBE_URL / TEST_REDIS_PROBE_URL would); each throwaway instance must
// start, carry a real Floatline (migrations and a borrow on PostgreSQL, a live update through
// Redis), and be gone after stop().
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { postJson, startServer } from '../helpers/server.ts';
import { subscribeSse } from '../helpers/live.ts';
import { postgresAnswers, resolvePostgres } from '../helpers/postgres.ts';
import { redisAnswers, resolveRedis } from '../helpers/redis.ts';
import { freePort } from '../helpers/throwaway.ts';

describe('throwaway services when none answers', () => {
  it('starts a PostgreSQL cluster that Floatline migrates and uses, and removes it', async () => {
    const closed = await freePort();
    const service = await resolvePostgres({ probeUrl: `postgresql://root@127.0.0.1:${closed}/postgres` });
    try {
      expect(service.source).toBe('throwaway');
      expect(new URL(service.url).port).not.toBe(String(closed));
      expect(await postgresAnswers(service.url)).toBe(true);
      const dbName = `floatline_fallback_${randomUUID().slice(0, 8)}`;
      const admin = new pg.Client({ connectionString: service.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      const server = await startServer({ env: { DATABASE_URL: service.url.replace(/\/[^/]*$/, `/${dbName}`) } });
      try {
        expect(server.logs.find((l) => l.event === 'database_ready')).toMatchObject({ database: 'postgresql' });
        expect(await postJson(`${server.url}/licenses/borrow`, { tool: 'cad_tool', user: 'fresh-machine' })).toMatchObject({
          status: 200,
          json: { tool: 'cad_tool' },
        });
      } finally {
        await server.stop();
      }
    } finally {
      await service.stop();
    }
    expect(await postgresAnswers(service.url)).toBe(false);
  });

  it('starts a redis-server that carries live updates between two processes, and stops it', async () => {
    const closed = await freePort();
    const service = await resolveRedis({ probeUrl: `redis://127.0.0.1:${closed}` });
    try {
      expect(service.source).toBe('throwaway');
      expect(await redisAnswers(service.url)).toBe(true);
      const a = await startServer({ env: { REDIS_URL: service.url } });
      const b = await startServer({ env: { REDIS_URL: service.url }, dbPath: a.dbPath });
      try {
        const sub = subscribeSse(a.url, 'subscription { poolChanged(tool: "simulation") { tool borrowed } }');
        await sub.ready;
        // The other process's Redis subscription may still be settling: change until one arrives.
        let delivered: unknown;
        for (const deadline = Date.now() + 15_000; !delivered && Date.now() < deadline; ) {
          const borrow = await postJson(`${b.url}/licenses/borrow`, { tool: 'simulation', user: 'fresh-machine' });
          expect(borrow.status).toBe(200);
          await postJson(`${b.url}/licenses/return`, { id: borrow.json.id });
          delivered = await sub.next((p) => p.tool === 'simulation', 1000).catch(() => undefined);
        }
        expect(delivered).toMatchObject({ tool: 'simulation' });
        sub.close();
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    } finally {
      await service.stop();
    }
    expect(await redisAnswers(service.url)).toBe(false);
  });

  it("uses the machine's own when it answers, and what the environment names first", async () => {
    expect((await resolveRedis({ url: 'redis://example.invalid:1' })).source).toBe('environment');
    const local = await resolvePostgres({});
    expect(local.source === 'default' || local.source === 'throwaway').toBe(true);
    await local.stop();
  });
});
