// Keeps the benchmark from rotting: runs `bench/run.ts --smoke` (0.3 s rows, one
// connection count, a few subscribers, no warm-up: seconds, not minutes) and checks every
// row is there with numbers and zero errors. The full run is `npm run bench`.
// No speed assertions: this machine's load is not the benchmark's business here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

it('prints every benchmark row with numbers and no errors (smoke mode)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'floatline-bench-test-'));
  const json = join(dir, 'bench.json');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--json', json], {
    cwd: ROOT,
    timeout: 120_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  const table = stdout.split('\n').filter((l) => l.startsWith('| '));
  const rowsOf = (name: string) => table.filter((l) => l.includes(name));
  // REST borrow+return and pool status: the open-mode row and its AUTH_MODE=required comparison.
  for (const name of ['REST borrow+return', 'REST pool status']) expect(rowsOf(name), name).toHaveLength(2);
  expect(rowsOf('AUTH_MODE=required')).toHaveLength(1); // the comparison table's header
  for (const name of ['GraphQL borrow+return mutations', 'GraphQL pool status', 'REST heartbeat', 'bare Node http']) {
    expect(rowsOf(name), name).toHaveLength(1); // one connection count in smoke mode
  }
  expect(rowsOf('SSE (GraphQL over HTTP)')).toHaveLength(1); // one subscriber count
  expect(rowsOf('WebSocket (graphql-ws)')).toHaveLength(1);
  expect(rowsOf('Prisma: interactive $transaction')).toHaveLength(1);
  expect(rowsOf('better-sqlite3 directly')).toHaveLength(1);
  for (const line of table.filter((l) => !l.startsWith('| #'))) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    expect(
      cells.some((c) => c === 'n/a' || c === 'NaN'),
      line,
    ).toBe(false);
    if (!/Prisma|better-sqlite3/.test(line)) expect(cells.at(-1), `errors in: ${line}`).toBe('0');
  }

  const text = readFileSync(json, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const raw = JSON.parse(text) as {
    rows: {
      result: { requests: number; requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; cycles: number };
      unit: string;
    }[];
    fanouts: { delivered: number; expected: number; p99Ms: number; bytesPerSubscriber: number; errors: number }[];
    tx: { prismaUs: number; directUs: number };
    leaked: number;
  };
  expect(raw.rows).toHaveLength(8);
  for (const r of raw.rows) {
    expect(r.result.errors).toBe(0);
    expect(r.result.requests).toBeGreaterThan(0);
    expect(Number.isFinite(r.result.p99Ms) && r.result.p99Ms >= r.result.p50Ms).toBe(true);
    if (r.unit === 'cycles') expect(r.result.cycles).toBeGreaterThan(0);
  }
  for (const f of raw.fanouts) {
    expect(f.errors).toBe(0);
    expect(f.delivered).toBe(f.expected);
    expect(Number.isFinite(f.p99Ms) && Number.isFinite(f.bytesPerSubscriber)).toBe(true);
  }
  expect(raw.tx.prismaUs).toBeGreaterThan(0);
  expect(raw.tx.directUs).toBeGreaterThan(0);
  expect(raw.leaked).toBe(0);
}, 150_000);
