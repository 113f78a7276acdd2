// Teams and their shares of a pool, on two Floatlines sharing one SQLite
// file and two sharing one PostgreSQL database: reserved seats, a team maximum, the line
// serving a freed reserved seat to that team first, and shares that hold under races.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAny as fetch, gql, postJson, putJson } from './helpers/server.ts';
import type { InProcessServer as RunningServer } from './helpers/in-process.ts';
import { type Pairs, startPairs } from './helpers/pairs.ts';

let pairs: Pairs;
beforeAll(async () => {
  pairs = await startPairs('teams');
}, 60_000);
afterAll(async () => {
  await pairs?.stop();
});

const status = async (s: RunningServer, tool: string) => (await (await fetch(`${s.url}/licenses/${tool}/status`)).json()) as any;

/** A 5-seat pool `tool`; teams `${p}a` (a1..a3) reserving 2 and `${p}b` (b1..b3) capped at 2. */
async function setUp(s: RunningServer, tool: string, p: string) {
  const pool = { tool, total: 5, commit: 5, max_overage: 0, commit_price: 500, overage_price_per_license: 50 };
  expect((await postJson(`${s.url}/config/tools`, pool)).status).toBe(201);
  for (const team of ['a', 'b']) {
    expect((await postJson(`${s.url}/teams`, { name: `${p}${team}` })).status).toBe(201);
    const members = await putJson(`${s.url}/teams/${p}${team}/members`, { users: [1, 2, 3].map((i) => `${p}${team}${i}`) });
    expect(members.status).toBe(200);
  }
  const shares = await putJson(`${s.url}/config/tools/${tool}/shares`, {
    shares: [
      { team: `${p}a`, reserved: 2 },
      { team: `${p}b`, reserved: 0, max: 2 },
    ],
  });
  expect(shares).toMatchObject({
    status: 200,
    json: {
      tool,
      shares: [
        { team: `${p}a`, reserved: 2, max: null },
        { team: `${p}b`, max: 2 },
      ],
    },
  });
}

