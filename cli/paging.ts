// Reading a paged list route (GET /borrows, GET /queue) to the end, or up to a limit:
// each page's X-Next-Before header names the next one.
import type { BorrowJson, TicketJson } from './api.ts';
import type { Client } from './client.ts';

const MAX_PAGE = 500;

/** The list operations paged with X-Next-Before, and the rows of their pages. */
interface Paged {
  listBorrows: BorrowJson;
  listQueue: TicketJson;
}

export async function readPages<O extends keyof Paged>(
  client: Client,
  path: string,
  query: Record<string, string | undefined>,
  limit: number,
): Promise<Paged[O][]> {
  const rows: Paged[O][] = [];
  let before: string | undefined;
  for (;;) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    params.set('limit', String(Math.min(MAX_PAGE, limit - rows.length)));
    if (before) params.set('before', before);
    const reply = await client.get<O>(`${path}?${params}`);
    const page = reply.body as Paged[O][]; // SuccessBody<O> is exactly this array
    rows.push(...page);
    before = reply.headers.get('x-next-before') ?? undefined;
    if (!before || rows.length >= limit || page.length === 0) return rows;
  }
}
