// Helpers for the tests of the ops configs: the expressions in Grafana dashboards and
// rule files, the external tools they need, and free ports.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './server.ts';

export { ROOT };

export const DASHBOARD_DIR = join(ROOT, 'grafana/dashboards');
export const RULES_DIR = join(ROOT, 'prometheus/rules');

/** The absolute path of a command, or a failure that says how to install it. */
export function requireTool(name: string, pkg = name): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is not installed: install it with "apt-get install -y ${pkg}" (.ci/run does this)`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface Dashboard {
  uid: string;
  title: string;
  file: string;
  json: any;
}

export function loadDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const json = JSON.parse(readFileSync(join(DASHBOARD_DIR, f), 'utf8'));
      return { uid: json.uid, title: json.title, file: f, json };
    });
}

/** Every panel, including panels nested in collapsed rows. */
export function allPanels(dash: any): any[] {
  const out: any[] = [];
  for (const p of dash.panels ?? []) {
    out.push(p);
    for (const inner of p.panels ?? []) out.push(inner);
  }
  return out;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  dsType: string;
  dsUid: string;
  expr: string;
}

/** Every query of every panel and template variable, with the data source it goes to. */
export function dashboardQueries(d: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const p of allPanels(d.json)) {
    for (const t of p.targets ?? []) {
      const ds = t.datasource ?? p.datasource ?? {};
      if (typeof t.expr !== 'string') continue;
      out.push({ dashboard: d.uid, panel: p.title, refId: t.refId, dsType: ds.type, dsUid: ds.uid, expr: t.expr });
    }
  }
  for (const v of d.json.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    out.push({ dashboard: d.uid, panel: `$${v.name}`, refId: 'var', dsType: v.datasource?.type, dsUid: v.datasource?.uid, expr: q });
  }
  return out;
}

export interface RuleExpr {
  group: string;
  name: string;
  kind: 'record' | 'alert';
  expr: string;
}

export function ruleFiles(): string[] {
  return readdirSync(RULES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(RULES_DIR, f));
}

export function ruleExpressions(): RuleExpr[] {
  const out: RuleExpr[] = [];
  for (const file of ruleFiles()) {
    const doc = parseYaml(readFileSync(file, 'utf8'));
    for (const g of doc.groups ?? []) {
      for (const r of g.rules ?? []) {
        out.push({ group: g.name, name: r.record ?? r.alert, kind: r.record ? 'record' : 'alert', expr: String(r.expr) });
      }
    }
  }
  return out;
}

/**
 * Turns a Grafana PromQL query into one Prometheus can run: Grafana's interval and range
 * variables get fixed durations, $tool means every tool, label_values() becomes a query.
 */
export function toPromQL(expr: string, vars: Record<string, string> = {}): string {
  const lv = /^label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)$/.exec(expr.trim());
  if (lv) return `group by (${lv[2]}) (${lv[1]})`;
  let q = expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__auto', '15s')
    .replaceAll('$__range', '5m');
  for (const [k, v] of Object.entries({ tool: '.*', ...vars })) q = q.replaceAll(`$${k}`, v).replaceAll(`\${${k}}`, v);
  return q;
}
