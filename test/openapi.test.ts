// The OpenAPI document (/openapi.json) against the server that serves it: Redocly's linter
// (recommended rules) finds it clean in both auth modes; the committed openapi.json and the
// CLI's generated types (cli/api-schema.ts) match what the server serves; and every answer
// of a tour through every documented operation — successes and refusals, in both modes — has
// a documented status, a body valid against the documented schema (ajv, JSON Schema
// 2020-12 as OpenAPI 3.1 uses) and its paging and retry headers documented. A route, field or
// status added without its documentation fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { currentDocument, typesFor } from '../server/rest/print-openapi.ts';

type Json = Record<string, any>;
/** Operations that answered a success in either mode's tour. */
const succeeded = new Set<string>();
const ADMIN_TOKEN = 'openapi-admin-token-0123456789abcdef';

/** Checks answers against a document; remembers which operations answered which statuses. */
class Conformance {
  readonly seen = new Map<string, Set<string>>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: { method: string; template: string; pattern: RegExp; op: Json }[] = [];

  constructor(readonly doc: Json) {
    (addFormats as unknown as (a: Ajv2020) => void)(this.ajv);
    for (const [template, item] of Object.entries<Json>(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries<Json>(item)) this.templates.push({ method: method.toUpperCase(), template, pattern, op });
    }
  }

  async check(method: string, url: string, res: Response): Promise<{ status: number; json: any; res: Response }> {
    const path = new URL(url, 'http://x').pathname;
    const found = this.templates.find((t) => t.method === method && t.pattern.test(path));
    expect(found, `${method} ${path} is documented`).toBeDefined();
    const key = `${method} ${found!.template}`;
    const status = String(res.status);
    const documented = found!.op.responses[status];
    expect(documented, `${key} documents status ${status}`).toBeDefined();
    if (!this.seen.has(key)) this.seen.set(key, new Set());
    this.seen.get(key)!.add(status);
    if (res.status < 300) succeeded.add(key);

    for (const name of ['x-next-before', 'link', 'retry-after', 'www-authenticate']) {
      if (!res.headers.has(name)) continue;
      const names = Object.keys(documented.headers ?? {}).map((h) => h.toLowerCase());
      expect(names, `${key} ${status} documents its ${name} header`).toContain(name);
    }
    const text = await res.text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = documented.content?.[type];
    if (text === '') return { status: res.status, json: undefined, res };
    expect(media, `${key} ${status} documents its ${type} body`).toBeDefined();
    const json = type === 'application/json' ? JSON.parse(text) : text;
    const validate = this.ajv.compile({ ...media.schema, components: this.doc.components });
    const valid = validate(json);
    expect(valid ? [] : validate.errors, `${key} ${status}: ${text.slice(0, 300)}`).toEqual([]);
    return { status: res.status, json, res };
  }
}

/** Sends a request and checks its answer; bodies go as JSON unless a content-type is given. */
function client(s: InProcessServer, c: Conformance, auth?: string) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...headers };
    if (auth) h.authorization = `Bearer ${auth}`;
    // A body goes as JSON unless the caller names its type (text/plain for observed snapshots and logs).
    const json = body !== undefined && h['content-type'] === undefined;
    if (json) h['content-type'] = 'application/json';
    const res = await s.fetch(url, {
      method,
      headers: h,
      body: body === undefined ? undefined : json ? JSON.stringify(body) : String(body),
    });
    return c.check(method, url, res);
  };
}

