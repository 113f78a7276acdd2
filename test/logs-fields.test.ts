// Floatline's real log lines against every LogQL query in the repo (Grafana dashboards,
// docs/observability.md, the original README's four): each query's label filters are
// evaluated on the lines Floatline's logger wrote (in-process, the same logger and fields as
// a server process; Loki's `| json` would see them so), and every query must match a line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, loadDashboards, ROOT } from './helpers/ops.ts';
import { gql, postJson, type LogLine } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

const ORIGINAL_QUERIES = [
  '{job="license-server"} | json | level="info"',
  '{job="license-server"} | json | event="borrow_license"',
  '{job="license-server"} | json | tool="cad_tool"',
  '{job="license-server"} | json | event="frontend_error"',
];
// Labels Alloy puts on the streams (alloy/config.alloy); a JSON field with one of these
// names would come out of `| json` renamed to <name>_extracted.
const STREAM_LABELS = ['job', 'container', 'stream', 'service_name'];
// Queries that rightly match nothing while the server is healthy (their fields are still checked).
const MAY_MATCH_NOTHING = new Set(['floatline-logs / Server errors (HTTP 5xx)']);

interface Filter {
  field: string;
  op: string;
  value: string;
}
interface LogQuery {
  source: string;
  selector: Record<string, string>;
  lineFilters: string[];
  filters: Filter[];
}

/** Splits a LogQL pipeline at the `|` that are outside of quoted strings. */
function splitStages(pipeline: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < pipeline.length; i++) {
    const ch = pipeline[i]!;
    if (ch === '"' && pipeline[i - 1] !== '\\') quoted = !quoted;
    if (ch === '|' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** The stream selector and `| json` label filters of a log or metric LogQL query. */
function parseLogQL(source: string, expr: string): LogQuery {
  const q = expr.replaceAll('$tool', '.*').replace(/\[\$?[\w]+\]/g, '');
  const sel = /\{([^}]*)\}/.exec(q);
  if (!sel) throw new Error(`${source}: no stream selector in ${expr}`);
  const selector: Record<string, string> = {};
  for (const m of sel[1]!.matchAll(/(\w+)\s*=\s*"([^"]*)"/g)) selector[m[1]!] = m[2]!;
  // The pipeline ends where the log range or the enclosing metric query's parenthesis does.
  const pipeline = q.slice(sel.index! + sel[0].length).split(/\)/)[0]!;
  const stages = splitStages(pipeline);
  const lineFilters: string[] = [];
  const filters: Filter[] = [];
  let parsed = false;
  for (let i = 0; i < stages.length; i++) {
    const st = stages[i]!;
    if (st === 'json') {
      parsed = true;
      continue;
    }
    if (st.startsWith('=')) {
      lineFilters.push(JSON.parse(st.slice(1).trim()));
      continue;
    }
    const m = /^(\w+)\s*(=~|!~|!=|>=|<=|==|=|>|<)\s*("(?:[^"\\]|\\.)*"|[\d.]+)$/.exec(st);
    if (!m) throw new Error(`${source}: cannot read stage "${st}" of ${expr}`);
    if (!parsed) throw new Error(`${source}: filter "${st}" comes before | json in ${expr}`);
    filters.push({ field: m[1]!, op: m[2]!, value: m[3]!.startsWith('"') ? JSON.parse(m[3]!) : m[3]! });
  }
  return { source, selector, lineFilters, filters };
}

function matches(line: LogLine, raw: string, q: LogQuery): boolean {
  if (!q.lineFilters.every((f) => raw.includes(f))) return false;
  return q.filters.every(({ field, op, value }) => {
    const v = line[field];
    if (v === undefined || v === null || typeof v === 'object') return false;
    const s = String(v);
    switch (op) {
      case '=':
      case '==':
        return s === value;
      case '!=':
        return s !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(s);
      case '!~':
        return !new RegExp(`^(?:${value})$`).test(s);
      case '>=':
        return Number(s) >= Number(value);
      case '<=':
        return Number(s) <= Number(value);
      case '>':
        return Number(s) > Number(value);
      case '<':
        return Number(s) < Number(value);
      default:
        return false;
    }
  });
}

