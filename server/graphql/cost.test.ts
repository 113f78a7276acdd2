// What the cost rule charges for real documents, and that fragments cannot make it (or
// the introspection depth rule) do exponential work.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { schema } from './schema.ts';

// graphql-js as the schema's own (CommonJS) copy: under vitest a plain import is another copy.
const { getIntrospectionQuery, parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
import { introspectionDepthRule, listCostRule } from './cost.ts';
import { QUERY_LIMITS } from './yoga.ts';

/** The cost the rule computes (reported against a limit of 0), or 0 for a free document. */
const costOf = (query: string): number => {
  const errors = validate(schema, parse(query), [listCostRule({ maxCost: 0 })]);
  return errors.length === 0 ? 0 : Number(/Query cost (\d+(?:\.\d+)?(?:e\+\d+)?)/.exec(errors[0]!.message)![1]);
};

const POOL =
  'tool total borrowed available commit maxOverage overage inCommit commitPrice overagePricePerLicense currentOverageCost totalCost';
// The dashboard's documents (client/src/lib/operations.ts).
const DASHBOARD = `query Dashboard { pools { ${POOL} }
  borrows(first: 500) { totalCount nodes { id tool user borrowedAt } }
  overageCharges(first: 50) { totalCount nodes { id tool borrowId user chargedAt amount } }
  events(first: 60) { nodes { id at type tool user borrowId reason borrowed total } } }`;
const USAGE = 'query Usage($minutes: Int!) { usage(minutes: $minutes) { tool total points { at borrowed } } }';

describe('list cost', () => {
  it('charges every field once per row its lists may return', () => {
    expect(costOf('{ version }')).toBe(1);
    expect(costOf('{ pools { tool } }')).toBe(1 + 50);
    expect(costOf('{ borrows(first: 10) { totalCount nodes { id user } } }')).toBe(1 + 1 + 1 + 10 * 2);
    expect(costOf('{ borrows { edges { cursor node { id } } pageInfo { endCursor } } }')).toBe(1 + 1 + 50 * 3 + 1 + 1);
    expect(costOf('query($n: Int) { borrows(first: $n) { nodes { id } } }')).toBe(1 + 1 + 500);
    expect(costOf('fragment B on Borrow { id user } { borrows(first: 4) { nodes { ...B } } }')).toBe(1 + 1 + 4 * 2);
  });

  it('lets the dashboard and the usage chart through, and not 15 full pages', () => {
    expect(costOf(DASHBOARD)).toBe(601 + 2003 + 303 + 542);
    expect(costOf(USAGE)).toBe(10_004);
    for (const q of [DASHBOARD, USAGE]) expect(costOf(q)).toBeLessThanOrEqual(QUERY_LIMITS.cost);
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `c${i}: overageCharges(first: 500) { nodes { id tool borrowId user chargedAt amount } }`,
    );
    expect(costOf(`{ ${aliases.join(' ')} }`)).toBeGreaterThan(QUERY_LIMITS.cost);
  });

  it('prices each fragment once, so a fragment fan-out is refused without exponential work', () => {
    const levels = 40; // 2^40 expansions if each spread were walked
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on BorrowConnection { ${i === levels - 1 ? 'totalCount' : `...F${i + 1} a${i}: totalCount ...F${i + 1}`} }`,
    );
    const query = `{ borrows(first: 1) { ...F0 } } ${fragments.join(' ')}`;
    expect(costOf(query)).toBeGreaterThan(2 ** 39);
    expect(validate(schema, parse(query), [introspectionDepthRule({ maxDepth: 16 })])).toEqual([]);
  });
});

describe('introspection depth', () => {
  it('passes graphql-js (and GraphiQL) introspection and refuses 40 nested ofType', () => {
    const rule = introspectionDepthRule({ maxDepth: QUERY_LIMITS.introspectionDepth });
    const full = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    expect(validate(schema, parse(full), [rule])).toEqual([]);
    expect(validate(schema, parse(full), [introspectionDepthRule({ maxDepth: 12 })])).toHaveLength(1); // it needs 13
    const deep = `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`;
    expect(validate(schema, parse(deep), [rule]).map((e) => e.message)).toEqual([
      `Introspection query exceeds the maximum depth of ${QUERY_LIMITS.introspectionDepth} below __type.`,
    ]);
  });
});
