// GraphQL over HTTP as the spec says it, checked by graphql-http's own audit (the reference
// implementation's conformance suite) against a real socket, plus the answers the audit
// does not cover: every /graphql answer is a GraphQL response, refusals included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcess({ listen: true });
});
afterAll(async () => {
  await s?.stop();
});

describe('graphql-http server audit', () => {
  for (const audit of serverAudits({ url: () => `${s.url}/graphql` })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      // 'warn' is a SHOULD the server does not follow: none is accepted either.
      expect({ status: result.status, reason: result.status === 'ok' ? undefined : result.reason }).toEqual({
        status: 'ok',
        reason: undefined,
      });
    });
  }
});

/** A GraphQL response (spec: a map with `errors` or `data`) and the HTTP status it came with. */
async function graphqlAnswer(res: Response) {
  const type = res.headers.get('content-type') ?? '';
  expect(type).toMatch(/^application\/(graphql-response\+)?json/);
  const body = (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  expect(Object.keys(body).every((k) => ['data', 'errors', 'extensions'].includes(k))).toBe(true);
  return { status: res.status, body };
}

describe('every /graphql answer is a GraphQL response', () => {
  it('answers a bodiless or malformed POST, a wrong method and an oversized body with errors', async () => {
    const post = (body: string | undefined, headers: Record<string, string> = {}) =>
      s.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const empty = await graphqlAnswer(await post(undefined));
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.message).toBeTruthy();
    const malformed = await graphqlAnswer(await post('{"query": '));
    expect(malformed.status).toBe(400);
    const put = await graphqlAnswer(
      await s.fetch('/graphql', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    expect(put.status).toBe(405);
    const huge = await graphqlAnswer(await post(JSON.stringify({ query: `{ version } # ${'x'.repeat(200_000)}` })));
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a request refused before Yoga runs (AUTH_MODE=required, no credential) with errors', async () => {
    const guarded = await startInProcess({ env: { AUTH_MODE: 'required', FLOATLINE_ADMIN_TOKEN: 'a'.repeat(32) } });
    try {
      const res = await guarded.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ version }' }),
      });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const answer = await graphqlAnswer(res);
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(answer.body.errors?.[0]?.message).toMatch(/Authentication required/);
    } finally {
      await guarded.stop();
    }
  });
});
