// Reading a paged list route (GET /borrows, GET /queue) to the end, or up to a limit:
// each page's X-Next-Before header names the next one.
import type { Client } from './client.ts';

const MAX_PAGE = 500;

export async function readPages<T>(client: Client, path: string, query: Record<string, string | undefined>, limit: number): Promise<T[]> {
  const rows: T[] = [];
  let before: string | undefined;
  for (;;) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    params.set('limit', String(Math.min(MAX_PAGE, limit - rows.length)));
    if (before) params.set('before', before);
    const reply = await client.get<T[]>(`${path}?${params}`);
    rows.push(...reply.body);
    before = reply.headers.get('x-next-before') ?? undefined;
    if (!before || rows.length >= limit || reply.body.length === 0) return rows;
  }
}
