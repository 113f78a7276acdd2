// Every list is paged on both transports: pages are stable and complete while rows are
// added, no answer holds more than MAX_PAGE_SIZE rows, and GraphQL refuses, before running,
// queries whose lists could build a huge answer (cost) or nest introspection absurdly deep.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { fetchAny as fetch, gql, postJson } from './helpers/server.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { assertClientBuilt, launchChromium, watchPageErrors } from './helpers/browser.ts';
import { onPostgres, postgresAdminUrl } from './helpers/postgres.ts';

const MAX = 500; // server/licenses/limits.ts MAX_PAGE_SIZE, as documented
// Each test gets a fresh in-process server (the dashboard test a real process for the
// browser) and makes the rows it pages through.
let s: InProcessServer;
let inProcess: InProcessServer;
let seq = 0;

async function allowManyBorrows(): Promise<void> {
  // Room for many borrows, nearly all of them overage (each one records a charge).
  const budget = await fetch(`${s.url}/config/budget`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tool: 'cad_tool',
      total: 2000,
      commit: 1,
      max_overage: 1999,
      commit_price: 1000,
      overage_price_per_license: 10,
    }),
  });
  expect(budget.status).toBe(200);
}
beforeEach(async () => {
  inProcess = await startInProcess();
  s = inProcess;
  await allowManyBorrows();
});
afterEach(async () => {
  await inProcess?.stop();
});

async function borrow(user = `p${seq++}`): Promise<string> {
  const r = await postJson(`${s.url}/licenses/borrow`, { tool: 'cad_tool', user });
  expect(r.status).toBe(200);
  return r.json.id as string;
}

async function borrowMany(n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => borrow(`${prefix}${i + j}`)));
  }
}

const BORROWS_PAGE = `query($first: Int, $after: String) { borrows(first: $first, after: $after) {
  totalCount edges { cursor node { id user } } pageInfo { hasNextPage endCursor } } }`;
const CHARGES_PAGE = `query($first: Int, $after: String) { overageCharges(tool: "cad_tool", first: $first, after: $after) {
  nodes { id borrowId } pageInfo { hasNextPage endCursor } } }`;
const EVENTS_PAGE = `query($first: Int, $after: String) { events(tool: "cad_tool", first: $first, after: $after) {
  nodes { id type } pageInfo { hasNextPage endCursor } } }`;

/** Walks every page of a GraphQL connection, borrowing one more seat after each page. */
async function walkGraphQL(query: string, field: string, first: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const r = await gql(s.url, query, { first, after });
    expect(r.errors).toBeUndefined();
    const page = r.data[field];
    const nodes = page.nodes ?? page.edges.map((e: any) => e.node);
    expect(nodes.length).toBeLessThanOrEqual(first);
    ids.push(...nodes.map((n: any) => String(n.id)));
    pages += 1;
    await borrow(); // rows added while the walk goes on
    if (!page.pageInfo.hasNextPage) return { ids, pages };
    after = page.pageInfo.endCursor;
  }
}

