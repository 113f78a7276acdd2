import { describe, expect, it } from 'vitest';
import { decideTeamSeat, reservedForOthers, sharesProblem } from './team-rules.ts';

const pool = (borrowed: number, total = 5, commit = 5, maxOverage = 0) => ({ total, commit, maxOverage, borrowed });
const shares = [
  { team: 'a', reserved: 2, max: null },
  { team: 'b', reserved: 0, max: 2 },
];
const held = (entries: [string, number][]) => new Map(entries);

describe('decideTeamSeat', () => {
  it('refuses a team at its maximum first', () => {
    expect(decideTeamSeat(pool(2), shares, held([['b', 2]]), 'b')).toEqual({ take: false, reason: 'team_max' });
    expect(decideTeamSeat(pool(1), shares, held([['b', 1]]), 'b')).toEqual({ take: true });
  });
  it("keeps other teams' unused reservations free", () => {
    // 3 held by others, A holds none: the 2 free seats are A's.
    expect(decideTeamSeat(pool(3), shares, held([['b', 2]]), null)).toEqual({ take: false, reason: 'reserved_for_other_teams' });
    expect(decideTeamSeat(pool(3), shares, held([['b', 2]]), 'b')).toEqual({ take: false, reason: 'team_max' });
    expect(decideTeamSeat(pool(3), shares, held([['b', 2]]), 'a')).toEqual({ take: true });
    // Once A holds its 2, the rest is anyone's.
    expect(decideTeamSeat(pool(3), shares, held([['a', 2]]), null)).toEqual({ take: true });
  });
  it('counts only the unused part of a reservation', () => {
    expect(reservedForOthers(shares, held([['a', 1]]), null)).toBe(1);
    expect(reservedForOthers(shares, held([['a', 3]]), null)).toBe(0);
    expect(reservedForOthers(shares, held([]), 'a')).toBe(0);
  });
});

describe('sharesProblem', () => {
  it('accepts reservations that fit the pool and refuses those that cannot', () => {
    expect(sharesProblem(shares, pool(0))).toBeNull();
    expect(sharesProblem([{ team: 'a', reserved: 6, max: null }], pool(0))).toMatch(/add up to 6 seats but the pool lends at most 5/);
    // The cap is min(total, commit + max_overage).
    expect(sharesProblem(shares, pool(0, 5, 1, 0))).toMatch(/lends at most 1/);
    expect(sharesProblem([{ team: 'a', reserved: 2, max: 1 }], pool(0))).toMatch(/not below its reservation/);
    expect(sharesProblem([shares[0]!, shares[0]!], pool(0))).toMatch(/named twice/);
  });
});
