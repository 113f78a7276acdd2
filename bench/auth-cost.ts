// The auth hook's cached path alone, in process (`node --import tsx bench/auth-cost.ts`): what
// AUTH_MODE=required adds to a request carrying a cached API token (public-route check,
// prefix test, SHA-256, LRU lookups, the identity), and the holder check a user's return or
// heartbeat pays. The cache is kept 300 s here, so every round measures hits (with the
// default 5 s, a slow round outlives the entry and the rest of it would measure misses). Steadier than the HTTP rows on a busy machine: no sockets, no other process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { openDatabase } from '../server/db/database.ts';
import { Licenses } from '../server/licenses/index.ts';
import { Auth } from '../server/auth/index.ts';
import { isPublicRoute } from '../server/auth/rest.ts';
import { readConfig } from '../server/config.ts';
import { createLogger } from '../server/observability/logger.ts';
const dir = mkdtempSync(join(tmpdir(), 'floatline-auth-cost-'));
const db = await openDatabase({ dbPath: join(dir, 'l.db'), seed: true });
const licenses = new Licenses(db.dialect);
const auth = new Auth({
  config: readConfig({ AUTH_MODE: 'required', AUTH_CACHE_SECONDS: '300' }).auth,
  prisma: db.prisma,
  changes: licenses.changes,
  log: createLogger('silent'),
  registry: new Registry(),
});
const { secret } = await auth.credentials.create({
  kind: 'token',
  name: 'mb',
  user: 'bench',
  role: 'user',
  createdBy: 'x',
  expiresAt: null,
});
const headers = { authorization: `Bearer ${secret}`, host: 'x', accept: '*/*' };
await auth.authenticator.resolve(headers); // cache it
const req = { method: 'GET', headers };
const N = 1_000_000;
for (let round = 0; round < 3; round++) {
  const t = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < N; i++) {
    if (isPublicRoute('/licenses/:tool/status', req)) continue;
    const r = auth.authenticator.resolveCached(headers);
    if (r?.identity) hits++;
  }
  console.log(`round ${round}: ${(Number(process.hrtime.bigint() - t) / N / 1000).toFixed(3)} µs per request (hits ${hits})`);
}
// The holder check a user's return or heartbeat pays: remembered for the borrows this
// process lent (the common cycle), a store read for a borrow another process lent.
const b = await licenses.borrow({ tool: 'cad_tool', user: 'bench' });
const elsewhere = new Licenses(db.dialect); // same database, lent nothing itself
for (const [what, l] of [
  ['holder, lent here', licenses],
  ['holder, lent by another process', elsewhere],
] as const) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i++) await l.holder(b.id);
  console.log(`${what}: ${(Number(process.hrtime.bigint() - t) / 200_000 / 1000).toFixed(3)} µs`);
}
await db.close();
rmSync(dir, { recursive: true, force: true });
