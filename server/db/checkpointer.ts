// WAL checkpoints off the event loop. By default SQLite checkpoints inside the commit
// that pushes the WAL past 1,000 pages: that commit copies pages back into the database
// and fsyncs twice, and under a borrow rush it blocked the event loop for milliseconds
// several times a second (bench: 2.5% of borrow+return pairs took over 1 ms, p99 5-6 ms;
// with checkpoints moved away p99 0.5 ms and ~25% less wall time per pair).
// A worker thread with its own connection runs a PASSIVE checkpoint every 200 ms
// instead; PASSIVE never waits for readers or writers, so it never holds anyone up.
// The serving connection keeps a far larger automatic checkpoint as a backstop.
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_INTERVAL_MS = 200;
/** Pages (4 KiB each) after which a serving connection still checkpoints itself. */
export const BACKSTOP_PAGES = 16_000;

const WORKER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick retries */ }
}, workerData.intervalMs);
`;

const running = new Map<string, Worker>();

export function checkpointOffThread(db: Database.Database): void {
  const path = db.name;
  if (db.memory || path === '' || path === ':memory:') return;
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  if (running.has(path)) return;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, intervalMs: CHECKPOINT_INTERVAL_MS }, execArgv: [] });
  worker.unref(); // never keeps the process alive; the OS closes its connection at exit
  worker.on('error', () => {
    // The backstop keeps the WAL bounded; fall back to checkpointing in the commit.
    running.delete(path);
    try { db.pragma('wal_autocheckpoint = 1000'); } catch { /* connection closed */ }
  });
  running.set(path, worker);
}
