// The license store's contract, operation by operation, on SQLite and on PostgreSQL: the
// one program in server/licenses/store.ts over each database's dialect must answer the
// same outcomes. Also the group commit: concurrent writes on one pool are decided in the
// order they arrived, and a batch that fails answers each caller with its own outcome.
import { openOn } from './helpers/each-database.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../server/db/database.ts';
import { GroupCommit, Tx } from '../server/licenses/group-commit.ts';
import { type BorrowOutcome, type BorrowRow, LicenseStore } from '../server/licenses/store.ts';

const POOL = { total: 3, commit: 2, maxOverage: 1, commitPrice: 100, overagePricePerLicense: 10 };
const at = (iso: string) => new Date(iso);
const T0 = at('2026-12-07T10:00:00.000Z');
/** The borrow a seat-taking outcome holds. */
const seat = (o: BorrowOutcome) => (o as { borrow: BorrowRow }).borrow;
const later = (s: number) => new Date(T0.getTime() + s * 1000);

for (const kind of ['SQLite', 'PostgreSQL'] as const) {
  describe(`the license store on ${kind}`, () => {
    let opened: OpenedDatabase;
    let store: LicenseStore;
    let finish: () => Promise<void>;
    beforeAll(async () => {
      ({ opened, finish } = await openOn(kind, 'floatline-contract'));
      store = new LicenseStore(opened.dialect);
    }, 120_000);
    afterAll(() => finish());

    it('creates, lists, reads and refuses to create a pool twice', async () => {
      const made = await store.createTool({ tool: 'p1', ...POOL, leaseSeconds: 60 }, T0);
      expect(made).toMatchObject({
        error: null,
        row: { name: 'p1', total: 3, borrowed: 0, leaseSeconds: 60 },
        event: { type: 'pool_created' },
      });
      expect(made.error === null && made.event.id).toBeGreaterThan(0);
      expect(await store.createTool({ tool: 'p1', ...POOL }, T0)).toEqual({ error: 'exists', retired: false });
      expect(await store.tool('p1')).toMatchObject({ name: 'p1', commit: 2, maxOverage: 1, overageMode: 'per_borrow', billingDay: 1 });
      expect((await store.tools()).map((t) => t.name)).toContain('p1');
      expect(await store.tool('nope')).toBeUndefined();
    });

    it('borrows within commit, into overage with a charge, then denies; unknown pools are named', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const a = await store.borrow({ tool: 'p1', user: 'ann', host: 'h1', project: 'x' }, ids[0]!, T0);
      expect(a).toMatchObject({
        denied: null,
        chargeId: null,
        row: { borrowed: 1 },
        borrow: { id: ids[0], user: 'ann', host: 'h1', project: 'x' },
      });
      expect(seat(a).expiresAt).toEqual(later(60));
      await store.borrow({ tool: 'p1', user: 'bob' }, ids[1]!, T0);
      const c = await store.borrow({ tool: 'p1', user: 'cat' }, ids[2]!, T0);
      expect(c).toMatchObject({ denied: null, row: { borrowed: 3, overageCost: 10 } });
      expect(c.denied === null && 'chargeId' in c && typeof c.chargeId).toBe('string');
      const d = await store.borrow({ tool: 'p1', user: 'dan' }, ids[3]!, T0);
      expect(d).toMatchObject({ denied: 'exhausted', row: { borrowed: 3 }, event: { type: 'denied', user: 'dan' } });
      expect(await store.borrow({ tool: 'nope', user: 'dan' }, randomUUID(), T0)).toMatchObject({ denied: 'unknown_tool' });
      expect(await store.holder(ids[0]!)).toBe('ann');
      expect(await store.holder('nope')).toBeUndefined();
    });

    it('answers a retried key with the first borrow and writes nothing', async () => {
      await store.createTool({ tool: 'keys', ...POOL, total: 5, commit: 5, maxOverage: 0 }, T0);
      const first = await store.borrow({ tool: 'keys', user: 'ann', idempotencyKey: 'k1' }, 'b-k1', T0);
      const again = await store.borrow({ tool: 'keys', user: 'ann', idempotencyKey: 'k1' }, randomUUID(), T0);
      expect(again).toMatchObject({ denied: null, replayed: true, borrow: { id: seat(first).id }, event: null });
      expect((await store.tool('keys'))!.borrowed).toBe(1);
    });

    it('renews a lease by heartbeat, expires an overdue one exactly once, and says why a borrow is gone', async () => {
      await store.createTool({ tool: 'lease', ...POOL, total: 2, commit: 2, maxOverage: 0, leaseSeconds: 10 }, T0);
      const b = await store.borrow({ tool: 'lease', user: 'ann' }, 'lease-1', T0);
      const hb = await store.heartbeat('lease-1', later(5));
      expect(hb).toMatchObject({ state: 'renewed', borrow: { id: 'lease-1', expiresAt: later(15) } });
      expect(await store.overdueTools(later(14))).not.toContain('lease');
      expect(await store.overdueTools(later(16))).toContain('lease');
      const [x, y] = await Promise.all([store.expireOverdue('lease', later(16)), store.expireOverdue('lease', later(16))]);
      const expired = [...x, ...y].filter((c) => c.kind === 'expired');
      expect(expired).toHaveLength(1);
      expect(expired[0]).toMatchObject({ borrow: { id: seat(b).id }, row: { borrowed: 0 }, event: { type: 'expired', startedAt: T0 } });
      expect(await store.heartbeat('lease-1', later(17))).toEqual({ state: 'expired', consequences: [] });
      expect(await store.heartbeat('never', later(17))).toEqual({ state: 'unknown' });
      await store.borrow({ tool: 'lease', user: 'bob' }, 'lease-2', T0);
      expect(await store.revoke('lease-2', 'audit', later(1))).toMatchObject({
        row: { borrowed: 0 },
        event: { type: 'revoked', reason: 'audit' },
      });
      expect(await store.heartbeat('lease-2', later(2))).toEqual({ state: 'revoked', reason: 'audit' });
      expect(await store.return('lease-2', later(3))).toBeNull();
    });

    it('returns and renews through another store on the database (another process) the borrows one store handed out', async () => {
      // Each store remembers the pool of the borrows it handed out; another process does not,
      // and the one that does must not trust that memory once the borrow is gone elsewhere.
      await store.createTool({ tool: 'two', ...POOL, total: 5, commit: 5, maxOverage: 0, leaseSeconds: 10 }, T0);
      const other = new LicenseStore(opened.dialect);
      const a = seat(await store.borrow({ tool: 'two', user: 'ann' }, 'two-1', T0));
      const b = seat(await store.borrow({ tool: 'two', user: 'bob' }, 'two-2', T0));
      expect(await other.heartbeat(a.id, later(5))).toMatchObject({ state: 'renewed', borrow: { id: a.id, expiresAt: later(15) } });
      expect(await other.return(a.id, later(6))).toMatchObject({ borrow: { id: a.id, tool: 'two' }, row: { borrowed: 1 } });
      expect(await store.return(a.id, later(7))).toBeNull();
      expect(await store.heartbeat(a.id, later(7))).toEqual({ state: 'unknown' });
      expect(await store.revoke(b.id, 'audit', later(8))).toMatchObject({ borrow: { id: b.id }, row: { borrowed: 0 } });
      expect(await other.return(b.id, later(9))).toBeNull();
      expect(await other.heartbeat(b.id, later(9))).toEqual({ state: 'revoked', reason: 'audit' });
      expect((await store.tool('two'))!.borrowed).toBe(0);
    });

    it('a write the database refuses rolls its whole transaction back and fails its caller; the next one is served', async () => {
      // On PostgreSQL the borrow's INSERT leaves with COMMIT (one round trip): COMMIT then
      // answers ROLLBACK, and the INSERT's own error is what the caller gets.
      await store.createTool({ tool: 'dup', ...POOL, total: 5, commit: 5, maxOverage: 0 }, T0);
      await store.borrow({ tool: 'dup', user: 'ann' }, 'dup-1', T0);
      await expect(store.borrow({ tool: 'dup', user: 'bob' }, 'dup-1', T0)).rejects.toThrow(/unique|UNIQUE|duplicate/);
      expect((await store.tool('dup'))!.borrowed).toBe(1);
      expect(await store.borrow({ tool: 'dup', user: 'cat' }, 'dup-2', T0)).toMatchObject({ denied: null, row: { borrowed: 2 } });
    });

    it('queues, hands the freed seat over in the returning transaction, polls and cancels tickets', async () => {
      await store.createTool({ tool: 'line', ...POOL, total: 1, commit: 1, maxOverage: 0 }, T0);
      const held = await store.borrow({ tool: 'line', user: 'ann' }, 'line-a', T0);
      const q1 = await store.borrow({ tool: 'line', user: 'bob', queue: true, leaseSeconds: 30 }, 't-bob', T0);
      const q2 = await store.borrow({ tool: 'line', user: 'cat', queue: true, leaseSeconds: 30, idempotencyKey: 'cat' }, 't-cat', T0);
      expect(q1).toMatchObject({ denied: null, queued: { id: 't-bob', position: 1, state: 'waiting' }, row: { queued: 1 } });
      expect(q2).toMatchObject({ queued: { position: 2 } });
      expect(await store.borrow({ tool: 'line', user: 'cat', queue: true, idempotencyKey: 'cat' }, randomUUID(), T0)).toMatchObject({
        replayed: true,
        queued: { id: 't-cat', position: 2 },
      });
      expect(await store.ticketHolder('t-bob')).toBe('bob');
      const polled = await store.pollTicket('t-cat', later(10));
      expect(polled).toMatchObject({ state: 'found', ticket: { position: 2, expiresAt: later(40) } });
      const returned = await store.return(seat(held).id, later(11));
      expect(returned!.consequences).toMatchObject([
        { kind: 'granted', ticket: { id: 't-bob', state: 'granted' }, borrow: { user: 'bob' } },
      ]);
      expect(returned!.consequences[0]!.row).toMatchObject({ borrowed: 1, queued: 1 });
      expect(await store.pollTicket('t-bob', later(12))).toMatchObject({
        state: 'found',
        ticket: { state: 'granted' },
        borrow: { user: 'bob' },
      });
      expect(await store.cancelTicket('t-bob', later(12))).toMatchObject({ state: 'granted' });
      const cancelled = await store.cancelTicket('t-cat', later(13));
      expect(cancelled).toMatchObject({
        state: 'found',
        ticket: { state: 'cancelled', position: null },
        consequences: [{ kind: 'left_queue' }],
      });
      expect((await store.tool('line'))!.queued).toBe(0);
      expect(await store.pollTicket('nope', later(13))).toEqual({ state: 'unknown' });
    });

    it('changes a budget (never below the seats held), retires only an idle pool', async () => {
      await store.createTool({ tool: 'budget', ...POOL }, T0);
      await store.borrow({ tool: 'budget', user: 'ann' }, 'bud-1', T0);
      await store.borrow({ tool: 'budget', user: 'bob' }, 'bud-2', T0);
      expect(await store.updateBudget({ tool: 'budget', ...POOL, total: 1, commit: 1, maxOverage: 0 }, T0)).toMatchObject({
        error: 'below_borrowed',
      });
      const changed = await store.updateBudget({ tool: 'budget', ...POOL, total: 4, commit: 4, maxOverage: 0, spendCap: 50 }, T0);
      expect(changed).toMatchObject({ error: null, before: { total: 3 }, after: { total: 4, borrowed: 2, spendCap: 50 } });
      expect(await store.retireTool('budget', T0)).toMatchObject({ error: 'in_use' });
      await store.return('bud-1', T0);
      await store.return('bud-2', T0);
      expect(await store.retireTool('budget', T0)).toMatchObject({ error: null, event: { type: 'pool_retired' } });
      expect(await store.tool('budget')).toBeUndefined();
      expect(await store.createTool({ tool: 'budget', ...POOL }, T0)).toEqual({ error: 'exists', retired: true });
      expect(await store.retireTool('budget', T0)).toEqual({ error: 'unknown_tool' });
    });

    it('keeps teams, members and shares, and decides seats by them', async () => {
      expect(await store.createTeam('red', T0)).toEqual({ error: null });
      expect(await store.createTeam('red', T0)).toEqual({ error: 'exists' });
      await store.createTeam('blue', T0);
      expect(await store.setMembers('red', ['ann', 'bob'], T0)).toEqual({ error: null });
      expect(await store.setMembers('blue', ['bob'], T0)).toEqual({ error: 'member_elsewhere', users: [{ user: 'bob', team: 'red' }] });
      expect(await store.syncTeam('cat', 'blue', T0)).toMatchObject({ changed: true, previous: null, teamCreated: false });
      expect(await store.syncTeam('cat', null, T0)).toMatchObject({ changed: true, previous: { team: 'blue', source: 'idp' } });
      await store.createTool({ tool: 'shared', ...POOL, total: 2, commit: 2, maxOverage: 0 }, T0);
      expect(await store.setShares('shared', [{ team: 'green', reserved: 1, max: null }], T0)).toEqual({
        error: 'unknown_team',
        team: 'green',
      });
      const set = await store.setShares('shared', [{ team: 'blue', reserved: 1, max: null }], T0);
      expect(set).toMatchObject({ error: null, row: { shares: 1 } });
      const ann = await store.borrow({ tool: 'shared', user: 'ann' }, 'sh-1', T0);
      expect(seat(ann)).toMatchObject({ team: 'red' });
      // The last seat is blue's reservation.
      expect(await store.borrow({ tool: 'shared', user: 'bob' }, 'sh-2', T0)).toMatchObject({ denied: 'reserved_for_other_teams' });
      expect(await store.deleteTeam('blue', T0)).toEqual({ error: null });
      expect((await store.tool('shared'))!.shares).toBe(0);
      expect(await store.deleteTeam('blue', T0)).toEqual({ error: 'unknown_team' });
    });

    it('prunes old history in bounded batches', async () => {
      const n = await store.pruneEvents(later(3600), 2);
      expect(n).toBe(2);
      expect(await store.pruneEvents(later(3600), 100_000)).toBeGreaterThan(0);
      expect(await store.pruneEvents(later(3600), 100_000)).toBe(0);
    });

    it('decides concurrent borrows of one pool in arrival order: the first three take the seats', async () => {
      await store.createTool({ tool: 'burst', ...POOL }, T0);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.borrow({ tool: 'burst', user: `u${i}` }, `burst-${i}`, T0)),
      );
      expect(outcomes.map((o) => o.denied)).toEqual([null, null, null, ...Array(9).fill('exhausted')]);
      expect(outcomes.slice(0, 3).map((o) => o.row!.borrowed)).toEqual([1, 2, 3]);
      const events = outcomes.map((o) => o.event!.id);
      expect(new Set(events).size).toBe(12);
      const back = await Promise.all(outcomes.slice(0, 3).map((o) => store.return(seat(o).id, T0)));
      expect(back.map((r) => r!.row.borrowed).sort()).toEqual([0, 1, 2]);
      expect((await store.tool('burst'))!.borrowed).toBe(0);
    });

    it('releases a borrow exactly once when returns, revocations and the sweep race in one batch', async () => {
      await store.createTool({ tool: 'race', ...POOL, total: 10, commit: 10, maxOverage: 0, leaseSeconds: 5 }, T0);
      const held = await Promise.all(Array.from({ length: 6 }, (_, i) => store.borrow({ tool: 'race', user: `r${i}` }, `race-${i}`, T0)));
      const ids = held.map((o) => seat(o).id);
      const tries = await Promise.all([
        ...ids.flatMap((id) => [store.return(id, later(1)), store.return(id, later(1)), store.revoke(id, 'race', later(1))]),
        store.expireOverdue('race', later(10)),
      ]);
      const released = tries.slice(0, -1).filter((r) => r !== null).length;
      const expired = (tries.at(-1) as { kind: string }[]).filter((c) => c.kind === 'expired').length;
      expect(released + expired).toBe(6);
      expect((await store.tool('race'))!.borrowed).toBe(0);
    });

    it('writes on one pool that arrive together share a transaction', async () => {
      // SQLite answers synchronously: a batch started at once would commit before the next
      // request is read, every borrow paying its own COMMIT. Counted on the dialect.
      let transactions = 0;
      const d = opened.dialect;
      const counted = new LicenseStore({
        ...d,
        transaction: (body) => {
          transactions++;
          return d.transaction(body);
        },
      });
      await counted.createTool({ tool: 'together', ...POOL, total: 8, commit: 8, maxOverage: 0 }, T0);
      transactions = 0;
      const out = await Promise.all(
        Array.from({ length: 8 }, (_, i) => counted.borrow({ tool: 'together', user: `t${i}` }, `tog-${i}`, T0)),
      );
      expect(out.map((o) => o.denied)).toEqual(Array(8).fill(null));
      expect((await counted.tool('together'))!.borrowed).toBe(8);
      // PostgreSQL starts the first at once (it waits on the network anyway); the rest join the next.
      expect(transactions).toBe(kind === 'SQLite' ? 1 : 2);
    });

    it('writes on different pools that arrive together share a transaction too, their pools locked in name order', async () => {
      let transactions = 0;
      const locked: string[] = [];
      const d = opened.dialect;
      const counted = new LicenseStore({
        ...d,
        transaction: (body) => {
          transactions++;
          return d.transaction((conn) =>
            body({
              ...conn,
              all: (c) => {
                // The pool lock's statement reads one tools row by name: record which, in order.
                if (/^select .* from "tools" where "name" = /i.test(c.sql) && String(c.params[0]).startsWith('spread-'))
                  locked.push(String(c.params[0]));
                return conn.all(c);
              },
            }),
          );
        },
      });
      const pools = ['spread-d', 'spread-b', 'spread-c', 'spread-a'];
      for (const tool of pools) await counted.createTool({ tool, ...POOL, total: 4, commit: 4, maxOverage: 0 }, T0);
      // A first borrow alone, so that on PostgreSQL (which starts a batch at once) the next
      // eight arrive while a transaction is in flight and wait for the next one together.
      const first = counted.borrow({ tool: 'spread-a', user: 'first' }, 'spread-first', T0);
      transactions = 0;
      locked.length = 0;
      const out = await Promise.all(
        Array.from({ length: 8 }, (_, i) => counted.borrow({ tool: pools[i % 4]!, user: `s${i}` }, `spread-${i}`, T0)),
      );
      await first;
      expect(out.map((o) => o.denied)).toEqual(Array(8).fill(null));
      for (const tool of pools) expect((await counted.tool(tool))!.borrowed).toBe(tool === 'spread-a' ? 3 : 2);
      // SQLite: the first joined them (its batch waits out the turn); PostgreSQL: it ran alone, counted before.
      expect(transactions).toBe(1);
      // The eight's transaction locked each pool once, in name order (the first borrow's lock may come before).
      expect(locked.filter((_, i, all) => i >= all.length - 4)).toEqual(['spread-a', 'spread-b', 'spread-c', 'spread-d']);
    });

    it('a batch that fails answers each caller with its own outcome or error', async () => {
      const d = opened.dialect;
      const batches = new GroupCommit(
        (body) => d.transaction((conn) => body(new Tx(conn, d))),
        () => false,
      );
      const seen: number[] = [];
      const job = (i: number, fail: boolean) =>
        batches.submit('k', async (tx) => {
          await tx.pool('burst');
          seen.push(i);
          if (fail) throw new Error(`job ${i} refused`);
          return i;
        });
      const results = await Promise.allSettled([job(1, false), job(2, false), job(3, true), job(4, false)]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 'job 3 refused', 4]);
      // Job 1 ran alone; 2–4 then shared a transaction that failed at 3 (4 never ran in it):
      // rolled back, each ran again alone.
      expect(seen).toEqual([1, 2, 3, 2, 3, 4]);
    });
  });
}
