// kill -9 under load: a Floatline process killed in the middle of a stream of borrows loses
// none it acknowledged. A borrow is answered only after its batch committed (group commit), so
// every borrow answered 200 before the kill is held after a restart on the same database and
// can be returned exactly once; borrows cut off before their answer may or may not have
// committed, and either is correct. On SQLite (the same file) and PostgreSQL (the same database).
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, throwawayPostgresDatabase } from '../helpers/each-database.ts';
import { postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WORKERS = 8;
const BEFORE_KILL = 200;

describe.each(DATABASES)('kill -9 under load, on %s', (db) => {
  it('keeps every borrow it acknowledged, and each returns exactly once after the restart', async () => {
    const env: Record<string, string> = {};
    if (db === 'PostgreSQL') {
      const pg = await throwawayPostgresDatabase('floatline_kill');
      cleanups.push(pg.drop);
      env.DATABASE_URL = pg.url;
    }
    const first = await startServer({ env });
    cleanups.push(() => first.stop());
    // A pool nothing is refused from: every answer is a 200 or a cut connection.
    const big = { tool: 'cad_tool', total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1, overage_price_per_license: 1 };
    const put = await fetch(`${first.url}/config/budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(big),
    });
    expect(put.status).toBe(200);

    const acknowledged: string[] = [];
    const other: string[] = [];
    let killed = false;
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        try {
          const r = await postJson(`${first.url}/licenses/borrow`, { tool: 'cad_tool', user: `w${w}-${i}` });
          if (r.status === 200) acknowledged.push(r.json.id as string);
          else other.push(`${r.status} ${r.text}`);
        } catch {
          return; // the connection was cut by the kill
        }
      }
    });
    await waitFor(() => acknowledged.length >= BEFORE_KILL, 60_000, `${BEFORE_KILL} acknowledged borrows`);
    const exited = new Promise((r) => first.process.once('exit', r));
    first.process.kill('SIGKILL');
    killed = true;
    await exited;
    await Promise.all(workers);
    expect(other).toEqual([]);

    const second: RunningServer = await startServer({ env, dbPath: first.dbPath });
    cleanups.push(() => second.stop());
    const before = ((await (await fetch(`${second.url}/licenses/cad_tool/status`)).json()) as { borrowed: number }).borrowed;
    expect(before).toBeGreaterThanOrEqual(acknowledged.length);
    // Every acknowledged borrow is there: its return succeeds, once.
    const returns = await Promise.all(acknowledged.map((id) => postJson(`${second.url}/licenses/return`, { id })));
    expect(returns.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const again = await postJson(`${second.url}/licenses/return`, { id: acknowledged[0] });
    expect(again.status).toBe(404);
    const after = ((await (await fetch(`${second.url}/licenses/cad_tool/status`)).json()) as { borrowed: number }).borrowed;
    expect(after).toBe(before - acknowledged.length);
  });
});
