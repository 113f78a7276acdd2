// The delivery and observability configs, checked by every means these machines have:
// promtool, shellcheck and yamllint run for real; the compose file, Grafana provisioning,
// Alloy, Loki, the Dockerfile, fly.toml and the CI workflow must reference only files,
// ports, services and datasource uids that exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createMetrics } from '../../server/observability/metrics.ts';
import { allPanels, DASHBOARD_DIR, loadDashboards, requireTool, ROOT, ruleExpressions, ruleFiles } from '../helpers/ops.ts';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const yaml = (p: string) => parseYaml(read(p));
function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

// Compose resolves YAML merge keys (the ha profile's replicas share one definition).
const compose = parseYaml(read('docker-compose.yml'), { merge: true });
const services: Record<string, any> = compose.services;
const datasources = yaml('grafana/provisioning/datasources/datasources.yml');
const lokiConfig = yaml('loki/loki-config.yml');
const alloy = read('alloy/config.alloy');

/** Bind mounts of a service as { source (repo-relative), target }. */
function binds(service: string): { source: string; target: string }[] {
  return (services[service].volumes ?? [])
    .map((v: string) => v.split(':'))
    .filter(([src]: string[]) => src!.startsWith('.') || src!.startsWith('/'))
    .map(([source, target]: string[]) => ({ source: source!, target: target! }));
}
/** The container port a service listens on for a host port. */
function containerPort(service: string, hostPort: number): number | undefined {
  for (const p of services[service].ports ?? []) {
    const [host, container] = String(p).split(':').map(Number);
    if (host === hostPort) return container;
  }
  return undefined;
}
/** The port each service listens on inside the compose network. */
const listenPort: Record<string, number> = {
  floatline: Number(services.floatline.environment.PORT),
  prometheus: 9090,
  grafana: 3000,
  loki: lokiConfig.server.http_listen_port,
  tempo: yaml('tempo/tempo.yml').server.http_listen_port,
  alloy: Number(/--server\.http\.listen-addr=[^:]+:(\d+)/.exec(services.alloy.command.join(' '))?.[1]),
};
/** A URL inside the compose network must name a service and the port it listens on. */
function expectServiceUrl(url: string) {
  const u = new URL(url);
  expect(Object.keys(services), `${url}: no such compose service`).toContain(u.hostname);
  expect(Number(u.port), `${url}: ${u.hostname} listens on ${listenPort[u.hostname]}`).toBe(listenPort[u.hostname]);
}

/**
 * The series Floatline's /metrics can hold (a histogram as its _bucket, _sum and _count),
 * from the server's own registry, what the rules record, and Prometheus's own.
 */
const exportedSeries = new Set([
  ...createMetrics()
    .registry.getMetricsAsArray()
    .flatMap((m) => (String(m.type) === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => `${m.name}${s}`) : [m.name])),
  ...ruleExpressions()
    .filter((r) => r.kind === 'record')
    .map((r) => r.name),
  'up',
]);
/**
 * The metric names a PromQL expression selects: the identifiers left once strings, label
 * matchers, ranges and label lists (by, on, ...) are gone that are neither a function
 * call nor a keyword.
 */
function selectedMetrics(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const keywords = new Set([
    'and',
    'or',
    'unless',
    'bool',
    'offset',
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'Inf',
    'NaN',
  ]);
  return [...bare.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?!\s*\(|[\w:])/g)].map((m) => m[1]!).filter((n) => !keywords.has(n));
}

