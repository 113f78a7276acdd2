// The GraphQL document caches stay within their entry and byte bounds however many
// distinct documents arrive, and graphql-jit compiles a document only once it repeats.
import { describe, expect, it } from 'vitest';
import { createYoga } from 'graphql-yoga';
import { schema } from './schema.ts';
import { createDocumentCaches } from './document-caches.ts';

const LIMITS = {
  documents: { max: 40, maxSize: 150_000 },
  errors: { max: 10, maxSize: 4_000 },
  seen: { max: 30, maxSize: 2_000 },
  compiled: { max: 20, maxSize: 300_000 },
};

function server() {
  const caches = createDocumentCaches(LIMITS);
  const yoga = createYoga({
    schema,
    parserAndValidationCache: caches.parserAndValidationCache,
    context: () => ({ version: 'unit' }),
    plugins: [caches.jitPlugin],
    logging: false,
  });
  const run = async (query: string) => {
    const res = await yoga.fetch('http://local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return res.json() as Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;
  };
  return { caches, run };
}

const within = (s: { entries: number; bytes: number; max: number; maxSize: number }) => {
  expect(s.entries).toBeLessThanOrEqual(s.max);
  expect(s.bytes).toBeLessThanOrEqual(s.maxSize);
};

describe('GraphQL document caches', () => {
  it('compile a document only on its second run, and answer alike before and after', async () => {
    const { caches, run } = server();
    expect(await run('query Once { version }')).toEqual({ data: { version: 'unit' } });
    expect(caches.stats().compilations).toBe(0);
    expect(await run('query Twice { v: version }')).toEqual({ data: { v: 'unit' } });
    expect(await run('query Twice { v: version }')).toEqual({ data: { v: 'unit' } });
    expect(caches.stats().compilations).toBe(1);
    expect(caches.stats().compiled.entries).toBe(1);
    expect(await run('query Twice { v: version }')).toEqual({ data: { v: 'unit' } });
    expect(caches.stats().compilations).toBe(1);
  });

  it('stay within their entry and byte bounds after hundreds of distinct documents', async () => {
    const { caches, run } = server();
    for (let i = 0; i < 400; i++) {
      const query = `query Q${i} { a${i}: version b${i}: version }`;
      expect((await run(query)).data).toEqual({ [`a${i}`]: 'unit', [`b${i}`]: 'unit' });
      if (i % 2 === 0) await run(query); // every other one repeats: compiled
      if (i % 10 === 0) expect((await run(`query Bad${i} { version `)).errors).toHaveLength(1);
      // Long documents hit the byte bound before the entry bound.
      if (i % 7 === 0) await run(`query Long${i} { ${Array.from({ length: 40 }, (_, j) => `l${i}x${j}: version`).join(' ')} }`);
    }
    const stats = caches.stats();
    within(stats.documents);
    within(stats.errors);
    within(stats.seen);
    within(stats.compiled);
    expect(stats.compilations).toBe(200);
    expect(stats.documents.entries).toBeGreaterThan(0);
  });
});
