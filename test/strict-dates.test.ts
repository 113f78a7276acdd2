// Dates are read strictly at every door: ISO-8601, years 1970–9999, real calendar days. A
// wrong DateTime is refused with BAD_USER_INPUT and the same status every time — also once
// graphql-jit has compiled the operation (it answered 500 from the second try) — and never
// read from a number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessServer } from './helpers/in-process.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';

async function gql(s: InProcessServer, query: string, variables?: Record<string, unknown>) {
  const r = await s.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: r.status, body: (await r.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe.each(DATABASES)('strict dates, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { timers: false });
  });
  afterAll(() => s?.stop());

  it('a DateTime variable of the wrong kind is 400 BAD_USER_INPUT on every repeat', async () => {
    const q = 'query Q($f: DateTime!, $t: DateTime!) { usageReport(from: $f, to: $t) { csv } }';
    for (const f of ['not-a-date', 5, '2026-02-30', '0099-05-05', true, '1700000000000']) {
      const statuses = new Set<number>();
      for (let i = 0; i < 4; i++) {
        const r = await gql(s, q, { f, t: '2026-11-02T00:00:00Z' });
        statuses.add(r.status);
        expect(r.status, `${JSON.stringify(f)} try ${i + 1}`).toBeLessThan(500);
        expect(r.body.data, `${JSON.stringify(f)} try ${i + 1}`).toBeUndefined();
        expect(r.body.errors?.[0]?.extensions?.code, `${JSON.stringify(f)} try ${i + 1}`).toBe('BAD_USER_INPUT');
        expect(r.body.errors?.[0]?.message, JSON.stringify(r.body.errors)).toContain('DateTime');
      }
      // The same answer whether or not graphql-jit has compiled the operation yet.
      expect([...statuses], JSON.stringify(f)).toHaveLength(1);
    }
    const ok = await gql(s, q, { f: '2026-11-01', t: '2026-11-02T00:00:00Z' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.usageReport.csv).toContain('\n');
  });

  it('a DateTime literal must be a real date in a string', async () => {
    for (const since of ['"yesterday"', '5', '"2026-02-30"', '"1969-12-31T23:59:59Z"']) {
      const r = await gql(s, `{ auditEvents(since: ${since}) { nodes { id } } }`);
      expect(r.status, since).toBeLessThan(500);
      expect(r.body.data, since).toBeUndefined();
      expect(r.body.errors?.[0]?.extensions?.code, since).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.message, since).not.toBe('Unexpected error.');
    }
  });

  it('statement periods are real days from 1970 on, on REST and GraphQL alike', async () => {
    for (const period of ['0001-01-01', '0099-05-05', '2026-02-30', '1000-03-05', '2026-13-01']) {
      const rest = await s.fetch(`/statements?period=${period}`);
      expect(rest.status, period).toBe(422);
      const body = (await rest.json()) as { detail: { loc: string[]; msg: string }[] };
      expect(body.detail[0]!.loc).toEqual(['query', 'period']);
      expect(body.detail[0]!.msg).toContain('1970 to 9999');
      const g = await gql(s, `{ statements(period: "${period}") { periodStart } }`);
      expect(g.body.errors?.[0]?.extensions?.code, period).toBe('BAD_USER_INPUT');
      expect(g.body.errors?.[0]?.message).toContain('period');
    }
    const rest = await s.fetch('/reports/usage?from=2026-02-30&to=2026-03-02');
    expect(rest.status).toBe(422);
    expect(((await rest.json()) as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['query', 'from']);
  });
});
