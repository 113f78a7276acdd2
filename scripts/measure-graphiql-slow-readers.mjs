// Measures what GraphiQL page loads cost the server when clients never read the answer:
// bytes of one GET /graphql (Accept: text/html), then the server's RSS and a borrow's
// latency while N clients (default 100) have asked for the page and stopped reading.
//   node scripts/measure-graphiql-slow-readers.mjs [clients]
// Starts its own server (temporary SQLite file) from this checkout; prints JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const clients = Number(process.argv[2] ?? 100);
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'floatline-measure-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: join(dir, 'l.db'), LOG_LEVEL: 'info' },
});
const port = await new Promise((resolve, reject) => {
  let buf = '';
  server.stdout.on('data', (c) => {
    buf += c;
    const m = buf.match(/"event":"server_listening"[^\n]*"port":(\d+)/);
    if (m) resolve(Number(m[1]));
  });
  server.once('exit', () => reject(new Error('server exited')));
});
server.stdout.resume();
const rssMb = () => Number(readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const request = 'GET /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n';

// One full read, to count the bytes a browser receives for the page itself.
const pageBytes = await new Promise((resolve) => {
  let n = 0;
  const s = connect(port, '127.0.0.1', () => s.write(request.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')));
  s.on('data', (c) => {
    n += c.length;
  });
  s.on('close', () => resolve(n));
});

async function borrowMs() {
  const t = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/licenses/borrow`, {
    method: 'POST',
    body: JSON.stringify({ tool: 'cad_tool', user: 'measure' }),
    headers: { 'content-type': 'application/json' },
  });
  await r.text(); // 200 or 409 once the pool is full: either way the server answered
  return Math.round(performance.now() - t);
}

await sleep(500);
const rssBefore = rssMb();
const idleBorrowMs = await borrowMs();
const sockets = [];
for (let i = 0; i < clients; i++) {
  const s = connect(port, '127.0.0.1', () => {
    s.write(request);
    s.pause();
  }); // asks, never reads
  s.on('error', () => {});
  sockets.push(s);
}
await sleep(5000);
const rssWith = rssMb();
const loadedBorrowMs = await borrowMs();
for (const s of sockets) s.destroy();
server.kill('SIGTERM');
console.log(
  JSON.stringify({
    clients,
    pageBytes,
    rssBeforeMb: Math.round(rssBefore),
    rssWithSlowReadersMb: Math.round(rssWith),
    idleBorrowMs,
    borrowWithSlowReadersMs: loadedBorrowMs,
  }),
);