describe.each(['SQLite', 'PostgreSQL'] as const)('teams on %s (two processes)', (kind) => {
  it("team_max, reserved_for_other_teams, and the line gives a freed reserved seat to that team's waiter first", async () => {
    const [one, two] = pairs[kind];
    const p = `${kind.slice(0, 2).toLowerCase()}t`;
    const tool = `${p}pool`;
    await setUp(one!, tool, p);
    const borrow = (s: RunningServer, user: string, extra: Record<string, unknown> = {}) =>
      postJson(`${s.url}/licenses/borrow`, { tool, user, ...extra });

    const b1 = await borrow(one!, `${p}b1`, { project: 'crash-sim' });
    expect(b1.json).toMatchObject({ team: `${p}b`, project: 'crash-sim' });
    expect((await borrow(two!, `${p}b2`)).status).toBe(200);
    const b3 = await borrow(one!, `${p}b3`);
    expect(b3).toMatchObject({ status: 409 });
    expect(b3.json.detail).toBe(`No licenses available for ${tool} (team_max: your team holds its maximum share of this pool)`);

    // 3 seats held by others (b1, b2, x1): the last 2 are A's reservation.
    const x1 = await borrow(two!, 'outsider1');
    expect(x1.status).toBe(200);
    const x2 = await borrow(one!, 'outsider2');
    expect(x2.status).toBe(409);
    expect(x2.json.detail).toContain('reserved_for_other_teams');
    const a1 = await borrow(two!, `${p}a1`);
    expect(a1).toMatchObject({ status: 200, json: { team: `${p}a` } });

    // One seat left, reserved for A: an outsider waits; a2 takes it at once; then x3 and a3 wait.
    const w1 = await borrow(one!, 'outsider2', { queue: true });
    expect(w1).toMatchObject({ status: 202, json: { position: 1 } });
    const a2 = await borrow(two!, `${p}a2`);
    expect(a2.status).toBe(200);
    const w2 = await borrow(two!, 'outsider3', { queue: true });
    const w3 = await borrow(one!, `${p}a3`, { queue: true });
    expect([w2.json.position, w3.json.position]).toEqual([2, 3]);
    expect(await status(one!, tool)).toMatchObject({ borrowed: 5, queued: 3 });

    // a1 returns: A holds 1 of its 2 reserved, so the seat goes to a3, though outsiders waited longer.
    expect((await postJson(`${one!.url}/licenses/return`, { id: a1.json.id })).status).toBe(200);
    const granted = (await (await fetch(`${two!.url}/queue/${w3.json.ticket_id}`)).json()) as any;
    expect(granted).toMatchObject({ state: 'granted', borrow: { user: `${p}a3`, team: `${p}a` } });
    expect(((await (await fetch(`${two!.url}/queue/${w1.json.ticket_id}`)).json()) as any).state).toBe('waiting');

    // b1 returns: no reservation is short now, so the head of the line (outsider2) gets it.
    expect((await postJson(`${two!.url}/licenses/return`, { id: b1.json.id })).status).toBe(200);
    expect(((await (await fetch(`${one!.url}/queue/${w1.json.ticket_id}`)).json()) as any).state).toBe('granted');
    expect(((await (await fetch(`${one!.url}/queue/${w2.json.ticket_id}`)).json()) as any).state).toBe('waiting');

    // The history names the rules; the failure metric counts them by reason (no team labels).
    const events = (
      await gql(one!.url, `{ events(tool: "${tool}", first: 100) { edges { node { type reason user } } } }`)
    ).data.events.edges.map((e: any) => e.node);
    expect(events).toContainEqual({ type: 'DENIED', reason: 'TEAM_MAX', user: `${p}b3` });
    expect(events).toContainEqual({ type: 'DENIED', reason: 'RESERVED_FOR_OTHER_TEAMS', user: 'outsider2' });
    const metrics = await (await fetch(`${one!.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`license_borrow_failure_total\\{tool="${tool}",reason="team_max"\\} 1`));
    expect(metrics).not.toContain(`${p}a"`);

    // Shares that could not hold are refused, naming why; a budget below the reservations too.
    const tooMuch = await putJson(`${one!.url}/config/tools/${tool}/shares`, { shares: [{ team: `${p}a`, reserved: 6 }] });
    expect(tooMuch.status).toBe(422);
    expect(JSON.stringify(tooMuch.json.detail)).toContain('reservations add up to 6 seats but the pool lends at most 5');
    const unknownTeam = await putJson(`${one!.url}/config/tools/${tool}/shares`, { shares: [{ team: 'nobody', reserved: 1 }] });
    expect(unknownTeam).toMatchObject({ status: 404, json: { detail: 'Team nobody not found' } });
    const shrink = await putJson(`${two!.url}/config/budget`, {
      ...{ tool, total: 5, commit: 1, max_overage: 0, commit_price: 500, overage_price_per_license: 50 },
    });
    expect(shrink.status).toBe(422);
    expect(JSON.stringify(shrink.json.detail)).toContain('Team shares cannot hold');
    // A user is in one team only.
    const twice = await putJson(`${two!.url}/teams/${p}a/members`, { users: [`${p}a1`, `${p}b1`] });
    expect(twice).toMatchObject({ status: 409, json: { detail: `Already in another team: ${p}b1 (${p}b)` } });
  }, 60_000);

  it('200 simultaneous borrows over both processes never break the shares', async () => {
    const [one, two] = pairs[kind];
    const p = `${kind.slice(0, 2).toLowerCase()}r`;
    const tool = `${p}pool`;
    await setUp(one!, tool, p);
    const users = [`${p}a1`, `${p}a2`, `${p}a3`, `${p}b1`, `${p}b2`, `${p}b3`, 'free1', 'free2', 'free3', 'free4'];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postJson(`${(i % 2 ? one! : two!).url}/licenses/borrow`, { tool, user: users[i % users.length] }),
      ),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.text)).toEqual([]);
    const won = results.filter((r) => r.status === 200).map((r) => r.json);
    const byTeam = (team: string | null) => won.filter((b) => (b.team ?? null) === team).length;
    expect(won).toHaveLength(5);
    expect(byTeam(`${p}b`)).toBeLessThanOrEqual(2);
    expect(byTeam(`${p}a`)).toBeGreaterThanOrEqual(2);
    expect(await status(two!, tool)).toMatchObject({ borrowed: 5 });
    const held = ((await (await fetch(`${one!.url}/borrows?limit=500`)).json()) as any[]).filter((b) => b.tool === tool);
    expect(held).toHaveLength(5);
    for (const b of won) expect((await postJson(`${two!.url}/licenses/return`, { id: b.id })).status).toBe(200);
  }, 60_000);

  it('teamMembers and teamShares page through every membership and share (what the teams page reads)', async () => {
    const [one, two] = pairs[kind];
    const p = `${kind.slice(0, 2).toLowerCase()}g`;
    await setUp(one!, `${p}pool`, p);
    // The shares of all teams at once cost more than the limit (500 teams × 50 pools); flat pages do not.
    const nested = await gql(two!.url, '{ teams { name shares { tool reserved max } } }');
    expect(nested.errors?.[0]?.message).toMatch(/Query cost \d+ exceeds/);
    const seen: { team: string; user: string }[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const r: any = await gql(
        two!.url,
        'query($after: String) { teamMembers(first: 2, after: $after, team: null) { nodes { team user } pageInfo { hasNextPage endCursor } totalCount } }',
        { after },
      );
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.teamMembers.nodes);
      if (!r.data.teamMembers.pageInfo.hasNextPage) break;
      after = r.data.teamMembers.pageInfo.endCursor;
    }
    const mine = seen.filter((m) => m.team.startsWith(p)).map((m) => `${m.team}:${m.user}`);
    expect(mine).toEqual([1, 2, 3].map((i) => `${p}a:${p}a${i}`).concat([1, 2, 3].map((i) => `${p}b:${p}b${i}`)));
    expect(new Set(seen.map((m) => `${m.team}:${m.user}`)).size).toBe(seen.length);
    const shares: any = await gql(two!.url, `{ teamShares(tool: "${p}pool", first: 500) { nodes { tool team reserved max } totalCount } }`);
    expect(shares.data.teamShares).toEqual({
      nodes: [
        { tool: `${p}pool`, team: `${p}a`, reserved: 2, max: null },
        { tool: `${p}pool`, team: `${p}b`, reserved: 0, max: 2 },
      ],
      totalCount: 2,
    });
  });
});
