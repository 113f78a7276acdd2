// Keeps the benchmark from rotting (in the end-to-end tier: it starts real server processes
// and takes about a minute): runs `bench/run.ts --smoke` (0.3 s rows, one
// connection count, a few subscribers, no warm-up, a few hand-offs, 200 leases: about a
// minute, not minutes) and checks every row is there with numbers and zero errors. The full
// run is `npm run bench`. No speed assertions: this machine's load is not the benchmark's
// business here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { postgresAdminUrl } from '../helpers/postgres.ts';
import type { HandoffResult } from '../../bench/handoff.ts';
import type { SweepResult } from '../../bench/sweep.ts';
import type { TxResult } from '../../bench/tx.ts';
import type { TracingCost } from '../../bench/tracing-cost.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The Markdown tables of the output, each as its header cells and its rows' cells. */
function tables(stdout: string): { header: string[]; rows: string[][] }[] {
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  return stdout
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l.startsWith('| ')))
    .filter((lines) => lines.length > 0)
    .map(([head, ...body]) => ({ header: cells(head!), rows: body.map(cells) }));
}

it('prints every benchmark row with numbers and no errors (smoke mode)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'floatline-bench-test-'));
  const json = join(dir, 'bench.json');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--json', json], {
    cwd: ROOT,
    // The PostgreSQL row runs on this test run's server (CI's service, the machine's, or a throwaway one).
    env: { ...process.env, BENCH_POSTGRES_URL: postgresAdminUrl() },
    timeout: 600_000, // the tracing rows start two more servers, the scale-out rows six
    maxBuffer: 10 * 1024 * 1024,
  });
  const printed = tables(stdout);
  const table = printed.flatMap((t) => t.rows.map((r) => `| ${r.join(' | ')} |`));
  const rowsOf = (name: string) => table.filter((l) => l.includes(name));
  // REST borrow+return and pool status: the open-mode row and its AUTH_MODE=required comparison.
  for (const name of ['REST borrow+return', 'REST pool status']) expect(rowsOf(name), name).toHaveLength(2);
  expect(printed.filter((t) => t.header.some((h) => h.includes('AUTH_MODE=required')))).toHaveLength(1); // the comparison table
  for (const name of ['GraphQL borrow+return mutations', 'GraphQL pool status', 'REST heartbeat', 'bare Node http']) {
    expect(rowsOf(name), name).toHaveLength(1); // one connection count in smoke mode
  }
  expect(rowsOf('| SSE (GraphQL over HTTP) |')).toHaveLength(1); // one subscriber count
  expect(rowsOf('| WebSocket (graphql-ws) |')).toHaveLength(1);
  expect(rowsOf('LicenseStore: SQLite on better-sqlite3')).toHaveLength(1);
  expect(rowsOf('LicenseStore: PostgreSQL')).toHaveLength(1);
  expect(rowsOf('SSE (GraphQL over HTTP), 1-seat pool')).toHaveLength(1);
  expect(rowsOf('WebSocket (graphql-ws), 1-seat pool')).toHaveLength(1);
  expect(rowsOf('SQLite: 200 live leases, nothing due')).toHaveLength(1);
  expect(rowsOf('SQLite: 200 live leases, 10 due')).toHaveLength(1);
  expect(rowsOf('| PostgreSQL')).toHaveLength(2 + 6 + 1 + 4); // the sweep's two rows, the reports' six, pgbench's ceiling, hostile readers' four
  expect(rowsOf('live leases, nothing due')).toHaveLength(2);
  // Every cell a number or a name, and zero in every Errors column.
  expect(rowsOf('SQLite: usage report, group_by=')).toHaveLength(4);
  expect(rowsOf('roll-up of the month')).toHaveLength(2);
  expect(rowsOf('statement of the month')).toHaveLength(2); // SQLite and PostgreSQL
  expect(rowsOf('OTEL_EXPORTER_OTLP_ENDPOINT set vs unset')).toHaveLength(1); // tracing on vs off, one connection count
  // Hostile readers: /healthz and borrow, without and with the readers, on SQLite and PostgreSQL.
  for (const store of ['SQLite', 'PostgreSQL']) {
    expect(rowsOf(`| 11 | no readers | ${store} |`), store).toHaveLength(2);
    expect(rowsOf(`| 11 | 4 hostile readers | ${store} |`), store).toHaveLength(2);
  }
  // Scale-out: 2 and 3 processes on PostgreSQL + Redis (one pool, 20 pools), SQLite beside them.
  expect(rowsOf('processes, PostgreSQL + Redis')).toHaveLength(4);
  expect(rowsOf('1 process, SQLite')).toHaveLength(3);
  // Observed polling: the server polled its sources, and the row projects the 30 s cost.
  expect(rowsOf('| 13 | 300-line lmstat -a')).toHaveLength(1);
  expect(printed.length).toBe(11); // HTTP rows, AUTH_MODE=required, tracing, fan-out, stores, hand-off, sweep, reports, hostile readers, observed polling, scale-out
  for (const t of printed) {
    const errorsAt = t.header.indexOf('Errors');
    for (const row of t.rows) {
      expect(row, `${row.join(' | ')}`).toHaveLength(t.header.length);
      expect(
        row.some((c) => c === 'n/a' || c === 'NaN' || c === ''),
        row.join(' | '),
      ).toBe(false);
      if (errorsAt >= 0) expect(row[errorsAt], `errors in: ${row.join(' | ')}`).toBe('0');
    }
  }

  const text = readFileSync(json, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const raw = JSON.parse(text) as {
    rows: {
      result: { requests: number; requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; cycles: number };
      unit: string;
    }[];
    fanouts: { delivered: number; expected: number; p99Ms: number; bytesPerSubscriber: number; errors: number }[];
    handoffs: HandoffResult[];
    sweep: SweepResult;
    tx: TxResult;
    tracing: TracingCost;
    leaked: number;
    observedPoll: { polls: number; errors: number };
  };
  expect(raw.rows).toHaveLength(8);
  for (const r of raw.rows) {
    expect(r.result.errors).toBe(0);
    expect(r.result.requests).toBeGreaterThan(0);
    expect(Number.isFinite(r.result.p99Ms) && r.result.p99Ms >= r.result.p50Ms).toBe(true);
    if (r.unit === 'cycles') expect(r.result.cycles).toBeGreaterThan(0);
  }
  // Row 10: both servers ran the cycles, and the traced one's spans reached the receiver.
  for (const r of raw.tracing.rows) for (const l of [r.on, r.off]) expect(l.errors === 0 && l.cycles > 0).toBe(true);
  expect(raw.tracing.exports).toBeGreaterThan(0);
  expect(raw.tracing.spans.map((s) => s.protocol)).toEqual(['http/protobuf', 'http/json']);
  for (const s of raw.tracing.spans) expect(s.exports > 0 && s.cpuUsPerRequest > 0).toBe(true);
  for (const f of raw.fanouts) {
    expect(f.errors).toBe(0);
    expect(f.delivered).toBe(f.expected);
    expect(Number.isFinite(f.p99Ms) && Number.isFinite(f.bytesPerSubscriber)).toBe(true);
  }
  // Row 6: both real stores ran borrow and return.
  for (const t of [raw.tx.sqlite, raw.tx.postgres!]) {
    expect(t.borrowUs).toBeGreaterThan(0);
    expect(t.returnUs).toBeGreaterThan(0);
    expect(t.cyclesPerSecond).toBeGreaterThan(0);
  }
  // Row 7: every round's waiter heard its grant, over both transports.
  expect(raw.handoffs.map((h) => h.transport)).toEqual(['sse', 'ws']);
  for (const h of raw.handoffs) {
    expect(h.errors).toBe(0);
    expect(h.granted).toBe(h.rounds);
    expect(h.p99Ms).toBeGreaterThanOrEqual(h.p50Ms);
    expect(h.maxMs).toBeGreaterThanOrEqual(h.p99Ms);
  }
  // Row 8, on both stores: an idle sweep releases nothing; each due sweep exactly the due leases, and no live one.
  for (const r of [raw.sweep.sqlite, raw.sweep.postgres!]) {
    expect(r.idle.released).toBe(0);
    expect(r.withDue.released).toBe(raw.sweep.due * r.withDue.rounds);
    expect(r.liveAfter).toBe(raw.sweep.leases);
    expect(r.idle.p99Ms).toBeGreaterThan(0);
  }
  expect(raw.leaked).toBe(0);
  // Row 13: the sources were polled, every snapshot understood.
  expect(raw.observedPoll.polls).toBeGreaterThan(0);
  expect(raw.observedPoll.errors).toBe(0);
}, 480_000);
