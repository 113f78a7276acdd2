// Reads never write unbounded rows: a statement of a closed period is stored only for a
// period the pool is known to have existed in (its first event or first frozen statement
// lies before the period's end), and never overlapping a frozen one — a billing-day change
// starts the running period where the last frozen one ended. SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessServer } from './helpers/in-process.ts';
import { DATABASES, startOn } from './helpers/each-database.ts';
import { billingPeriod } from '../server/licenses/billing-periods.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const monthsAgo = (n: number, dayOfMonth: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, dayOfMonth));
};

async function statements(s: InProcessServer, query: string) {
  const r = await s.fetch(`/statements?${query}`);
  expect(r.status, query).toBe(200);
  return ((await r.json()) as { statements: { tool: string; period_start: string; period_end: string; closed: boolean }[] }).statements;
}
const stored = (s: InProcessServer) =>
  s.floatline.database.prisma.statement.findMany({ orderBy: [{ tool: 'asc' }, { periodStart: 'asc' }] });

describe.each(DATABASES)('statement bounds, on %s', (db) => {
  let s: InProcessServer;
  beforeAll(async () => {
    s = await startOn(db, { timers: false });
  });
  afterAll(() => s?.stop());

  it('a period before the pool existed answers no statement and stores nothing, however many ask', async () => {
    expect(await statements(s, 'period=1999-03-05')).toEqual([]);
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: statements(period: "${1990 + i}-03-05") { tool total }`).join(' ');
    const r = await s.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    const body = (await r.json()) as { data: Record<string, unknown[]> };
    expect(Object.values(body.data).flat()).toEqual([]);
    expect(await stored(s)).toEqual([]);
  });

  it('freezes only from the pool’s first known event, and never overlapping a frozen period', async () => {
    const prisma = s.floatline.database.prisma;
    // cad_tool is known from the middle of the month three months ago.
    const born = monthsAgo(3, 10);
    await prisma.licenseEvent.create({ data: { at: born, type: 'pool_created', tool: 'cad_tool', borrowed: 0, total: 5 } });

    expect(await statements(s, `tool=cad_tool&period=${day(monthsAgo(4, 20))}`)).toEqual([]);
    const first = await statements(s, `tool=cad_tool&period=${day(monthsAgo(3, 20))}`);
    expect(first).toMatchObject([{ tool: 'cad_tool', period_start: monthsAgo(3, 1).toISOString(), closed: true }]);
    // Other pools with nothing recorded get no statement for that month.
    expect((await statements(s, `period=${day(monthsAgo(3, 20))}`)).map((x) => x.tool)).toEqual(['cad_tool']);
    // Last month is frozen on billing day 1; then the billing day moves to 15.
    const last = await statements(s, 'tool=cad_tool&period=previous');
    expect(last[0]).toMatchObject({ period_start: monthsAgo(1, 1).toISOString(), period_end: monthsAgo(0, 1).toISOString() });
    const budget = {
      tool: 'cad_tool',
      total: 5,
      commit: 5,
      max_overage: 0,
      commit_price: 100,
      overage_price_per_license: 1,
      billing_day: 15,
    };
    const put = await s.fetch('/config/budget', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(budget),
    });
    expect(put.status).toBe(200);

    // A date inside the frozen month answers the frozen month, not a new overlapping period.
    const inside = await statements(s, `tool=cad_tool&period=${day(monthsAgo(1, 20))}`);
    expect(inside[0]).toMatchObject({ period_start: monthsAgo(1, 1).toISOString(), period_end: monthsAgo(0, 1).toISOString() });
    // The period two months ago on the new day (the 15th to the 15th) is cut where the frozen month begins.
    const before = await statements(s, `tool=cad_tool&period=${day(monthsAgo(2, 20))}`);
    expect(before[0]).toMatchObject({ period_start: monthsAgo(2, 15).toISOString(), period_end: monthsAgo(1, 1).toISOString() });
    // The running period starts where the last frozen one ended.
    const current = await statements(s, 'tool=cad_tool');
    const running = billingPeriod(new Date(), 15);
    const expectedStart = Math.max(running.start.getTime(), monthsAgo(0, 1).getTime());
    expect(current[0]).toMatchObject({
      period_start: new Date(expectedStart).toISOString(),
      period_end: running.end.toISOString(),
      closed: false,
    });

    // No two stored statements of the pool overlap.
    const rows = (await stored(s)).filter((r) => r.tool === 'cad_tool');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.periodStart.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.periodEnd.getTime());
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });
});
