// The worst read of the hostile probe: `events` license events in the current hour of one
// pool (not rolled up yet, so every statement reads them raw), and `readers` clients each
// repeating one query of 15 aliases of `statement(tool: "big") { total csv }` as fast as
// answers come. Meanwhile a probe asks /healthz and borrows-and-returns a seat of another
// pool, one after the other; their latencies are measured without readers first (the
// baseline), then under them. Floatline runs as its own process (server/main.ts) on SQLite,
// then on a throwaway PostgreSQL database (bench/throwaway-postgres.ts) when one answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cpuMsOf, percentile, rssOf, sortedCopy, startListening, stopChild } from './lib.ts';
import { onThrowawayPostgres } from './throwaway-postgres.ts';

export interface HostileArgs {
  events: number;
  readers: number;
  aliases: number;
  seconds: number;
  /** A PostgreSQL server to create the second run's database on; null: SQLite only. */
  postgresUrl: string | null;
}
export interface Latencies {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}
export interface HostilePhase {
  healthz: Latencies;
  borrow: Latencies;
  readerAnswers: number;
  readerStatuses: Record<string, number>;
  serverCpuMs: number;
  maxRssMb: number;
}
export interface HostileRun {
  baseline: HostilePhase;
  hostile: HostilePhase;
}
export interface HostileResult {
  events: number;
  readers: number;
  aliases: number;
  seconds: number;
  sqlite: HostileRun;
  postgres: HostileRun | null;
  /** Why there is no PostgreSQL run, when there is none. */
  postgresSkipped?: string;
}

/** One seat's start or end, as license_events holds it (times in ms). */
interface HistoryRow {
  at: number;
  type: 'borrowed' | 'returned';
  user: string;
  borrowId: string;
  team: string;
  startedAt: number | null;
}

const args = JSON.parse(process.argv[2]!) as HostileArgs;

/** The current hour's raw history: borrow/return pairs spread over the part of the hour gone by. */
function history(): HistoryRow[] {
  const now = Date.now();
  const hourStart = now - (now % 3_600_000);
  const span = Math.max(now - hourStart - 1000, 60_000);
  const from = now - span;
  const pairs = Math.floor(args.events / 2);
  const rows: HistoryRow[] = [];
  for (let i = 0; i < pairs; i++) {
    const start = from + Math.floor((i * span) / pairs);
    const end = Math.min(start + 1000 + ((i * 7919) % 600_000), now - 1);
    const seat = { user: `u${i % 500}`, borrowId: `b${i}`, team: `team${i % 20}` };
    rows.push({ at: start, type: 'borrowed', ...seat, startedAt: null }, { at: end, type: 'returned', ...seat, startedAt: start });
  }
  return rows;
}

