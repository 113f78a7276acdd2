// Billing periods, seat-hour overage and the spend cap on two Floatlines sharing one SQLite
// file and two sharing one PostgreSQL database (helpers/pairs.ts), each pair on one clock the
// test moves (helpers/clock.ts), so hours and periods pass when the test says; the lease
// sweep's tick is run when the test says too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAny as fetch, gql, postJson, putJson } from './helpers/server.ts';
import type { InProcessServer as RunningServer } from './helpers/in-process.ts';
import { type Pairs, startPairs } from './helpers/pairs.ts';

let pairs: Pairs;
beforeAll(async () => {
  pairs = await startPairs('billing', { clock: true });
}, 60_000);
afterAll(async () => {
  await pairs?.stop();
});

const status = async (s: RunningServer, tool: string) => (await (await fetch(`${s.url}/licenses/${tool}/status`)).json()) as any;
const charges = async (s: RunningServer, tool: string) =>
  ((await (await fetch(`${s.url}/overage-charges?tool=${tool}&limit=500`)).json()) as any).charges as any[];
const borrow = (s: RunningServer, tool: string, user: string, more: Record<string, unknown> = {}) =>
  postJson(`${s.url}/licenses/borrow`, { tool, user, ...more });
const giveBack = (s: RunningServer, id: string) => postJson(`${s.url}/licenses/return`, { id });