describe('pages', () => {
  it('walks GET /borrows page by page through Link rel="next", complete and without duplicates while borrows are added', async () => {
    await borrowMany(23, 'rest-walk-');
    const before = ((await (await fetch(`${s.url}/borrows?limit=${MAX}`)).json()) as { id: string }[]).map((b) => b.id);
    const seen: string[] = [];
    let next: string | null = '/borrows?limit=7';
    let pages = 0;
    while (next) {
      const res: Response = await fetch(`${s.url}${next}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: string; tool: string; user: string; borrowed_at: string }[];
      expect(Array.isArray(body)).toBe(true);
      expect(body.length).toBeLessThanOrEqual(7);
      if (body.length > 0)
        expect(Object.keys(body[0]!)).toEqual(['id', 'tool', 'user', 'borrowed_at', 'expires_at', 'host', 'project', 'team']);
      seen.push(...body.map((b) => b.id));
      pages += 1;
      await borrow();
      const link = res.headers.get('link');
      const cursor = res.headers.get('x-next-before');
      if (link) {
        const m = /^<([^>]+)>; rel="next"$/.exec(link);
        expect(m).not.toBeNull();
        expect(new URL(m![1]!, s.url).searchParams.get('before')).toBe(cursor);
        expect(new URL(m![1]!, s.url).searchParams.get('limit')).toBe('7');
        next = m![1]!;
      } else {
        expect(cursor).toBeNull();
        next = null;
      }
    }
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before); // same rows, same order
  });

  it('walks borrows, overage charges and events over GraphQL, complete and without duplicates while rows are added', async () => {
    await borrowMany(24, 'gql-walk-'); // more than 20 rows in each list
    for (const [query, field] of [
      [BORROWS_PAGE, 'borrows'],
      [CHARGES_PAGE, 'overageCharges'],
      [EVENTS_PAGE, 'events'],
    ] as const) {
      const all = (await gql(s.url, query, { first: MAX })).data[field];
      const existing = (all.nodes ?? all.edges.map((e: any) => e.node)).map((n: any) => String(n.id));
      expect(existing.length).toBeGreaterThan(20);
      const { ids, pages } = await walkGraphQL(query, field, 6);
      expect(pages).toBeGreaterThan(3);
      expect(new Set(ids).size, field).toBe(ids.length);
      expect(
        ids.filter((id) => existing.includes(id)),
        field,
      ).toEqual(existing);
    }
  });

  it('counts the whole list in totalCount and starts a page right after the cursor', async () => {
    await borrowMany(8, 'count-');
    const first = (await gql(s.url, BORROWS_PAGE, { first: 3 })).data.borrows;
    const rest = (await gql(s.url, BORROWS_PAGE, { first: 3, after: first.pageInfo.endCursor })).data.borrows;
    const both = (await gql(s.url, BORROWS_PAGE, { first: 6 })).data.borrows;
    expect([...first.edges, ...rest.edges].map((e: any) => e.node.id)).toEqual(both.edges.map((e: any) => e.node.id));
    expect(first.edges.at(-1).cursor).toBe(first.pageInfo.endCursor);
    const count = ((await (await fetch(`${s.url}/borrows?limit=${MAX}`)).json()) as unknown[]).length;
    expect(first.totalCount).toBe(count);
  });
});

describe('page size', () => {
  it('never answers more than the maximum on either transport, and says where the next page is', async () => {
    await borrowMany(MAX + 10 - (await gql(s.url, '{ borrows { totalCount } }')).data.borrows.totalCount, 'many-');
    const res = await fetch(`${s.url}/borrows`);
    const body = (await res.json()) as unknown[];
    expect(body).toHaveLength(MAX); // the default is the maximum: seed clients see everything up to it
    expect(res.headers.get('link')).toMatch(/^<\/borrows\?before=[^>]+>; rel="next"$/);
    const rest = (await (await fetch(`${s.url}/borrows?before=${res.headers.get('x-next-before')}`)).json()) as unknown[];
    expect(rest.length).toBeGreaterThanOrEqual(10);

    const charges = await fetch(`${s.url}/overage-charges`);
    expect(Object.keys((await charges.json()) as object)).toEqual(['charges']);
    expect(((await (await fetch(`${s.url}/overage-charges?limit=3&tool=cad_tool`)).json()) as { charges: unknown[] }).charges).toHaveLength(
      3,
    );

    const page = (await gql(s.url, `{ borrows(first: ${MAX}) { nodes { id } pageInfo { hasNextPage } } }`)).data.borrows;
    expect(page.nodes).toHaveLength(MAX);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect((await gql(s.url, '{ borrows { nodes { id } } }')).data.borrows.nodes).toHaveLength(50);
  });

  it('refuses a page size out of range or a foreign cursor with a 4xx naming the parameter', async () => {
    for (const [query, loc, msg] of [
      [`limit=${MAX + 1}`, 'limit', `Input should be less than or equal to ${MAX}`],
      ['limit=0', 'limit', 'Input should be greater than or equal to 1'],
      ['limit=ten', 'limit', 'Input should be a valid integer'],
    ] as const) {
      for (const path of ['/borrows', '/overage-charges']) {
        const r = await fetch(`${s.url}${path}?${query}`);
        expect(r.status, `${path}?${query}`).toBe(422);
        expect(await r.json()).toEqual({ detail: [expect.objectContaining({ loc: ['query', loc], msg })] });
      }
    }
    for (const path of ['/borrows', '/overage-charges']) {
      const r = await fetch(`${s.url}${path}?before=not-a-cursor`);
      expect(r.status).toBe(422);
      expect(await r.json()).toEqual({
        detail: [{ loc: ['query', 'before'], msg: 'before is not a cursor this server issued', type: 'value_error' }],
      });
    }
    const tooMany = await gql(s.url, `{ overageCharges(first: ${MAX + 1}) { nodes { id } } }`);
    expect(tooMany.errors?.[0]?.message).toBe(`first must be an integer from 1 to ${MAX}`);
    expect((tooMany.errors?.[0] as { extensions?: unknown } | undefined)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    const badCursor = await gql(s.url, '{ events(after: "eyJ4Ijoi") { nodes { id } } }');
    expect(badCursor.errors?.[0]?.message).toBe('after is not a cursor this server issued');
  });
});

describe('dashboard with more rows than a page', () => {
  it('counts every charge, totals them all and lists the newest 50', async () => {
    assertClientBuilt();
    // Chromium needs a socket: this instance listens on one.
    const real = await startInProcess({ listen: true });
    s = real;
    try {
      await allowManyBorrows();
      await borrowMany(60 - Math.min(60, (await gql(s.url, '{ overageCharges { totalCount } }')).data.overageCharges.totalCount), 'dash-');
      const { totalCount } = (await gql(s.url, '{ overageCharges { totalCount } }')).data.overageCharges;
      const overage = (await gql(s.url, '{ costSummary { overage } }')).data.costSummary.overage as number;
      expect(totalCount).toBeGreaterThan(50);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        watchPageErrors(page, errors);
        await page.goto(s.url);
        const wait = { timeout: 15_000 };
        await expect.poll(() => page.locator('#charges-title .count').innerText(), wait).toBe(String(totalCount));
        await expect.poll(() => page.getByTestId('charges-table').locator('tbody tr').count(), wait).toBe(50);
        await expect
          .poll(() => page.locator('section[aria-labelledby="charges-title"]').innerText(), wait)
          .toContain(`Showing the newest 50 of ${totalCount}.`);
        const footer = await page.getByTestId('charges-table').locator('tfoot td').innerText();
        expect(Number(footer.replace(/[^0-9.]/g, ''))).toBe(overage);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      await real.stop();
    }
  });
});

describe('GraphQL cost and introspection limits', () => {
  const charges = (alias: string, first?: number) =>
    `${alias}: overageCharges${first ? `(first: ${first})` : ''} { edges { cursor node { id tool borrowId user chargedAt amount } } pageInfo { hasNextPage endCursor } }`;

  it('refuses 15 aliases of a full overageCharges page by cost, before anything runs', async () => {
    const query = `{ ${Array.from({ length: 15 }, (_, i) => charges(`c${i}`, MAX)).join(' ')} }`;
    const r = await postJson(`${s.url}/graphql`, { query });
    expect(r.json.data).toBeUndefined();
    expect(r.json.errors).toHaveLength(1);
    expect(r.json.errors[0].message).toMatch(/^Query cost \d+ exceeds the limit of 12000/);
    expect(r.json.errors[0].extensions).toMatchObject({ code: 'QUERY_COST_EXCEEDED' });
    // A variable page size counts as the largest page it could ask for.
    const viaVariable = await gql(
      s.url,
      `query($n: Int) { ${Array.from({ length: 5 }, (_, i) => `c${i}: overageCharges(first: $n) { nodes { id tool borrowId user chargedAt amount } }`).join(' ')} }`,
      { n: 1 },
    );
    expect(viaVariable.errors?.[0]?.message).toMatch(/exceeds the limit/);
  });

  it('accepts one full page and the dashboard-sized queries', async () => {
    await borrowMany(3, 'full-');
    const one = await gql(s.url, `{ ${charges('c', MAX)} }`);
    expect(one.errors).toBeUndefined();
    expect(one.data.c.edges.length).toBeGreaterThan(0);
    const dashboard = await gql(
      s.url,
      `{ pools { tool total borrowed available commit maxOverage overage inCommit commitPrice overagePricePerLicense currentOverageCost totalCost }
      borrows(first: 500) { totalCount nodes { id tool user borrowedAt } }
      overageCharges(first: 50) { totalCount nodes { id tool borrowId user chargedAt amount } }
      events(first: 60) { nodes { id at type tool user borrowId reason borrowed total } } }`,
    );
    expect(dashboard.errors).toBeUndefined();
    const usage = await gql(s.url, '{ usage(minutes: 60) { tool total points { at borrowed } } }');
    expect(usage.errors).toBeUndefined();
  });

  it("refuses introspection nested 40 levels deep and runs GraphiQL's introspection query", async () => {
    // graphql-armor's depth limit skips __schema (it already counts __type: 8 levels).
    const schemaDeep = `{ __schema { types { fields { type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } } } } }`;
    const r = await gql(s.url, schemaDeep);
    expect(r.data).toBeUndefined();
    expect(r.errors?.map((e) => e.message)).toEqual(['Introspection query exceeds the maximum depth of 16 below __schema.']);
    const typeDeep = await gql(s.url, `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`);
    expect(typeDeep.data).toBeUndefined();
    expect(typeDeep.errors?.[0]?.message).toMatch(/depth/);

    // What GraphiQL sends (with every option graphql-js offers), through both HTTP paths.
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const plain = await gql(s.url, introspection);
    expect(plain.errors).toBeUndefined();
    expect(plain.data.__schema.types.map((t: any) => t.name)).toContain('OverageChargeConnection');
    const browser = await postJson(
      `${s.url}/graphql`,
      { query: introspection, operationName: 'IntrospectionQuery' },
      { headers: { origin: s.url, accept: 'application/graphql-response+json, application/json' } },
    );
    expect(browser.status).toBe(200);
    expect(browser.json.errors).toBeUndefined();
  });
});

describe('pages on PostgreSQL', () => {
  const ADMIN_URL = postgresAdminUrl(); // TEST_POSTGRES_URL, the machine's, or a throwaway cluster
  const dbName = `floatline_pages_${Math.random().toString(36).slice(2, 10)}`;
  let p: InProcessServer | undefined;

  afterAll(async () => {
    await p?.stop();
    await onPostgres(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  it('walks the same pages and refuses the same bad input as on SQLite', async () => {
    await onPostgres(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
    p = await startInProcess({ env: { DATABASE_URL: ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`) } });
    const put = await fetch(`${p.url}/config/budget`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'cad_tool', total: 100, commit: 1, max_overage: 99, commit_price: 1000, overage_price_per_license: 10 }),
    });
    expect(put.status).toBe(200);
    // Borrowed together: many share a millisecond, so the id breaks ties in the order.
    await Promise.all(
      Array.from({ length: 17 }, (_, i) => postJson(`${p!.url}/licenses/borrow`, { tool: 'cad_tool', user: `pg-page-${i}` })),
    );
    const all = ((await (await fetch(`${p.url}/borrows`)).json()) as { id: string }[]).map((b) => b.id);
    expect(all).toHaveLength(17);
    const seen: string[] = [];
    let next: string | null = '/borrows?limit=4';
    while (next) {
      const res: Response = await fetch(`${p.url}${next}`);
      seen.push(...((await res.json()) as { id: string }[]).map((b) => b.id));
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(all);
    const charges: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await gql(p.url, CHARGES_PAGE, { first: 5, after })).data.overageCharges;
      charges.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(charges).toEqual(
      ((await (await fetch(`${p.url}/overage-charges`)).json()) as { charges: { id: string }[] }).charges.map((c) => c.id),
    );
    expect(charges).toHaveLength(16);
    const bad = await fetch(`${p.url}/overage-charges?before=not-a-cursor`);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      detail: [{ loc: ['query', 'before'], msg: 'before is not a cursor this server issued', type: 'value_error' }],
    });
  });
});