function repoQueries(): LogQuery[] {
  const out: LogQuery[] = [];
  for (const d of loadDashboards()) {
    for (const q of dashboardQueries(d).filter((x) => x.dsType === 'loki')) out.push(parseLogQL(`${d.uid} / ${q.panel}`, q.expr));
  }
  const doc = readFileSync(join(ROOT, 'docs/observability.md'), 'utf8');
  for (const block of doc.matchAll(/```logql\n([\s\S]*?)```/g)) {
    for (const line of block[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))) {
      out.push(parseLogQL('docs/observability.md', line));
    }
  }
  for (const q of ORIGINAL_QUERIES) out.push(parseLogQL('original README', q));
  return out;
}

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcess();
  const borrow = (tool: string, user: string) => postJson(`${server.url}/licenses/borrow`, { tool, user });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await borrow('cad_tool', `ada.${i + 1}`); // the 6th is denied: exhausted
    if (r.status === 200) ids.push(r.json.id);
  }
  await borrow('no_such_tool', 'ada.1');
  await gql(server.url, 'mutation { borrowLicense(tool: "simulation", user: "gq") { __typename } }');
  for (const id of ids) await postJson(`${server.url}/licenses/return`, { id });
  await postJson(`${server.url}/frontend-error`, { message: 'test error', source: 'app.js', lineno: 1, colno: 2 });
  await gql(server.url, 'mutation { reportFrontendError(input: { message: "gql test error" }) }');
  await server.fetch(`${server.url}/config/budget`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tool: 'analysis', total: 3, commit: 1, max_overage: 2, commit_price: 1000, overage_price_per_license: 100 }),
  });
  await server.waitForLog((l) => l.event === 'budget_updated');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('Floatline log lines', () => {
  it('every line is JSON with level (a word), time (ISO), service and msg', () => {
    expect(server.logs.length).toBeGreaterThan(10);
    for (const l of server.logs) {
      expect(l.level, JSON.stringify(l)).toMatch(/^(trace|debug|info|warn|error|fatal)$/);
      expect(String(l.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(l.service).toBe('floatline');
      expect(typeof l.msg).toBe('string');
    }
  });

  it('request lines carry request_id, method, route, status_code and duration_ms', () => {
    const requests = server.logs.filter((l) => l.event === 'http_request');
    expect(requests.length).toBeGreaterThan(5);
    for (const l of requests) {
      for (const f of ['request_id', 'method', 'route', 'status_code', 'duration_ms'])
        expect(l[f], `${f} in ${JSON.stringify(l)}`).toBeDefined();
    }
  });

  it('domain lines carry event, tool, user (and reason or borrow_id)', () => {
    const want: Record<string, string[]> = {
      borrow_license: ['tool', 'user', 'borrow_id', 'request_id'],
      return_license: ['tool', 'user', 'borrow_id'],
      borrow_denied: ['tool', 'user', 'reason'],
      budget_updated: ['tool'],
      frontend_error: ['error_message'],
    };
    for (const [event, fields] of Object.entries(want)) {
      const lines = server.logs.filter((l) => l.event === event);
      expect(lines.length, `no ${event} line`).toBeGreaterThan(0);
      for (const f of fields)
        expect(
          lines.every((l) => l[f] !== undefined),
          `${event} without ${f}`,
        ).toBe(true);
    }
    expect(server.logs.filter((l) => l.event === 'borrow_denied').map((l) => l.reason)).toEqual(
      expect.arrayContaining(['exhausted', 'unknown_tool']),
    );
  });

  it('no field collides with a stream label that Alloy sets', () => {
    for (const l of server.logs) for (const f of STREAM_LABELS) expect(l[f], `${f} in ${JSON.stringify(l)}`).toBeUndefined();
  });
});

describe('every LogQL query in the repo', () => {
  const queries = repoQueries();

  it('there are queries from the dashboards, the docs and the original README', () => {
    expect(queries.filter((q) => q.source.startsWith('floatline-logs')).length).toBeGreaterThan(5);
    expect(queries.filter((q) => q.source === 'docs/observability.md').length).toBeGreaterThanOrEqual(ORIGINAL_QUERIES.length);
  });

  it('selects the stream Alloy ships (job="license-server")', () => {
    for (const q of queries) expect(q.selector, q.source).toEqual({ job: 'license-server' });
  });

  it('filters only on fields Floatline writes, and matches real lines', () => {
    const lines = server.logs.map((l) => ({ l, raw: JSON.stringify(l) }));
    const fields = new Set(server.logs.flatMap((l) => Object.keys(l)));
    for (const q of queries) {
      for (const f of q.filters) expect(fields.has(f.field), `${q.source}: field ${f.field} is in no log line`).toBe(true);
      if (MAY_MATCH_NOTHING.has(q.source)) continue;
      const hits = lines.filter(({ l, raw }) => matches(l, raw, q));
      expect(hits.length, `${q.source}: ${JSON.stringify(q.filters)} matches no log line`).toBeGreaterThan(0);
    }
  });
});