/** Starts Floatline with `env` (its store), writes the history with `write`, measures both phases. */
async function measure(env: Record<string, string>, logPath: string, write: (rows: HistoryRow[]) => Promise<void>): Promise<HostileRun> {
  const { child, port } = await startListening(
    ['server/main.ts'],
    { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REDIS_URL: '', ...env },
    logPath,
    120_000,
  );
  const url = `http://127.0.0.1:${port}`;
  const json = (method: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  try {
    const created = await json('POST', '/config/tools', {
      ...{ tool: 'big', total: 400, commit: 300, max_overage: 100, commit_price: 10_000, overage_price_per_license: 25 },
    });
    if (created.status !== 201) throw new Error(`creating the pool: ${created.status} ${await created.text()}`);
    const bigPool = { tool: 'cad_tool', total: 100_000, commit: 100_000, max_overage: 0, commit_price: 1, overage_price_per_license: 1 };
    if ((await json('PUT', '/config/budget', bigPool)).status !== 200) throw new Error('resizing cad_tool');
    await write(history());

    const query = `{ ${Array.from({ length: args.aliases }, (_, i) => `a${i}: statement(tool: "big") { total csv }`).join(' ')} }`;
    const first = await json('POST', '/graphql', { query });
    if (first.status !== 200) throw new Error(`the hostile query itself: ${first.status} ${(await first.text()).slice(0, 300)}`);

    const phase = async (readers: number): Promise<HostilePhase> => {
      const statuses: Record<string, number> = {};
      let answers = 0;
      let stop = false;
      const reader = async () => {
        while (!stop) {
          const r = await json('POST', '/graphql', { query });
          await r.arrayBuffer();
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          answers++;
          if (r.status === 429) await new Promise((res) => setTimeout(res, Number(r.headers.get('retry-after') ?? 1) * 1000));
        }
      };
      const healthz: number[] = [];
      const borrow: number[] = [];
      let maxRss = rssOf(child.pid!);
      const probe = async () => {
        while (!stop) {
          let t = performance.now();
          const h = await fetch(`${url}/healthz`);
          await h.arrayBuffer();
          healthz.push(performance.now() - t);
          t = performance.now();
          const b = await json('POST', '/licenses/borrow', { tool: 'cad_tool', user: 'probe' });
          const seat = (await b.json()) as { id: string };
          borrow.push(performance.now() - t);
          if (b.status !== 200) throw new Error(`probe borrow: ${b.status} ${JSON.stringify(seat)}`);
          await (await json('POST', '/licenses/return', { id: seat.id })).arrayBuffer();
          maxRss = Math.max(maxRss, rssOf(child.pid!));
          await new Promise((res) => setTimeout(res, 20));
        }
      };
      const cpu0 = cpuMsOf(child.pid!);
      const running = [...Array.from({ length: readers }, reader), probe()];
      await new Promise((res) => setTimeout(res, args.seconds * 1000));
      stop = true;
      await Promise.all(running);
      const lat = (xs: number[]): Latencies => {
        const sorted = sortedCopy(xs);
        return { samples: xs.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
      };
      return {
        healthz: lat(healthz),
        borrow: lat(borrow),
        readerAnswers: answers,
        readerStatuses: statuses,
        serverCpuMs: cpuMsOf(child.pid!) - cpu0,
        maxRssMb: maxRss / 1024 / 1024,
      };
    };
    const baseline = await phase(0);
    const hostile = await phase(args.readers);
    return { baseline, hostile };
  } finally {
    await stopChild(child);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'floatline-hostile-'));
try {
  // SQLite: the history written straight into the server's file (WAL: the server reads it at once).
  const dbPath = join(dir, 'licenses.db');
  const sqlite = await measure({ LICENSE_DB_PATH: dbPath, DATABASE_URL: '' }, join(dir, 'sqlite.log'), async (rows) => {
    const db = new Database(dbPath);
    const insert = db.prepare(
      'INSERT INTO license_events (at, type, tool, user, borrow_id, team, started_at, borrowed, total) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 400)',
    );
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    db.transaction(() => {
      for (const r of rows)
        insert.run(iso(r.at), r.type, 'big', r.user, r.borrowId, r.team, r.startedAt === null ? null : iso(r.startedAt));
    })();
    db.close();
  });
  // PostgreSQL: a throwaway database, the history written through its own connection in a few statements.
  const pg = await onThrowawayPostgres(args.postgresUrl, (opened, dbUrl) =>
    measure({ DATABASE_URL: dbUrl }, join(dir, 'postgres.log'), async (rows) => {
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      for (let i = 0; i < rows.length; i += 20_000) {
        const part = rows.slice(i, i + 20_000);
        await opened.prisma.$executeRawUnsafe(
          `INSERT INTO license_events (at, type, tool, "user", borrow_id, team, started_at, borrowed, total)
          SELECT a, t, 'big', u, b, tm, s, 0, 400 FROM unnest($1::timestamp(3)[], $2::text[], $3::text[], $4::text[], $5::text[],
            $6::timestamp(3)[]) AS x(a, t, u, b, tm, s)`,
          ...[part.map((r) => iso(r.at)), part.map((r) => r.type), part.map((r) => r.user), part.map((r) => r.borrowId)],
          ...[part.map((r) => r.team), part.map((r) => iso(r.startedAt))],
        );
      }
      await opened.prisma.$executeRawUnsafe('ANALYZE license_events');
    }),
  );
  const { postgresUrl: _, ...shape } = args;
  const result: HostileResult = { ...shape, sqlite, postgres: pg.result, ...(pg.skipped ? { postgresSkipped: pg.skipped } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
