// Team shares of a pool, decided once. A share gives a team `reserved` seats that
// other borrowers cannot take while the team holds fewer, and a `max` it never exceeds.
// Precedence, strongest first: the pool's own limits (exhausted, max_overage), then the
// borrower's team maximum (team_max), then other teams' unused reservations
// (reserved_for_other_teams). A borrower outside every team with a share only ever takes
// seats nobody reserved. The stores call these under the pool's lock with the rows they
// loaded; pools without shares never get here.
import { decideBorrow, type SeatCounts, type SeatDecision } from './seat-rules.ts';

export interface TeamShare {
  team: string;
  reserved: number;
  /** null: no cap. */
  max: number | null;
}

export type TeamDecision = { take: true } | { take: false; reason: 'team_max' | 'reserved_for_other_teams' };

/** The seats a pool lends at most: its total, or commit + overage if lower. */
export const poolCap = (pool: Pick<SeatCounts, 'total' | 'commit' | 'maxOverage'>): number =>
  Math.min(pool.total, pool.commit + pool.maxOverage);

/** Seats held back for teams other than `team`: each one's reservation not yet used. */
export function reservedForOthers(shares: readonly TeamShare[], held: ReadonlyMap<string, number>, team: string | null): number {
  let sum = 0;
  for (const s of shares) if (s.team !== team) sum += Math.max(s.reserved - (held.get(s.team) ?? 0), 0);
  return sum;
}

/**
 * May a borrower of `team` (null: none) take one more seat of a pool whose own limits allow
 * it? `held` counts the seats each team holds in the pool now.
 */
export function decideTeamSeat(
  pool: Pick<SeatCounts, 'total' | 'commit' | 'maxOverage' | 'borrowed'>,
  shares: readonly TeamShare[],
  held: ReadonlyMap<string, number>,
  team: string | null,
): TeamDecision {
  const mine = team === null ? undefined : shares.find((s) => s.team === team);
  if (mine && mine.max !== null && (held.get(mine.team) ?? 0) >= mine.max) return { take: false, reason: 'team_max' };
  const free = poolCap(pool) - pool.borrowed;
  if (free <= reservedForOthers(shares, held, team)) return { take: false, reason: 'reserved_for_other_teams' };
  return { take: true };
}

/**
 * A borrow in a pool with shares, once the line has been served: the pool's own limits with
 * the waiters left aside (those still in line may not take the free seats), then the team
 * rules. Overage is decided as for any borrow.
 */
export function decideSharedBorrow(
  pool: SeatCounts,
  shares: readonly TeamShare[],
  held: ReadonlyMap<string, number>,
  team: string | null,
): SeatDecision {
  const seat = decideBorrow({ ...pool, queued: 0 });
  if (!seat.take) return seat;
  const rules = decideTeamSeat(pool, shares, held, team);
  return rules.take ? seat : rules;
}

/** Why a set of shares cannot hold for a pool, or null when it can. */
export function sharesProblem(shares: readonly TeamShare[], pool: Pick<SeatCounts, 'total' | 'commit' | 'maxOverage'>): string | null {
  const teams = new Set<string>();
  for (const s of shares) {
    if (teams.has(s.team)) return `team ${s.team} is named twice`;
    teams.add(s.team);
    if (!Number.isInteger(s.reserved) || s.reserved < 0) return `reserved for ${s.team} must be a whole number, 0 or more`;
    if (s.max !== null && (!Number.isInteger(s.max) || s.max < Math.max(s.reserved, 1))) {
      return `max for ${s.team} must be a whole number of at least 1 and not below its reservation (${s.reserved})`;
    }
  }
  const reserved = shares.reduce((n, s) => n + s.reserved, 0);
  const cap = poolCap(pool);
  if (reserved > cap)
    return `reservations add up to ${reserved} seats but the pool lends at most ${cap} (min(total, commit + max_overage))`;
  return null;
}
