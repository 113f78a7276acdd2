// Credentials against a real SQLite file: a cached token is still refused the moment it
// expires (expiry is checked on every use, not only on a cache miss), a revocation in this
// process is refused at once even while cached, and only the hash is stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../db/database.ts';
import { Credentials, hashSecret } from './credentials.ts';

let dir: string;
let db: OpenedDatabase;
let credentials: Credentials;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floatline-credentials-'));
  db = await openDatabase({ dbPath: join(dir, 'licenses.db'), seed: false });
  credentials = new Credentials(db.prisma, 300); // a long cache: the checks below must not depend on it running out
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = (expiresAt: Date | null) =>
  credentials.create({ kind: 'token', name: 'unit', user: 'una', role: 'user', createdBy: 'admin', expiresAt });

describe('Credentials', () => {
  it('refuses a cached token the moment it expires', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const { secret } = await token(expiresAt);
    expect(await credentials.identify(secret, 'token')).toMatchObject({ user: 'una', role: 'user', via: 'token' });
    expect(await credentials.identify(secret, 'token', expiresAt.getTime() - 1)).not.toBeNull(); // cached, still valid
    expect(await credentials.identify(secret, 'token', expiresAt.getTime())).toBeNull();
  });

  it('refuses a revoked token at once in the revoking process, cache or not', async () => {
    const { secret, record } = await token(null);
    expect(await credentials.identify(secret, 'token')).not.toBeNull(); // now cached
    await credentials.revoke(record.id);
    expect(await credentials.identify(secret, 'token')).toBeNull();
  });

  it('stores only the SHA-256 of the secret, and a session secret is no token', async () => {
    const { secret, record } = await token(null);
    const row = await db.prisma.credential.findUnique({ where: { id: record.id } });
    expect(row?.tokenHash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const session = await credentials.create({ kind: 'session', name: 's', user: 'una', role: 'user', createdBy: 'una', expiresAt: null });
    expect(await credentials.identify(session.secret, 'token')).toBeNull();
    expect(await credentials.identify(session.secret, 'session')).toMatchObject({ via: 'session' });
    expect(await credentials.identify(secret, 'session')).toBeNull();
  });
});
