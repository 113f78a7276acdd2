// How much one distinct GraphQL document costs the server, and whether memory stays
// bounded after thousands of them (~14 ms CPU each, heap to 0.9 GB after 8,000).
// Starts Floatline from a source tree (this one, or --root DIR to measure another
// checkout), sends N distinct documents (each sent `--repeat` times), and prints the
// server's CPU time per document, its RSS (from /proc), and its live heap after each full
// garbage collection (V8's --trace-gc Mark-Compact lines): RSS alone mostly shows how lazily
// V8 collects, the heap after a full collection shows what the server really retains.
//
//   node --import tsx bench/distinct-documents.ts [--n 4000] [--repeat 1] [--big] [--heap-mb M] [--root DIR]
//
// --big sends ~2 KB documents (15 aliased `pool` reads of every field) instead of ~300 B ones.
// --heap-mb caps the server's V8 old space: with a default heap V8 collects lazily and RSS
// says little; under a cap, a server that retains more than its caches allow dies of OOM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('n', '4000'));
const REPEAT = Number(arg('repeat', '1'));
const ROOT = arg('root', new URL('../', import.meta.url).pathname);
const BIG = process.argv.includes('--big');
const HEAP_MB = arg('heap-mb', '');

/** Live heap in MB after each full collection. */
const fullGcHeap: number[] = [];
const dbPath = join(mkdtempSync(join(tmpdir(), 'floatline-docs-')), 'licenses.db');
const child = spawn(
  process.execPath,
  ['--trace-gc', ...(HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : []), '--import', 'tsx', 'server/main.ts'],
  {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: dbPath, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const port = await new Promise<number>((resolve, reject) => {
  let buf = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const gc = /Mark-Compact[^>]*-> ([\d.]+)/.exec(line);
      if (gc) fullGcHeap.push(Number(gc[1]));
      const port = /"port":(\d+)/.exec(line);
      if (port) resolve(Number(port[1]));
    }
  });
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  setTimeout(() => reject(new Error('no port in 30 s')), 30_000).unref();
});

const CLK_TCK = 100;
const cpuMs = () => {
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // utime + stime
};
const rssMb = () => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
};

const url = `http://127.0.0.1:${port}/graphql`;
const post = async (query: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
};
// A dashboard-like read, made distinct by its aliases: valid on the old schema and the new.
const POOL =
  'tool total borrowed available commit maxOverage overage inCommit commitPrice overagePricePerLicense currentOverageCost totalCost';
const big = (i: number) =>
  `query B${i} { ${Array.from({ length: 15 }, (_, k) => `p${i}_${k}: pool(tool: "cad_tool") { ${POOL} }`).join(' ')} }`;
const doc = (i: number) =>
  BIG
    ? big(i)
    : `query D${i} { p${i}: pools { tool total borrowed available commit maxOverage overage inCommit commitPrice overagePricePerLicense currentOverageCost totalCost } c${i}: costSummary { commit overage total } v${i}: version }`;

for (let i = 0; i < 50; i++) await post('{ pools { tool } version }'); // warm-up
const cpu0 = cpuMs();
const rss0 = rssMb();
let peak = rss0;
let died: string | null = null;
child.once('exit', (code, signal) => {
  died = `server exited (${code ?? signal})`;
});
for (let i = 0; i < N && !died; i++) {
  for (let r = 0; r < REPEAT; r++) {
    try {
      await post(doc(i));
    } catch (err) {
      died = `after ${i} documents: ${(err as Error).message.slice(0, 120)}`;
      break;
    }
  }
  if (i % 100 === 0) peak = Math.max(peak, rssMb());
}
if (died) {
  console.log(`documents=${N} heap cap ${HEAP_MB || 'none'} root=${ROOT}: FAILED ${died}`);
  process.exit(1);
}
const cpu1 = cpuMs();
peak = Math.max(peak, rssMb());
console.log(
  `documents=${N}${BIG ? ' (big)' : ''} of ${doc(0).length} chars, repeat=${REPEAT}, heap cap ${HEAP_MB || 'none'}, root=${ROOT}`,
);
console.log(`server CPU per distinct document: ${((cpu1 - cpu0) / N).toFixed(2)} ms`);
console.log(`server RSS: start ${rss0.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, end ${rssMb().toFixed(0)} MB`);
const late = fullGcHeap.slice(Math.floor(fullGcHeap.length / 2));
console.log(
  `server heap after full GC: ${fullGcHeap.length} collections, max ${Math.max(...fullGcHeap).toFixed(0)} MB, last ${fullGcHeap.at(-1)?.toFixed(0)} MB, mean of the later half ${(late.reduce((a, b) => a + b, 0) / late.length).toFixed(0)} MB`,
);
child.kill('SIGTERM');
