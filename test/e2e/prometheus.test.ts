// A real Prometheus scrapes a real Floatline while the traffic simulator runs; then every
// PromQL expression of every Grafana dashboard and every rule file is evaluated through
// Prometheus's HTTP API. Each must be valid, and the dashboards' panels must show data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { simulate } from '../../scripts/simulate.ts';
import { dashboardQueries, freePort, loadDashboards, requireTool, ROOT, ruleExpressions, ruleFiles, toPromQL } from '../helpers/ops.ts';
import { gql, postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

// Panels that may rightly be empty after a short healthy run, and why.
const MAY_BE_EMPTY = new Set<string>([
  // (none: every Prometheus panel must show data)
]);
// Recorded series that are empty while nothing goes wrong.
const RECORDINGS_MAY_BE_EMPTY = new Set(['job:http_requests_5xx:rate5m']);

let server: RunningServer;
let prom: ChildProcess;
let promUrl = '';
let promLog = '';

async function query(expr: string): Promise<{ status: string; error?: string; data?: { resultType: string; result: unknown[] } }> {
  const res = await fetch(`${promUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
  });
  return (await res.json()) as any;
}

// Prometheus answers errors while it starts and evaluates slowly: probes that throw are asked
// again, and a timeout shows the end of its log.
const PROM_WAIT = { intervalMs: 500, retryErrors: true, context: () => `--- prometheus log ---\n${promLog.slice(-3000)}` };

const nonEmpty = async (expr: string) => {
  const r = await query(expr);
  return r.status === 'success' && (r.data?.result.length ?? 0) > 0 ? r : undefined;
};

const QUEUE_TOOL = 'queue_demo';
async function queueAndLeaseTraffic(url: string): Promise<void> {
  const pool = await postJson(`${url}/config/tools`, {
    tool: QUEUE_TOOL,
    total: 1,
    commit: 1,
    max_overage: 0,
    commit_price: 100,
    overage_price_per_license: 10,
  });
  expect(pool.status).toBe(201);
  const silent = await postJson(`${url}/licenses/borrow`, { tool: QUEUE_TOOL, user: 'sleeper', lease_seconds: 5 });
  expect(silent.status).toBe(200);
  const waiter = await postJson(`${url}/licenses/borrow`, { tool: QUEUE_TOOL, user: 'next', queue: true, lease_seconds: 60 });
  expect(waiter.status).toBe(202);
  // Polling keeps the ticket alive until the expiry hands it the seat.
  const granted = await waitFor(
    async () => {
      const t = (await (await fetch(`${url}/queue/${waiter.json.ticket_id}`)).json()) as { state: string; borrow_id?: string };
      return t.state === 'granted' ? t.borrow_id : undefined;
    },
    60_000,
    'the waiter to be granted the expired seat',
    PROM_WAIT,
  );
  expect((await postJson(`${url}/licenses/heartbeat`, { id: granted })).status).toBe(200);
  expect((await postJson(`${url}/licenses/revoke`, { id: granted, reason: 'test: free the seat' })).status).toBe(200);
}

beforeAll(async () => {
  const binary = requireTool('prometheus');
  server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'floatline-prom-'));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  // The repo's prometheus/prometheus.yml as shipped, except: 1 s intervals, absolute rule
  // paths, and the test server and this Prometheus in place of the compose hostnames.
  const config = parseYaml(readFileSync(join(ROOT, 'prometheus/prometheus.yml'), 'utf8'));
  Object.assign(config.global, { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' });
  config.rule_files = ruleFiles();
  const targets: Record<string, string> = { 'floatline:8000': `127.0.0.1:${server.port}`, 'localhost:9090': `127.0.0.1:${port}` };
  for (const job of config.scrape_configs) {
    for (const sc of job.static_configs) sc.targets = sc.targets.map((t: string) => targets[t] ?? t);
  }
  writeFileSync(join(dir, 'prometheus.yml'), stringifyYaml(config));
  prom = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prom.stdout!.on('data', (c) => {
    promLog += String(c);
  });
  prom.stderr!.on('data', (c) => {
    promLog += String(c);
  });
  await waitFor(async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 30_000, 'Prometheus to be ready', PROM_WAIT);
  await waitFor(() => nonEmpty('up{job="license-server"} == 1'), 30_000, 'the first scrape of Floatline', PROM_WAIT);

  // Traffic: the simulator (borrow, hold, return, denials, overage, GraphQL, frontend errors)
  // plus a few requests it does not make.
  await postJson(`${server.url}/frontend-error`, { message: 'test: frontend error for the logs dashboard' });
  await gql(server.url, '{ pools { tool borrowed } }');
  await gql(server.url, '{ noSuchField }');
  await fetch(`${server.url}/no-such-page`);
  // The queue and lease panels' traffic, while the simulator runs: a 1-seat pool whose
  // holder goes silent (its 5 s lease expires), a waiter handed the seat by that expiry,
  // a heartbeat on the granted lease, and an admin's revocation of it.
  const queueTraffic = queueAndLeaseTraffic(server.url);
  const summary = await simulate({
    url: server.url,
    durationS: 8,
    users: 14,
    rate: 40,
    maxRequests: 2000,
    holdMinS: 1,
    holdMaxS: 4,
    thinkS: 0.3,
    viewers: 2,
    progress: false,
    allowRemote: false,
  });
  expect(summary.borrowed).toBeGreaterThan(0);
  expect(Object.keys(summary.denied).length).toBeGreaterThan(0);
  expect(summary.liveUpdates).toBeGreaterThan(0);
  await queueTraffic;

  // Enough scrapes after the traffic for rates, and rule evaluations for recorded series.
  await waitFor(() => nonEmpty('tool:license_borrow_success:ratio_rate5m'), 60_000, 'recorded borrow success ratio', PROM_WAIT);
  await waitFor(() => nonEmpty('tool:license_overage_cost:rate1h > 0'), 60_000, 'recorded overage cost rate', PROM_WAIT);
  // A scrape after the traffic ended (every seat back, every dashboard closed), and every
  // recorded series evaluated: what the tests below read, awaited rather than slept for.
  await waitFor(
    () => nonEmpty('sum(licenses_borrowed) == 0 and sum(graphql_subscriptions_open) == 0'),
    60_000,
    'a scrape after the traffic',
    PROM_WAIT,
  );
  for (const r of ruleExpressions().filter((x) => x.kind === 'record' && !RECORDINGS_MAY_BE_EMPTY.has(x.name))) {
    await waitFor(() => nonEmpty(r.name), 60_000, `recorded series ${r.name}`, PROM_WAIT);
  }
}, 180_000);

afterAll(async () => {
  prom?.kill('SIGTERM');
  await server?.stop();
});

describe('every dashboard expression against a real Prometheus', () => {
  const promQueries = loadDashboards()
    .flatMap(dashboardQueries)
    .filter((q) => q.dsType === 'prometheus');

  it('the dashboards have Prometheus queries to check', () => {
    expect(promQueries.length).toBeGreaterThan(30);
  });

  it('every query is valid PromQL that Prometheus evaluates', async () => {
    const failures: string[] = [];
    for (const q of promQueries) {
      const r = await query(toPromQL(q.expr));
      if (r.status !== 'success') failures.push(`${q.dashboard} / ${q.panel} [${q.refId}]: ${r.error}\n    ${q.expr}`);
    }
    expect(failures).toEqual([]);
  });

  it('every panel and template variable returns data after traffic', async () => {
    const byPanel = new Map<string, boolean>();
    for (const q of promQueries) {
      const key = `${q.dashboard} / ${q.panel}`;
      const r = await query(toPromQL(q.expr));
      byPanel.set(key, (byPanel.get(key) ?? false) || (r.data?.result.length ?? 0) > 0);
    }
    const empty = [...byPanel].filter(([k, ok]) => !ok && !MAY_BE_EMPTY.has(k)).map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('the core panels show the traffic that was sent', async () => {
    const value = async (expr: string) => Number(((await query(expr)).data?.result[0] as any)?.value?.[1]);
    expect(await value('sum(licenses_borrowed)')).toBe(0); // the simulator gave every seat back
    expect(await value('sum(increase(license_borrow_success_total[5m]))')).toBeGreaterThan(0);
    expect(await value('sum(increase(license_borrow_failure_total{reason="exhausted"}[5m]))')).toBeGreaterThan(0);
    expect(await value('sum(license_overage_cost)')).toBeGreaterThan(0);
    expect(await value('max(max_over_time(tool:licenses_utilization:ratio[5m]))')).toBe(1);
    expect(await value('count(tool:license_borrow_duration_seconds:p95_5m >= 0)')).toBeGreaterThan(0);
    expect(await value('max(max_over_time(graphql_subscriptions_open{transport="sse"}[5m]))')).toBeGreaterThan(0);
    expect(await value('sum(graphql_subscriptions_open)')).toBe(0); // the simulator closed its dashboards
    // The queue and lease traffic: a waiter in line, then granted; an expiry, a heartbeat, a revocation.
    const q = `tool="${QUEUE_TOOL}"`;
    expect(await value(`max(max_over_time(license_queue_length{${q}}[5m]))`)).toBe(1);
    expect(await value(`max(license_queue_length{${q}})`)).toBe(0);
    expect(await value(`sum(license_queue_wait_seconds_count{${q}})`)).toBe(1);
    expect(await value(`sum(license_lease_expirations_total{${q}})`)).toBe(1);
    expect(await value(`sum(license_heartbeats_total{${q}})`)).toBe(1);
    expect(await value(`sum(license_revocations_total{${q}})`)).toBe(1);
    expect(await value(`max(max_over_time(license_seats_held{${q},lease="with_lease"}[5m]))`)).toBe(1);
    expect(await value(`sum(license_seats_held{${q}})`)).toBe(0);
    // The queue wait panel's p95 shows the waiter's wait: its lease (5 s) and the sweep, well under a minute.
    const wait = await value(`histogram_quantile(0.95, sum by (le) (increase(license_queue_wait_seconds_bucket{${q}}[5m])))`);
    expect(wait).toBeGreaterThan(1);
    expect(wait).toBeLessThanOrEqual(15);
  });
});

describe('every rule expression against a real Prometheus', () => {
  const rules = ruleExpressions();

  it('every recording and alerting rule is valid PromQL', async () => {
    const failures: string[] = [];
    for (const r of rules) {
      const res = await query(r.expr);
      if (res.status !== 'success') failures.push(`${r.group} / ${r.name}: ${res.error}`);
    }
    expect(failures).toEqual([]);
  });

  it('Prometheus loaded every rule from the repo', async () => {
    const res = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as any;
    const loaded = res.data.groups.flatMap((g: any) => g.rules.map((r: any) => r.name)).sort();
    expect(loaded).toEqual(rules.map((r) => r.name).sort());
    const broken = res.data.groups.flatMap((g: any) => g.rules).filter((r: any) => r.health === 'err');
    expect(broken.map((r: any) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  it('every recorded series has data after traffic', async () => {
    const empty: string[] = [];
    for (const r of rules.filter((x) => x.kind === 'record' && !RECORDINGS_MAY_BE_EMPTY.has(x.name))) {
      if (!(await nonEmpty(r.name))) empty.push(r.name);
    }
    expect(empty).toEqual([]);
  });

  it('LicensePoolExhausted went pending while the simulator held every seat', async () => {
    const r = await query('max_over_time(ALERTS{alertname="LicensePoolExhausted",alertstate="pending"}[5m])');
    expect((r.data?.result ?? []).map((x: any) => x.metric.tool)).toContain('cad_tool');
  });

  it('FloatlineDown is quiet while Floatline is scraped, and goes pending when it stops', async () => {
    const r = await query('ALERTS{alertname="FloatlineDown"}');
    expect(r.data?.result).toEqual([]);
    await server.stop();
    await waitFor(
      () => nonEmpty('ALERTS{alertname="FloatlineDown",alertstate="pending"}'),
      30_000,
      'FloatlineDown to go pending',
      PROM_WAIT,
    );
    // Leave Floatline as the other tests expect it, whatever order they run in: the same
    // process settings, port and database, scraped again.
    server = await server.restart();
    await waitFor(
      () => nonEmpty('up{job="license-server"} == 1 and on() sum(licenses_borrowed) == 0'),
      30_000,
      'Floatline scraped again',
      PROM_WAIT,
    );
  });
});
