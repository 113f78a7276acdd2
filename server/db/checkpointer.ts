// WAL checkpoints off the event loop. By default SQLite checkpoints inside the commit
// that pushes the WAL past 1,000 pages: that commit copies pages back into the database
// and fsyncs twice, and under a borrow rush it blocked the event loop for milliseconds
// several times a second (bench: 2.5% of borrow+return pairs took over 1 ms, p99 5-6 ms;
// with checkpoints moved away p99 0.5 ms and ~25% less wall time per pair).
// A worker thread with its own connection runs a PASSIVE checkpoint every 200 ms
// instead; PASSIVE never waits for readers or writers, so it never holds anyone up.
// The serving connection keeps a far larger automatic checkpoint as a backstop.
//
// The WAL file is also kept small on disk. SQLite never shrinks it by itself: after a burst
// (or while a long reader held an old snapshot) it stayed at ~70 MB. Two bounds now:
// - journal_size_limit (WAL_SIZE_LIMIT_BYTES) on every connection that writes: when a
//   writer restarts the WAL from its beginning, the file is cut back to the limit. 64 MiB is
//   above what a borrow rush writes between two 200 ms checkpoints (a borrow+return pair
//   appends ~86 KB, test/data-bounds.test.ts; 1,600 pairs/s, the benchmark's best, write
//   ~28 MB in 200 ms), so the rush never pays for regrowing the file, and it matches the
//   backstop checkpoint below (16,000 pages);
// - when the WAL has been fully copied back and no frame was added for IDLE_TICKS ticks
//   (1 s), the worker runs one TRUNCATE checkpoint, which empties the file, if it is larger
//   than IDLE_TRUNCATE_BYTES. Its connection has no busy timeout: if anyone holds a lock at
//   that moment it gives up at once and tries on a later quiet tick, so it never makes a
//   borrow wait.
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_INTERVAL_MS = 200;
/** Pages (4 KiB each) after which a serving connection still checkpoints itself. */
export const BACKSTOP_PAGES = 16_000;
/** journal_size_limit for connections that write (bytes). */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const IDLE_TICKS = 5;
const IDLE_TRUNCATE_BYTES = 4 * 1024 * 1024;

/** Sets the WAL size limit on a connection that writes (see above). */
export function limitWalSize(db: Database.Database): void {
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

const WORKER = `
const { workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 0 });
db.pragma('journal_size_limit = ' + workerData.limitBytes);
let lastFrames = -1;
let quietTicks = 0;
setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    quietTicks = r.log === lastFrames ? quietTicks + 1 : 0;
    lastFrames = r.log;
    if (quietTicks >= workerData.idleTicks && r.log > 0 && r.checkpointed === r.log) {
      const wal = statSync(workerData.path + '-wal', { throwIfNoEntry: false });
      if (wal && wal.size > workerData.idleTruncateBytes) db.pragma('wal_checkpoint(TRUNCATE)');
    }
  } catch { /* busy or closing: the next tick retries */ }
}, workerData.intervalMs);
`;

const running = new Map<string, Worker>();

export function checkpointOffThread(db: Database.Database): void {
  const path = db.name;
  if (db.memory || path === '' || path === ':memory:') return;
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  limitWalSize(db);
  if (running.has(path)) return;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      path,
      driver,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      limitBytes: WAL_SIZE_LIMIT_BYTES,
      idleTicks: IDLE_TICKS,
      idleTruncateBytes: IDLE_TRUNCATE_BYTES,
    },
    execArgv: [],
  });
  worker.unref(); // never keeps the process alive; the OS closes its connection at exit
  worker.on('error', () => {
    // The backstop keeps the WAL bounded; fall back to checkpointing in the commit.
    running.delete(path);
    try {
      db.pragma('wal_autocheckpoint = 1000');
    } catch {
      /* connection closed */
    }
  });
  running.set(path, worker);
}

/** Stops the checkpoint worker of a database file, so closing the database releases it
 *  (a process that builds several Floatlines, as the in-process tests do, would otherwise
 *  keep one worker and one open connection per closed database). */
export async function stopCheckpointing(path: string): Promise<void> {
  const worker = running.get(path);
  if (!worker) return;
  running.delete(path);
  await worker.terminate();
}