function lint(doc: Json): string {
  const dir = mkdtempSync(join(tmpdir(), 'floatline-redocly-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/redocly'), ['lint', '--extends', 'recommended', '--format', 'json', file], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    expect(r.error, 'redocly runs').toBeUndefined();
    const report = JSON.parse(r.stdout) as { problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    return report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('OpenAPI document, open mode', () => {
  let s: InProcessServer;
  let doc: Json;
  let c: Conformance;
  beforeAll(async () => {
    s = await startInProcess();
    doc = (await (await s.fetch('/openapi.json')).json()) as Json;
    c = new Conformance(doc);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('is OpenAPI 3.1 and lint-clean under Redocly recommended rules', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(lint(doc)).toBe('');
  });

  it('names an operation, its security and its errors on every route', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        ids.add(op.operationId);
        expect(Array.isArray(op.security), `${method} ${path} security`).toBe(true);
        expect(op.responses['500']?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    expect(ids.size).toBe(Object.values<Json>(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0));
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    expect(doc.paths['/licenses/borrow'].post.security).toEqual([{ bearer: [] }, { session: [] }, {}]);
    expect(doc.paths['/version'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/borrows'].get.responses['200'].headers)).toEqual(['X-Request-ID', 'X-Next-Before', 'Link']);
    expect(Object.keys(doc.paths['/licenses/status'].get.responses['503'].headers)).toContain('Retry-After');
    expect(doc.paths['/licenses/borrow'].post.parameters.find((p: Json) => p.name === 'idempotency-key').description).toMatch(/same key/);
  });

  it('puts `required` on every object schema', () => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Json;
      if (n.type === 'object' || (Array.isArray(n.type) && n.type.includes('object')) || n.properties) {
        if (!Array.isArray(n.required)) missing.push(at);
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        for (const [status, response] of Object.entries<Json>(op.responses)) walk(response, `${method} ${path} ${status}`);
      }
    }
    walk(doc.components.schemas, 'components');
    expect(missing).toEqual([]);
  });

  it('matches the committed openapi.json and cli/api-schema.ts (npm run openapi:print)', async () => {
    const document = await currentDocument();
    expect(document === readFileSync(join(ROOT, 'openapi.json'), 'utf8'), 'openapi.json is current: run npm run openapi:print').toBe(true);
    const types = await typesFor(document);
    expect(types === readFileSync(join(ROOT, 'cli/api-schema.ts'), 'utf8'), 'cli/api-schema.ts is current: run npm run openapi:print').toBe(
      true,
    );
  });

  it('answers every operation as documented, successes and refusals', async () => {
    const call = client(s, c);
    // Pools, status, budgets.
    await call('GET', '/version');
    await call('GET', '/licenses/status');
    await call('GET', '/licenses/cad_tool/status');
    await call('GET', '/licenses/nope/status');
    await call('GET', '/config/budget');
    const pool = { tool: 'tour', total: 2, commit: 1, max_overage: 1, commit_price: 10, overage_price_per_license: 5 };
    expect((await call('POST', '/config/tools', pool)).status).toBe(201);
    await call('POST', '/config/tools', pool); // 409
    await call('POST', '/config/tools', { tool: 'x' }); // 422
    await call('PUT', '/config/budget', { ...pool, total: 3 });
    await call('PUT', '/config/budget', { ...pool, commit: 9 }); // 422 commit above total
    // Borrows, leases, the line, charges.
    const b1 = await call('POST', '/licenses/borrow', { tool: 'tour', user: 'ann', lease_seconds: 60 }, { 'idempotency-key': 'tour-1' });
    expect(b1.status).toBe(200);
    await call('POST', '/licenses/borrow', { tool: 'tour', user: 'ann', lease_seconds: 60 }, { 'idempotency-key': 'tour-1' });
    const b2 = await call('POST', '/licenses/borrow', { tool: 'tour', user: 'bob', project: 'wing' });
    await call('POST', '/licenses/borrow', { tool: 'tour', user: 'cy' }); // overage seat
    await call('PUT', '/config/budget', { ...pool, total: 1 }); // 400 below current borrows
    await call('POST', '/licenses/borrow', { tool: 'tour', user: 'dee' }); // 409
    await call('POST', '/licenses/borrow', { tool: 'nope', user: 'dee' }); // 404
    await call('POST', '/licenses/borrow', { tool: 'tour' }); // 422
    const ticket = await call('POST', '/licenses/borrow', { tool: 'tour', user: 'dee', queue: true });
    expect(ticket.status).toBe(202);
    await call('GET', '/queue?tool=tour&limit=1');
    await call('GET', '/queue?tool=nope');
    await call('GET', `/queue/${ticket.json.ticket_id}`);
    await call('GET', '/queue/nope');
    await call('DELETE', `/queue/${ticket.json.ticket_id}`);
    await call('POST', '/licenses/heartbeat', { id: b1.json.id });
    await call('POST', '/licenses/heartbeat', { id: 'nope' });
    await call('GET', '/borrows?limit=1');
    await call('GET', '/borrows?limit=0'); // 422
    await call('GET', '/overage-charges?limit=1');
    await call('GET', '/overage-charges?before=garbage'); // 422
    await call('POST', '/licenses/revoke', { id: b2.json.id, reason: 'tour' });
    await call('POST', '/licenses/heartbeat', { id: b2.json.id }); // 410
    await call('POST', '/licenses/return', { id: b1.json.id });
    await call('POST', '/licenses/return', { id: b1.json.id }); // 404
    // Teams and shares.
    await call('POST', '/teams', { name: 'wing' });
    await call('POST', '/teams', { name: 'wing' }); // 409
    await call('GET', '/teams');
    await call('PUT', '/teams/wing/members', { users: ['ann', 'bob'] });
    await call('PUT', '/teams/nope/members', { users: [] });
    await call('PUT', '/config/tools/tour/shares', { shares: [{ team: 'wing', reserved: 1, max: 2 }] });
    await call('PUT', '/config/tools/tour/shares', { shares: [{ team: 'wing', reserved: 9 }] }); // 422
    await call('GET', '/config/tools/tour/shares');
    await call('GET', '/config/tools/nope/shares');
    await call('DELETE', '/teams/wing');
    await call('DELETE', '/teams/wing'); // 404
    // Reports and statements, JSON and CSV.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    await call('GET', `/reports/usage?from=${from}&to=${to}&group_by=user`);
    await call('GET', `/reports/usage.csv?from=${from}&to=${to}`);
    await call('GET', '/reports/usage'); // 422 without from/to
    await call('GET', '/statements');
    await call('GET', '/statements.csv?tool=tour');
    await call('GET', '/statements?period=garbage'); // 422
    // Retiring a pool, the browser's error reports, signing out.
    await call('DELETE', '/config/tools/tour'); // 409: a seat is still held
    await call('DELETE', '/config/tools/nope');
    await call('POST', '/config/tools', { ...pool, tool: 'spare' });
    await call('DELETE', '/config/tools/spare');
    await call('POST', '/frontend-error', { message: 'tour', url: 'http://x/' });
    await call('POST', '/frontend-error', { nope: 1 }); // 422
    await call('POST', '/auth/logout');
    await call('GET', '/auth/me');
    await call('POST', '/auth/tokens', { name: 'x' }); // 403: open mode has no identities
    // Observed license servers: a source pushed to (no command), an lmstat -a snapshot and a
    // debug log as text, then its health, pools and history, paged; removing it.
    const observedText = (name: string) => readFileSync(join(ROOT, 'test/fixtures/observed', name), 'utf8');
    const plain = { 'content-type': 'text/plain' };
    expect((await call('POST', '/observed/sources', { name: 'tour-lic', kind: 'flexnet' })).status).toBe(201);
    await call('POST', '/observed/sources', { name: 'tour-lic', kind: 'flexnet' }); // 409
    await call('POST', '/observed/sources', { name: '-bad', kind: 'flexnet' }); // 422
    const snapshot = await call('POST', '/observed/sources/tour-lic/snapshot', observedText('lmstat-v11.txt'), plain);
    expect(snapshot.status).toBe(200);
    expect(snapshot.json.features).toBeGreaterThan(1);
    await call('POST', '/observed/sources/nope/snapshot', 'x', plain); // 404
    const log = await call('POST', '/observed/sources/tour-lic/log', observedText('lmgrd-debug.log'), plain);
    expect(log.status).toBe(200);
    expect(log.json.events).toBeGreaterThan(1);
    await call('POST', '/observed/sources/nope/log', 'x', plain); // 404
    // An observed pool priced per billing period, and its statement by team.
    expect((await call('PUT', '/observed/pools/tour-lic/MATLAB/price', { price: 100 })).status).toBe(200);
    await call('PUT', '/observed/pools/tour-lic/NOPE/price', { price: 1 }); // 404
    await call('PUT', '/observed/pools/tour-lic/MATLAB/price', { price: -1 }); // 422
    expect((await call('GET', '/statements?tool=tour-lic/MATLAB')).json.statements[0].tool).toBe('tour-lic/MATLAB');
    await call('GET', '/observed/sources?limit=1');
    await call('GET', '/observed/sources?limit=0'); // 422
    expect((await call('GET', '/observed/pools?source=tour-lic&limit=1')).res.headers.get('x-next-after')).toBeTruthy();
    await call('GET', '/observed/pools?after=garbage'); // 422
    expect((await call('GET', '/observed/events?source=tour-lic&limit=1')).res.headers.get('link')).toMatch(/rel="next"/);
    await call('GET', '/observed/events?before=x'); // 422
    await call('DELETE', '/observed/sources/tour-lic');
    await call('DELETE', '/observed/sources/tour-lic'); // 404
    // Oversized bodies are 413 on every write.
    await call('POST', '/licenses/return', { id: 'x'.repeat(200_000) });
  });

  it('answers 431 to a request whose headers are too large, as documented for every operation', async () => {
    const listening = await startInProcess({ listen: true });
    try {
      const res = await fetch(`${listening.url}/version`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(doc.paths['/version'].get.responses['431']).toBeDefined();
    } finally {
      await listening.stop();
    }
  });
});

describe('OpenAPI document, AUTH_MODE=required', () => {
  let s: InProcessServer;
  let doc: Json;
  let c: Conformance;
  beforeAll(async () => {
    s = await startInProcess({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: ADMIN_TOKEN } });
    doc = (await (await s.fetch('/openapi.json')).json()) as Json;
    c = new Conformance(doc);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('is lint-clean and needs a credential wherever the server does', () => {
    expect(lint(doc)).toBe('');
    expect(doc.paths['/licenses/borrow'].post.security).toEqual([{ bearer: [] }, { session: [] }]);
  });

  it('answers refusals and the token routes as documented', async () => {
    const anonymous = client(s, c);
    const admin = client(s, c, ADMIN_TOKEN);
    await anonymous('GET', '/licenses/status'); // 401
    await anonymous('POST', '/licenses/borrow', { tool: 'cad_tool' }); // 401
    await anonymous('GET', '/auth/me'); // 401
    await anonymous('GET', '/version');
    const created = await admin('POST', '/auth/tokens', { name: 'viewer', user: 'vic', role: 'viewer' });
    expect(created.status).toBe(201);
    const viewer = client(s, c, created.json.token);
    await viewer('GET', '/auth/me');
    await viewer('POST', '/licenses/borrow', { tool: 'cad_tool' }); // 403
    await viewer('GET', '/audit'); // 403
    await viewer('POST', '/observed/sources', { name: 'viewer-lic', kind: 'rlm' }); // 403
    await viewer('GET', '/observed/pools');
    await admin('GET', '/auth/tokens?limit=1');
    await admin('GET', '/audit?limit=1');
    await admin('GET', '/audit?limit=0'); // 422
    await admin('POST', '/licenses/borrow', { tool: 'cad_tool' });
    await admin('DELETE', `/auth/tokens/${created.json.id}`);
    await admin('DELETE', '/auth/tokens/nope');
  });

  it('both tours reached a success of every documented operation', () => {
    const all = Object.entries<Json>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(all.filter((op) => !succeeded.has(op))).toEqual([]);
  });
});
