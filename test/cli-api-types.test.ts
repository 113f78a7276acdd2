// The CLI's REST types come from the server's OpenAPI document (cli/api.ts over the
// generated cli/api-schema.ts): they say what the server sends — every field present,
// in_commit a boolean — and the CLI's typed client reads a real server's answers with them.
// (npm test type-checks this file; test/openapi.test.ts fails when the generated file is stale.)
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { BorrowJson, PoolStatusJson, RequestBody, TicketJson } from '../cli/api.ts';
import { Client } from '../cli/client.ts';
import { readPages } from '../cli/paging.ts';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcess({ listen: true });
});
afterAll(async () => {
  await s?.stop();
});

describe('the CLI typed client', () => {
  it('types every field the server sends, as it sends it', () => {
    expectTypeOf<PoolStatusJson['in_commit']>().toEqualTypeOf<boolean>();
    expectTypeOf<PoolStatusJson['queued']>().toEqualTypeOf<number>();
    expectTypeOf<BorrowJson['expires_at']>().toEqualTypeOf<string | null>();
    expectTypeOf<TicketJson['state']>().toEqualTypeOf<'waiting' | 'granted' | 'expired' | 'cancelled'>();
    expectTypeOf<RequestBody<'borrowLicense'>>().toHaveProperty('tool');
    expectTypeOf<RequestBody<'returnLicense'>>().toEqualTypeOf<{ id: string }>();
  });

  it('borrows, pages and reads status from a real server', async () => {
    const client = new Client({ server: s.url });
    const borrowed = await client.post<'borrowLicense'>('/licenses/borrow', { tool: 'cad_tool', user: 'typed' });
    expect(borrowed.status).toBe(200);
    const borrow = borrowed.body as BorrowJson;
    expect(borrow).toMatchObject({ tool: 'cad_tool', user: 'typed', host: null });
    const status = await client.get<'getPoolStatus'>('/licenses/cad_tool/status');
    expect((status.body as PoolStatusJson).in_commit).toBe(true);
    const rows = await readPages<'listBorrows'>(client, '/borrows', { user: 'typed' }, 10);
    expect(rows.map((r) => r.id)).toEqual([borrow.id]);
    const returned = await client.post<'returnLicense'>('/licenses/return', { id: borrow.id });
    expect(returned.body).toEqual({ status: 'ok', tool: 'cad_tool' });
  });
});