describe('Prometheus configs (promtool)', () => {
  it('promtool check config passes (and finds the rule files)', () => {
    requireTool('promtool', 'prometheus');
    const out = run('promtool', ['check', 'config', 'prometheus/prometheus.yml']);
    expect(out).toMatch(new RegExp(`SUCCESS: ${ruleFiles().length} rule files found`));
  });

  it('promtool check rules passes', () => {
    run('promtool', ['check', 'rules', ...ruleFiles()]);
  });

  it('promtool test rules passes, and every alert has a unit test', () => {
    const tests = readdirSync(join(ROOT, 'prometheus/tests'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => `prometheus/tests/${f}`);
    expect(tests.length).toBeGreaterThan(0);
    expect(run('promtool', ['test', 'rules', ...tests])).toMatch(/SUCCESS/);
    const alerts = ruleFiles()
      .flatMap((f) => parseYaml(readFileSync(f, 'utf8')).groups.flatMap((g: any) => g.rules))
      .filter((r: any) => r.alert)
      .map((r: any) => r.alert as string);
    const tested = tests.flatMap((t) => yaml(t).tests.flatMap((g: any) => g.alert_rule_test ?? []));
    for (const a of alerts) {
      const cases = tested.filter((c: any) => c.alertname === a);
      expect(
        cases.some((c: any) => (c.exp_alerts ?? []).length > 0),
        `${a} is never shown firing`,
      ).toBe(true);
      expect(
        cases.some((c: any) => (c.exp_alerts ?? []).length === 0),
        `${a} is never shown quiet`,
      ).toBe(true);
    }
  });

  it('every alert selects only metrics Floatline exports (or rules record)', () => {
    const alerts = ruleExpressions().filter((r) => r.kind === 'alert');
    for (const a of alerts) {
      const names = selectedMetrics(a.expr);
      expect(names.length, `${a.name}: no metric selector found in ${a.expr}`).toBeGreaterThan(0);
      for (const n of names) expect(exportedSeries, `${a.name}: ${n} is exported by nobody`).toContain(n);
    }
    // The queue and lease alerts watch the metrics the queue and the lease sweep update.
    const expr = (name: string) => alerts.find((a) => a.name === name)?.expr ?? '';
    expect(selectedMetrics(expr('LicenseQueueStalled')).sort()).toEqual(['license_queue_length', 'license_queue_wait_seconds_count']);
    expect(selectedMetrics(expr('LicenseLeasesExpiring'))).toEqual(['license_lease_expirations_total']);
  });

  it('scrapes Floatline as job license-server at the compose service and port', () => {
    const prom = yaml('prometheus/prometheus.yml');
    const job = prom.scrape_configs.find((j: any) => j.job_name === 'license-server');
    expect(job).toBeDefined();
    for (const t of job.static_configs.flatMap((s: any) => s.targets)) expectServiceUrl(`http://${t}`);
    expect(binds('prometheus')).toContainEqual({ source: './prometheus', target: '/etc/prometheus' });
  });
});

describe('shell scripts', () => {
  const scripts = [
    '.ci/run',
    ...readdirSync(join(ROOT, 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => `scripts/${f}`),
  ];

  it('shellcheck passes on every script', () => {
    requireTool('shellcheck');
    expect(scripts).toContain('scripts/local_devops_demo.sh');
    run('shellcheck', ['--severity=style', ...scripts]);
  });

  it('every script is executable and starts with a bash shebang and strict mode', () => {
    // A file meant to be sourced (". scripts/use-node.sh") changes the caller's shell:
    // it has no shebang and must not switch on strict mode there.
    for (const s of scripts.filter((f) => !read(f).startsWith('# shellcheck shell=bash'))) {
      expect(statSync(join(ROOT, s)).mode & 0o111, `${s} is not executable`).not.toBe(0);
      const text = read(s);
      expect(text.startsWith('#!/usr/bin/env bash'), s).toBe(true);
      expect(text, s).toMatch(/set -E?euo pipefail/);
    }
  });
});

describe('YAML files', () => {
  const files = [
    'docker-compose.yml',
    '.github/workflows/ci.yml',
    'prometheus/prometheus.yml',
    ...ruleFiles().map((f) => f.slice(ROOT.length)),
    ...readdirSync(join(ROOT, 'prometheus/tests'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => `prometheus/tests/${f}`),
    'loki/loki-config.yml',
    'tempo/tempo.yml',
    'grafana/provisioning/datasources/datasources.yml',
    'grafana/provisioning/dashboards/dashboards.yml',
  ];

  it('yamllint passes', () => {
    requireTool('yamllint');
    run('yamllint', ['-s', '-c', '.yamllint.yml', ...files]);
  });
});

describe('docker-compose.yml', () => {
  it('has Floatline, Prometheus, Grafana, Loki and Alloy on the documented ports', () => {
    // The default stack; the "ha" profile's services are checked in compose-ha.test.ts.
    const defaults = Object.keys(services).filter((s) => !services[s].profiles);
    expect(defaults.sort()).toEqual(['alloy', 'floatline', 'grafana', 'loki', 'prometheus', 'tempo']);
    expect(containerPort('floatline', 8000)).toBe(listenPort.floatline);
    expect(containerPort('grafana', 3000)).toBe(3000);
    expect(containerPort('prometheus', 9090)).toBe(9090);
    expect(containerPort('loki', 3100)).toBe(listenPort.loki);
    expect(services.grafana.environment).toMatchObject({ GF_SECURITY_ADMIN_USER: 'admin', GF_SECURITY_ADMIN_PASSWORD: 'admin' });
  });

  it('every bind mount exists in the repo and every named volume is declared', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const v of svc.volumes ?? []) {
        const [src] = String(v).split(':');
        if (src!.startsWith('./')) expect(existsSync(join(ROOT, src!)), `${name}: ${src} does not exist`).toBe(true);
        else if (!src!.startsWith('/')) expect(Object.keys(compose.volumes ?? {}), `${name}: volume ${src}`).toContain(src);
      }
    }
    expect(services.floatline.volumes).toContain('floatline-data:/data');
    expect(services.floatline.environment.LICENSE_DB_PATH).toBe('/data/licenses.db');
  });

  it('start order: depends_on names real services; service_healthy only where a health check exists', () => {
    const dockerfileHasHealthcheck = /^HEALTHCHECK /m.test(read('Dockerfile'));
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries<any>(svc.depends_on ?? {})) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        if (cond.condition === 'service_healthy') {
          const has = Boolean(services[dep].healthcheck) || (dep === 'floatline' && dockerfileHasHealthcheck);
          expect(has, `${name} waits for ${dep} to be healthy, but it has no health check`).toBe(true);
        }
      }
    }
    expect(services.prometheus.depends_on.floatline.condition).toBe('service_healthy');
    expect(services.grafana.depends_on.prometheus.condition).toBe('service_healthy');
    for (const s of ['floatline', 'prometheus', 'grafana']) expect(services[s].healthcheck, s).toBeDefined();
    expect(services.floatline.healthcheck.test.join(' ')).toContain(`127.0.0.1:${listenPort.floatline}/readyz`);
  });
});