for (const db of ['SQLite', 'PostgreSQL'] as const) {
  describe(`billing on ${db}`, () => {
    const setClock = (iso: string) => pairs.clock[db]!.set(iso);
    const pool = async (tool: string, extra: Record<string, unknown>) => {
      const [a] = pairs[db];
      const body = { tool, total: 10, commit: 1, max_overage: 5, commit_price: 100, overage_price_per_license: 10, ...extra };
      const r = await postJson(`${a!.url}/config/tools`, body);
      expect(r.status).toBe(201);
      return r.json;
    };

    it('settings go through REST and GraphQL, are validated naming the field, and are audited', async () => {
      const [a] = pairs[db];
      setClock('2026-11-10T10:00:00Z');
      const created = await pool('bset', { billing_day: 15, overage_mode: 'per_seat_hour', spend_cap: 50 });
      // New fields after the seed's, in order.
      expect(Object.keys(created).slice(-6)).toEqual([
        'overage_mode',
        'billing_day',
        'period_start',
        'period_end',
        'period_overage_cost',
        'spend_cap',
      ]);
      expect(created).toMatchObject({
        overage_mode: 'per_seat_hour',
        billing_day: 15,
        period_start: '2026-10-15T00:00:00.000Z',
        period_end: '2026-11-15T00:00:00.000Z',
        period_overage_cost: 0,
        spend_cap: 50,
      });
      const base = { tool: 'bset', total: 10, commit: 1, max_overage: 5, commit_price: 100, overage_price_per_license: 10 };
      for (const [field, value] of [
        ['billing_day', 29],
        ['billing_day', 0],
        ['overage_mode', 'per_minute'],
        ['spend_cap', -1],
      ] as const) {
        const r = await putJson(`${a!.url}/config/budget`, { ...base, [field]: value });
        expect(r.status).toBe(422);
        expect(r.json.detail[0].loc).toEqual(['body', field]);
      }
      // Absent fields stay; null clears the cap.
      expect((await putJson(`${a!.url}/config/budget`, { ...base, spend_cap: null })).status).toBe(200);
      const budget = ((await (await fetch(`${a!.url}/config/budget`)).json()) as any).tools.find((t: any) => t.tool === 'bset');
      expect(budget).toMatchObject({ lease_seconds: null, overage_mode: 'per_seat_hour', billing_day: 15, spend_cap: null });
      expect(Object.keys(budget).indexOf('overage_mode')).toBe(Object.keys(budget).indexOf('lease_seconds') + 1);

      const mutation = `mutation($input: BudgetInput!) { updateBudget(input: $input) {
        __typename ... on Pool { billingDay overageMode spendCap periodStart periodOverageCost }
        ... on InvalidInput { field message } } }`;
      const bad = await gql(a!.url, mutation, { input: { ...gqlBudget(base), billingDay: 31 } });
      expect(bad.data?.updateBudget).toMatchObject({ __typename: 'InvalidInput', field: 'billingDay' });
      const good = await gql(a!.url, mutation, { input: { ...gqlBudget(base), billingDay: 1, overageMode: 'PER_BORROW', spendCap: 20 } });
      expect(good.data?.updateBudget).toMatchObject({
        __typename: 'Pool',
        billingDay: 1,
        overageMode: 'PER_BORROW',
        spendCap: 20,
        periodStart: '2026-11-01T00:00:00.000Z',
      });
      const audit = (await (await fetch(`${a!.url}/audit?tool=bset&limit=1`)).json()) as any;
      expect(audit.events[0]).toMatchObject({
        action: 'budget_changed',
        detail: { before: { billing_day: 15, spend_cap: null }, after: { billing_day: 1, spend_cap: 20, overage_mode: 'per_borrow' } },
      });
    });

    it('per seat-hour: ten borrows and returns in a minute pay one seat-hour; a new hour is charged across the boundary', async () => {
      const [a, b] = pairs[db];
      setClock('2026-11-10T10:00:00Z');
      await pool('bhour', { overage_mode: 'per_seat_hour' });
      const commitSeat = await borrow(a!, 'bhour', 'keeper');
      expect(commitSeat.status).toBe(200);
      for (let i = 0; i < 10; i++) {
        setClock(new Date(Date.parse('2026-11-10T10:00:00Z') + i * 5000).toISOString());
        const got = await borrow(i % 2 ? a! : b!, 'bhour', 'hopper');
        expect(got.status).toBe(200);
        expect((await giveBack(i % 2 ? b! : a!, got.json.id)).status).toBe(200);
      }
      expect(await charges(a!, 'bhour')).toHaveLength(1);
      expect(await status(b!, 'bhour')).toMatchObject({ current_overage_cost: 10, period_overage_cost: 10 });

      // Held from 10:30 (its slot paid until 11:00): the hour starting 11:00 is charged by the sweep.
      setClock('2026-11-10T10:30:00Z');
      const held = await borrow(a!, 'bhour', 'holder');
      expect((await charges(a!, 'bhour')).length).toBe(1);
      setClock('2026-11-10T11:00:30Z');
      await a!.floatline.licenses.sweepLeases(); // the sweep's tick charges the next seat-hour
      expect(await status(a!, 'bhour')).toMatchObject({ current_overage_cost: 20 });
      const list = await charges(b!, 'bhour');
      expect(list).toHaveLength(2);
      expect(list[0]).toMatchObject({
        user: 'holder',
        borrow_id: held.json.id,
        charged_at: '2026-11-10T11:00:00.000Z',
        amount: 10,
        kind: 'seat_hour',
      });
      // Two overage seats at once pay two seat-hours.
      const second = await borrow(b!, 'bhour', 'second');
      expect(second.status).toBe(200);
      expect(await status(a!, 'bhour')).toMatchObject({ current_overage_cost: 30, period_overage_cost: 30, overage: 2 });
      // Returned and borrowed again within its hour: nothing more.
      await giveBack(a!, second.json.id);
      expect((await borrow(a!, 'bhour', 'second')).status).toBe(200);
      expect(await charges(a!, 'bhour')).toHaveLength(3);
    });

    it('per borrow (the default) charges every overage borrow as before', async () => {
      const [a, b] = pairs[db];
      setClock('2026-11-10T10:00:00Z');
      const created = await pool('bborrow', {});
      expect(created).toMatchObject({ overage_mode: 'per_borrow', billing_day: 1, spend_cap: null });
      expect((await borrow(a!, 'bborrow', 'keeper')).status).toBe(200);
      for (let i = 0; i < 3; i++) {
        const got = await borrow(i % 2 ? a! : b!, 'bborrow', 'hopper');
        await giveBack(a!, got.json.id);
      }
      expect(await charges(a!, 'bborrow')).toHaveLength(3);
      expect(await status(a!, 'bborrow')).toMatchObject({ current_overage_cost: 30, period_overage_cost: 30 });
    });

    it('the spend cap refuses with spend_cap (REST, GraphQL, history, metric) and resets in the next period', async () => {
      const [a, b] = pairs[db];
      // Ten minutes before the period ends: the waiter's lease outlives the jump into the next one.
      setClock('2026-11-30T23:50:00Z');
      await pool('bcap', { commit: 0, spend_cap: 25 });
      expect((await borrow(a!, 'bcap', 'u1')).status).toBe(200);
      expect((await borrow(b!, 'bcap', 'u2')).status).toBe(200);
      const refused = await borrow(a!, 'bcap', 'u3');
      expect(refused.status).toBe(409);
      expect(refused.json.detail).toContain('spend_cap');
      const viaGql = await gql(
        b!.url,
        `mutation { borrowLicense(tool: "bcap", user: "u4") { __typename ... on NoLicenseAvailable { reason } } }`,
      );
      expect(viaGql.data ?? viaGql.errors).toMatchObject({ borrowLicense: { __typename: 'NoLicenseAvailable', reason: 'SPEND_CAP' } });
      expect(await status(a!, 'bcap')).toMatchObject({ period_overage_cost: 20, spend_cap: 25, borrowed: 2 });
      const events = await gql(a!.url, '{ events(tool: "bcap", first: 5) { nodes { type reason } } }');
      expect(events.data?.events.nodes).toContainEqual({ type: 'DENIED', reason: 'SPEND_CAP' });
      const metrics = await (await fetch(`${a!.url}/metrics`)).text();
      expect(metrics).toMatch(/license_borrow_failure_total\{[^}]*reason="spend_cap"[^}]*\} [1-9]/);

      // A waiter whose grant would pass the cap keeps waiting; a new period seats it.
      const waiter = await borrow(b!, 'bcap', 'waiter', { queue: true, lease_seconds: 3600 });
      expect(waiter.status).toBe(202);
      setClock('2026-12-01T00:00:01Z');
      await a!.floatline.licenses.sweepLeases(); // the sweep's tick seats the waiter in the new period
      expect(((await (await fetch(`${a!.url}/queue/${waiter.json.ticket_id}`)).json()) as any).state).toBe('granted');
      expect(await status(a!, 'bcap')).toMatchObject({
        period_start: '2026-12-01T00:00:00.000Z',
        period_overage_cost: 10,
        current_overage_cost: 30,
        borrowed: 3,
      });
      expect((await borrow(a!, 'bcap', 'u5')).status).toBe(200);
      expect((await borrow(a!, 'bcap', 'u6')).status).toBe(409);

      // A new billing day moves the period at once; its spend is counted again from the charges
      // (2 Nov - 2 Dec holds all four).
      const base = { tool: 'bcap', total: 10, commit: 0, max_overage: 5, commit_price: 100, overage_price_per_license: 10 };
      expect((await putJson(`${b!.url}/config/budget`, { ...base, billing_day: 2 })).status).toBe(200);
      expect(await status(a!, 'bcap')).toMatchObject({
        billing_day: 2,
        period_start: '2026-11-02T00:00:00.000Z',
        period_end: '2026-12-02T00:00:00.000Z',
        period_overage_cost: 40,
        current_overage_cost: 40,
        spend_cap: 25,
      });
    });

    it('a burst of simultaneous overage borrows on two instances never passes the cap', async () => {
      const [a, b] = pairs[db];
      setClock('2026-11-20T10:00:00Z');
      await pool('bburst', { total: 60, commit: 0, max_overage: 60, spend_cap: 100 });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => borrow(i % 2 ? a! : b!, 'bburst', `burst${i}`)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      for (const r of results.filter((r) => r.status !== 200)) expect(r.json.detail).toContain('spend_cap');
      expect(await status(a!, 'bburst')).toMatchObject({ borrowed: 10, period_overage_cost: 100, current_overage_cost: 100 });
      expect(await charges(b!, 'bburst')).toHaveLength(10);
    });
  });
}

const gqlBudget = (b: Record<string, unknown>) => ({
  tool: b.tool,
  total: b.total,
  commit: b.commit,
  maxOverage: b.max_overage,
  commitPrice: b.commit_price,
  overagePricePerLicense: b.overage_price_per_license,
});
