// What tracing costs a REST borrow+return cycle: two fresh Floatlines on their own SQLite
// files, identical but for OTEL_EXPORTER_OTLP_ENDPOINT (every request sampled, spans
// exported over OTLP/HTTP to a receiver in this process that reads and acknowledges each
// export), measured interleaved — off, on, off, on … per connection count — so both see the
// same machine; each row is the median of its rounds, as one round on a shared, busy machine
// can be off by a third either way. The receiver counts the exports it got, so a row
// without any shows it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runChild, startListening, stopChild } from './lib.ts';
import type { LoadArgs, LoadResult } from './load.ts';
import type { SpansArgs, SpansResult } from './tracing-spans.ts';

export interface TracingCostRow {
  connections: number;
  /** The median round of each (by cycles/s), and every round. */
  off: LoadResult;
  on: LoadResult;
  rounds: { off: LoadResult; on: LoadResult }[];
}

export interface TracingCost {
  rows: TracingCostRow[];
  /** Tracing's own CPU per request, measured alone (tracing-spans.ts), per protocol. */
  spans: SpansResult[];
  /** Export requests and bytes the receiver took (all spans of the "on" rows). */
  exports: number;
  exportedBytes: number;
}

export interface TracingCostArgs {
  dir: string;
  concurrency: number[];
  rowSeconds: number;
  warmupSeconds: number;
  maxRequests: number;
  /** Off/on pairs per connection count. */
  rounds: number;
  /** Requests' worth of spans for the CPU-per-request measurement. */
  spanRequests: number;
  tool: string;
  /** PUT /config/budget body: a pool no cycle is ever denied from. */
  pool: unknown;
  log: (s: string) => void;
}

export async function measureTracingCost(a: TracingCostArgs): Promise<TracingCost> {
  let exports = 0;
  let exportedBytes = 0;
  const receiver = createServer((req, res) => {
    req.on('data', (c: Buffer) => {
      exportedBytes += c.length;
    });
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const start = (name: string, extra: Record<string, string>) =>
    startListening(
      ['server/main.ts'],
      {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LICENSE_DB_PATH: join(a.dir, `${name}.db`),
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        REDIS_URL: '',
        DATABASE_URL: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
        ...extra,
      },
      join(a.dir, `${name}.log`),
    );
  const off = await start('tracing-off', {});
  const on = await start('tracing-on', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_on' });
  const servers = [off, on];
  try {
    for (const s of servers) {
      const res = await fetch(`http://127.0.0.1:${s.port}/config/budget`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(a.pool),
      });
      if (res.status !== 200) throw new Error(`PUT /config/budget: ${res.status} ${await res.text()}`);
    }
    const measure = (s: typeof off, connections: number) =>
      runChild<LoadResult>(
        'load.ts',
        {
          url: `http://127.0.0.1:${s.port}`,
          scenario: 'rest-cycle',
          connections,
          seconds: a.rowSeconds,
          warmupSeconds: a.warmupSeconds,
          maxRequests: a.maxRequests,
          serverPid: s.child.pid,
          tool: a.tool,
        } satisfies LoadArgs,
        (a.rowSeconds + a.warmupSeconds) * 1000 + 60_000,
      );
    const rows: TracingCostRow[] = [];
    for (const connections of a.concurrency) {
      a.log(`REST borrow+return, tracing off and on (100 % sampled), ${connections} connections, ${a.rounds} round(s)`);
      const rounds: TracingCostRow['rounds'] = [];
      for (let i = 0; i < a.rounds; i++) rounds.push({ off: await measure(off, connections), on: await measure(on, connections) });
      rows.push({ connections, off: median(rounds.map((r) => r.off)), on: median(rounds.map((r) => r.on)), rounds });
    }
    const spans: SpansResult[] = [];
    for (const protocol of ['http/protobuf', 'http/json'] as const)
      spans.push(await runChild<SpansResult>('tracing-spans.ts', { requests: a.spanRequests, protocol } satisfies SpansArgs, 120_000));
    return { rows, spans, exports, exportedBytes };
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child))); // SIGTERM: the traced one flushes its last spans
    receiver.close();
  }
}

/** The round with the median throughput (the lower middle one of an even count). */
function median(results: LoadResult[]): LoadResult {
  return [...results].sort((x, y) => x.cyclesPerSecond - y.cyclesPerSecond)[Math.floor((results.length - 1) / 2)]!;
}