describe('Grafana provisioning', () => {
  const uids = datasources.datasources.map((d: any) => d.uid);

  it('data sources have fixed uids and point at compose services', () => {
    expect(uids.sort()).toEqual(['loki', 'prometheus', 'tempo']);
    for (const d of datasources.datasources) expectServiceUrl(d.url);
    expect(binds('grafana')).toContainEqual({ source: './grafana/provisioning', target: '/etc/grafana/provisioning' });
  });

  it('the dashboard provider reads the directory compose mounts the dashboards into', () => {
    const provider = yaml('grafana/provisioning/dashboards/dashboards.yml').providers[0];
    const mount = binds('grafana').find((b) => b.source === './grafana/dashboards');
    expect(mount?.target).toBe(provider.options.path);
    const home = services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    expect(home.startsWith(`${provider.options.path}/`)).toBe(true);
    expect(existsSync(join(DASHBOARD_DIR, home.slice(provider.options.path.length + 1)))).toBe(true);
  });

  it('the four dashboards exist with unique uids, ids and layouts', () => {
    const dashboards = loadDashboards();
    expect(dashboards.map((d) => d.uid).sort()).toEqual([
      'floatline-cost-budget',
      'floatline-license-overview',
      'floatline-logs',
      'floatline-service-health',
    ]);
    for (const d of dashboards) {
      const ids = allPanels(d.json).map((p) => p.id);
      expect(new Set(ids).size, `${d.file}: duplicate panel ids`).toBe(ids.length);
      for (const p of allPanels(d.json)) expect(p.gridPos, `${d.file}: ${p.title}`).toBeDefined();
      const titles = allPanels(d.json).map((p) => p.title);
      expect(new Set(titles).size, `${d.file}: duplicate panel titles`).toBe(titles.length);
    }
  });

  it('no two panels of a dashboard overlap on the 24-column grid', () => {
    for (const d of loadDashboards()) {
      const boxes = allPanels(d.json).map((p) => ({ title: p.title, ...p.gridPos }));
      for (const b of boxes) expect(b.x + b.w, `${d.file}: ${b.title} is wider than the grid`).toBeLessThanOrEqual(24);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${d.file}: "${a.title}" overlaps "${b.title}"`).toBe(false);
        }
      }
    }
  });

  it('every Prometheus query selects only metrics Floatline exports (or rules record)', () => {
    for (const d of loadDashboards()) {
      for (const p of allPanels(d.json)) {
        for (const t of p.targets ?? []) {
          if (t.datasource?.uid !== 'prometheus') continue;
          const names = selectedMetrics(String(t.expr));
          expect(names.length, `${d.uid} / ${p.title}: no metric selector in ${t.expr}`).toBeGreaterThan(0);
          for (const n of names) expect(exportedSeries, `${d.uid} / ${p.title}: ${n} is exported by nobody`).toContain(n);
        }
      }
    }
  });

  it('the license overview has a "Queue and leases" row: waiters, queue wait p50/p95, expirations and revocations, leased seats', () => {
    const overview = loadDashboards().find((d) => d.uid === 'floatline-license-overview')!.json;
    const row = overview.panels.find((p: any) => p.type === 'row' && p.title === 'Queue and leases');
    expect(row).toBeDefined();
    // The panels under the row: below it, up to the next row (none follows).
    const under = overview.panels.filter((p: any) => p.type !== 'row' && p.gridPos.y > row.gridPos.y);
    const exprs = (title: string) => {
      const panel = under.find((p: any) => p.title === title);
      expect(panel, `no panel "${title}" under the Queue and leases row`).toBeDefined();
      return panel.targets.map((t: any) => String(t.expr).replace(/\s+/g, ' '));
    };
    const sel = '{tool=~"$tool"}';
    // Every process reports the database's line and seats: combined with max, never summed.
    expect(exprs('Waiters per pool')).toEqual([`max by (tool) (license_queue_length${sel})`]);
    expect(exprs('Queue wait p50 and p95')).toEqual(
      [0.5, 0.95].map(
        (q) => `histogram_quantile(${q}, sum by (tool, le) (rate(license_queue_wait_seconds_bucket${sel}[$__rate_interval])))`,
      ),
    );
    expect(exprs('Lease expirations and revocations')).toEqual([
      `sum by (tool) (rate(license_lease_expirations_total${sel}[$__rate_interval]))`,
      `sum by (tool) (rate(license_revocations_total${sel}[$__rate_interval]))`,
    ]);
    expect(exprs('Seats with and without a lease')).toEqual([`max by (tool, lease) (license_seats_held${sel})`]);
    expect(exprs('Heartbeats')).toEqual([`sum by (tool) (rate(license_heartbeats_total${sel}[$__rate_interval]))`]);
    expect(exprs('Queue grants and departures')).toEqual([
      `sum by (tool) (rate(license_queue_wait_seconds_count${sel}[$__rate_interval]))`,
      `sum by (tool, reason) (rate(license_queue_left_total${sel}[$__rate_interval]))`,
    ]);
  });

  it('every panel, query and variable uses a provisioned data source uid', () => {
    for (const d of loadDashboards()) {
      const refs = [
        ...allPanels(d.json)
          .filter((p) => p.type !== 'row')
          .flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t: any) => t.datasource)]),
        ...(d.json.templating?.list ?? []).map((v: any) => v.datasource),
      ].filter(Boolean);
      for (const r of refs) expect(uids, `${d.file}: datasource ${JSON.stringify(r)}`).toContain(r.uid);
    }
  });

  it('every recording rule is used by a dashboard or an alert', () => {
    const rules = ruleFiles().flatMap((f) => parseYaml(readFileSync(f, 'utf8')).groups.flatMap((g: any) => g.rules));
    const exprs = [
      ...rules.map((r: any) => String(r.expr)),
      ...loadDashboards().flatMap((d) => allPanels(d.json).flatMap((p) => (p.targets ?? []).map((t: any) => String(t.expr)))),
    ];
    for (const r of rules.filter((x: any) => x.record)) {
      expect(
        exprs.some((e) => e.includes(r.record)),
        `${r.record} is used nowhere`,
      ).toBe(true);
    }
  });

  it('the original panels are there, and PromQL has no hard-coded prices or pool sizes', () => {
    const titles = loadDashboards().flatMap((d) => allPanels(d.json).map((p) => `${d.uid}: ${p.title}`));
    for (const t of [
      'Borrow attempts and successes',
      'Success rate per tool',
      'Licenses borrowed per tool',
      'Failures by reason',
      'Borrow latency p95',
      'Utilization against total',
    ])
      expect(titles).toContain(`floatline-license-overview: ${t}`);
    for (const t of ['Commit vs overage seats in use', 'Accumulated overage cost']) expect(titles).toContain(`floatline-cost-budget: ${t}`);
    for (const t of ['HTTP requests by route', 'HTTP latency percentiles by route', 'GraphQL operations', 'Memory'])
      expect(titles).toContain(`floatline-service-health: ${t}`);
    for (const t of ['Recent denials', 'Frontend errors']) expect(titles).toContain(`floatline-logs: ${t}`);
    // Numbers allowed in PromQL: quantiles, comparisons with 0, seconds per hour.
    const allowed = new Set(['0', '0.5', '0.95', '0.99', '1', '3600']);
    for (const d of loadDashboards()) {
      for (const p of allPanels(d.json)) {
        for (const t of p.targets ?? []) {
          if (t.datasource?.uid !== 'prometheus') continue;
          const numbers =
            String(t.expr)
              .replace(/\[[^\]]*\]/g, '')
              .replace(/"[^"]*"/g, '')
              .match(/(?<![\w.])\d+(\.\d+)?(?![\w.])/g) ?? [];
          for (const n of numbers) expect(allowed.has(n), `${d.uid} / ${p.title}: literal ${n} in ${t.expr}`).toBe(true);
        }
      }
    }
  });
});

describe('Loki and Alloy', () => {
  it('Loki: single binary, filesystem storage on the compose volume, tsdb v13', () => {
    expect(lokiConfig.auth_enabled).toBe(false);
    expect(lokiConfig.schema_config.configs.at(-1)).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 'filesystem' });
    expect(services.loki.volumes).toContain(`loki-data:${lokiConfig.common.path_prefix}`);
    const configMount = binds('loki').find((b) => b.source === './loki/loki-config.yml');
    expect(services.loki.command.join(' ')).toContain(`-config.file=${configMount?.target}`);
  });

  it('Alloy: config mounted where its command reads it, docker socket, pushes to the Loki service', () => {
    const mount = binds('alloy').find((b) => b.source === './alloy/config.alloy');
    expect(services.alloy.command).toContain(mount?.target);
    expect(binds('alloy').map((b) => b.target)).toContain('/var/run/docker.sock');
    const push = /url\s*=\s*"([^"]+)"/.exec(alloy)?.[1];
    expect(push).toMatch(/\/loki\/api\/v1\/push$/);
    expectServiceUrl(push!);
    let depth = 0;
    for (const ch of alloy.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/gm, '')) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('Alloy ships exactly the containers compose labels for it, as job="license-server"', () => {
    const filter = /values\s*=\s*\["([\w.-]+)=(\w+)"\]/.exec(alloy);
    expect(filter).not.toBeNull();
    const [, label, value] = filter!;
    expect(String(services.floatline.labels[label!])).toBe(value);
    expect(alloy).toMatch(/job\s*=\s*"license-server"/);
    expect(alloy).toMatch(/replacement\s*=\s*"license-server"/);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('is multi-stage with a slim runtime, a non-root user, /data volume and a health check', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.at(-1)).toMatch(/slim/);
    const runtime = lines.slice(lines.lastIndexOf(froms.at(-1)!));
    const user = runtime.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    expect(runtime.join('\n')).toMatch(/LICENSE_DB_PATH=\/data\/licenses\.db/);
    expect(runtime.some((l) => l.startsWith('VOLUME') && l.includes('/data'))).toBe(true);
    expect(runtime.some((l) => l.startsWith('HEALTHCHECK') && l.includes('/healthz'))).toBe(true);
    expect(runtime.some((l) => l.startsWith('EXPOSE 8000'))).toBe(true);
    expect(lines.join('\n')).toMatch(/npm ci/);
    expect(lines.join('\n')).toMatch(/npm run build/);
    expect(lines.join('\n')).toMatch(/npm prune --omit=dev/);
  });

  it('every path it copies exists (and is not excluded by .dockerignore)', () => {
    const buildOutputs = ['node_modules', 'dist'];
    for (const l of lines.filter((x) => x.startsWith('COPY '))) {
      const parts = l
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith('--chown') && !p.startsWith('--chmod'));
      const fromStage = parts[0]!.startsWith('--from=');
      const srcs = parts.filter((p) => !p.startsWith('--from=')).slice(0, -1);
      for (const src of srcs) {
        const rel = fromStage ? src.replace(/^\/app\/?/, '') : src;
        if (rel === '.') continue;
        if (fromStage && buildOutputs.includes(rel)) continue;
        expect(existsSync(join(ROOT, rel)), `Dockerfile copies ${src}, which does not exist`).toBe(true);
        if (!fromStage) expect(ignored, `${src} is excluded by .dockerignore`).not.toContain(rel);
      }
    }
    // The image runs the bundled server that `npm run build` writes, with no TypeScript loader.
    const cmd = lines.find((l) => l.startsWith('CMD '))!;
    expect(cmd).toBe('CMD ["node", "dist/server/main.mjs"]');
    expect(lines.join('\n')).toMatch(/npm run build .*test -f dist\/server\/main\.mjs/);
    expect(lines.join('\n')).toMatch(
      /npm prune --omit=dev --omit=optional .*test ! -e node_modules\/tsx && test ! -e node_modules\/prisma/,
    );
    expect(Object.keys(JSON.parse(read('package.json')).dependencies)).not.toContain('tsx');
    const entry = /"([\w/.-]+\.m?[jt]s)"/.exec(cmd)?.[1];
    expect(entry && existsSync(join(ROOT, entry))).toBe(true);
  });
});

describe('fly.toml and CI', () => {
  it('fly.toml builds the Dockerfile, serves port 8000 and mounts a volume at /data', () => {
    const fly = read('fly.toml');
    expect(fly).toMatch(/dockerfile = "Dockerfile"/);
    expect(fly).toMatch(/internal_port = 8000/);
    expect(fly).toMatch(/destination = "\/data"/);
    expect(fly).toMatch(/LICENSE_DB_PATH = "\/data\/licenses\.db"/);
    expect(existsSync(join(ROOT, 'docs/deployment.md'))).toBe(true);
  });

  it('the workflow installs and tests (via .ci/run) and builds the image, on push and pull request', () => {
    const wf = yaml('.github/workflows/ci.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const steps = Object.values<any>(wf.jobs).flatMap((j) => j.steps);
    expect(steps.some((s) => String(s.run ?? '').includes('.ci/run'))).toBe(true);
    expect(steps.some((s) => String(s.uses ?? '').startsWith('docker/build-push-action'))).toBe(true);
    const ci = read('.ci/run');
    for (const pkg of ['prometheus', 'shellcheck', 'chromium']) expect(ci).toContain(pkg);
    expect(ci).toMatch(/npm ci/);
    expect(ci).toMatch(/npm test/);
  });
});
