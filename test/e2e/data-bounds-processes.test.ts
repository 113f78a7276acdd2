// Data bounds that only a real process or a real wait shows: the SQLite WAL file comes back
// under its limit after a burst while a reader held an old snapshot (the checkpointer's worker
// thread, on its own schedule), and a bad EVENT_RETENTION_DAYS stops the start-up (exit 2).
// The rest of the data bounds run in-process (test/data-bounds.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_ARGS, postJson } from '../helpers/server.ts';
import { startInProcess, type InProcessServer } from '../helpers/in-process.ts';
import { waitFor } from '../helpers/wait.ts';

describe('start-up', () => {
  it('refuses a bad EVENT_RETENTION_DAYS at start-up, naming it (exit 2)', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'floatline-')), 'licenses.db');
    const child = spawn(process.execPath, SERVER_ARGS, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: dbPath, EVENT_RETENTION_DAYS: 'two weeks' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((res) => child.once('exit', res));
    // A server that starts anyway is a failure; it must not outlive the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(2);
    expect(stderr).toContain('EVENT_RETENTION_DAYS must be a whole number from 0 to 36500');
  });
});

// ---------------------------------------------------------------------------------------
// The WAL file: a burst while a reader holds an old snapshot (nothing can be checkpointed,
// so the WAL only grows, as it did to ~70 MB in the issue), then the reader lets go.

/** The bound the README documents (journal_size_limit, 64 MiB). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

describe('SQLite WAL on disk', () => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startInProcess();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('comes back under the limit within seconds after a burst', async () => {
    const walSize = () => statSync(`${s.dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const reader = new Database(s.dbPath, { readonly: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM license_events').get(); // holds its snapshot from here on
    let pairs = 0;
    try {
      const worker = async (n: number) => {
        while (walSize() <= WAL_SIZE_LIMIT_BYTES && pairs < 6000) {
          pairs++;
          const b = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: `burst${n}` });
          expect(b.status).toBe(200);
          expect((await postJson(`${s.url}/licenses/return`, { id: b.json.id })).status).toBe(200);
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
    } finally {
      reader.prepare('COMMIT').run();
      reader.close();
    }
    const peak = walSize();
    expect(peak, `WAL after ${pairs} borrow+return pairs`).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
    const after = await waitFor(
      async () => {
        const n = walSize();
        return n <= WAL_SIZE_LIMIT_BYTES ? { n } : undefined;
      },
      15_000,
      `the WAL back under ${WAL_SIZE_LIMIT_BYTES} bytes (${peak} at the peak)`,
    ).then((v) => v.n);
    // And it stays bounded when writing goes on.
    const b = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user: 'after' });
    await postJson(`${s.url}/licenses/return`, { id: b.json.id });
    expect(walSize()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    console.log(`WAL: ${pairs} pairs, peak ${(peak / 2 ** 20).toFixed(1)} MiB, after ${(after / 2 ** 20).toFixed(1)} MiB`);
  });
});
