// Teams and their shares of pools: admins create teams, set their members and
// give them shares of a pool — seats reserved for the team and a maximum it may hold. The
// rules themselves are in team-rules.ts and are applied by the stores inside each borrow's
// locked transaction; this file checks input and turns store outcomes into answers.
import { publishConsequences } from './borrowing.ts';
import {
  InvalidInputError,
  MemberOfOtherTeamError,
  SharesImpossibleError,
  TeamExistsError,
  TeamNotFoundError,
  ToolNotFoundError,
} from './errors.ts';
import { MAX_PAGE_SIZE } from './limits.ts';
import { checkToolName } from './budgets.ts';
import { toPoolStatus } from './pool-status.ts';
import { checkFilterText, checkText, checkUserName, textProblem } from './text.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageQuery } from './paging.ts';
import type { Store, SyncTeamOutcome } from './store.ts';
import type { TeamShare } from './team-rules.ts';
import type { LicenseChange, PoolStatus } from './types.ts';
import type { Dialect } from './dialects/dialect.ts';
import * as rq from './read-queries.ts';
import { asDate } from './store-queries.ts';

export type { TeamShare };
type Publish = (change: LicenseChange) => void;

/** Most members one team may list, and most teams sharing one pool. */
export const TEAM_LIMITS = { members: 1000, sharesPerPool: 100 } as const;

export interface TeamRecord {
  name: string;
  createdAt: Date;
  members: string[];
  shares: { tool: string; reserved: number; max: number | null }[];
}

export async function createTeam(store: Store, name: string, now: Date): Promise<void> {
  checkToolName(name, 'name'); // an identifier like a pool's: fits URLs, logs and reports
  const outcome = await store.createTeam(name, now);
  if (outcome.error === 'exists') throw new TeamExistsError(name);
}

export async function deleteTeam(store: Store, name: string, now: Date): Promise<void> {
  if (textProblem(name)) throw new TeamNotFoundError(name);
  const outcome = await store.deleteTeam(name, now);
  if (outcome.error === 'unknown_team') throw new TeamNotFoundError(name);
}

export async function setTeamMembers(store: Store, team: string, users: string[], now: Date): Promise<void> {
  if (textProblem(team)) throw new TeamNotFoundError(team);
  if (users.length > TEAM_LIMITS.members) {
    throw new InvalidInputError('users', 'too_long', `A team lists at most ${TEAM_LIMITS.members} members`);
  }
  for (const user of users) checkUserName('users', user);
  const outcome = await store.setMembers(team, users, now);
  if (outcome.error === 'unknown_team') throw new TeamNotFoundError(team);
  if (outcome.error === 'member_elsewhere') throw new MemberOfOtherTeamError(outcome.users);
}

/**
 * Puts `user` in `team` as the identity provider's groups name it (auth/team-groups.ts maps
 * groups to a team; null: no group names one), creating the team when it is new. The
 * provider wins over an admin's choice for a user it places; a user it no longer places
 * leaves only a team it placed them in (source "idp"), never one an admin set.
 */
export async function syncTeamFromIdp(store: Store, user: string, team: string | null, now: Date): Promise<SyncTeamOutcome> {
  checkText('user', user);
  if (team !== null) checkToolName(team, 'team');
  return store.syncTeam(user, team, now);
}

/** Replaces a pool's shares; refused (naming why) when they could not all hold at once. */
export async function setPoolShares(store: Store, publish: Publish, tool: string, shares: TeamShare[], now: Date): Promise<PoolStatus> {
  if (textProblem(tool)) throw new ToolNotFoundError(tool);
  if (shares.length > TEAM_LIMITS.sharesPerPool) {
    throw new InvalidInputError('shares', 'too_long', `A pool has at most ${TEAM_LIMITS.sharesPerPool} team shares`);
  }
  for (const share of shares) checkText('team', share.team);
  const outcome = await store.setShares(tool, shares, now);
  if (outcome.error === 'unknown_tool') throw new ToolNotFoundError(tool);
  if (outcome.error === 'unknown_team') throw new TeamNotFoundError(outcome.team);
  if (outcome.error === 'impossible') throw new SharesImpossibleError('shares', outcome.problem);
  publishConsequences(publish, outcome.consequences, now);
  return toPoolStatus(outcome.row, now);
}

// Sorted here, not by ORDER BY: PostgreSQL's collation would not sort like SQLite's bytes.
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Teams with their members and shares (members by user, at most TEAM_LIMITS.members each). */
async function withRows(db: Dialect, teams: Record<string, unknown>[]): Promise<TeamRecord[]> {
  if (teams.length === 0) return [];
  const names = teams.map((t) => String(t.name));
  const [members, shares] = await Promise.all([
    db.all(rq.membersOf.compile(db, { teams: names })),
    db.all(rq.sharesOf.compile(db, { teams: names })),
  ]);
  const records = new Map<string, TeamRecord>(
    teams.map((t) => [String(t.name), { name: String(t.name), createdAt: asDate(t.created_at), members: [], shares: [] }]),
  );
  for (const m of members) {
    const t = records.get(String(m.team))!;
    if (t.members.length < TEAM_LIMITS.members) t.members.push(String(m.user));
  }
  for (const s of shares) records.get(String(s.team))!.shares.push(shareOf(s));
  for (const t of records.values()) {
    t.members.sort(byCode);
    t.shares.sort((a, b) => byCode(a.tool, b.tool));
  }
  return [...records.values()];
}

const shareOf = (r: Record<string, unknown>) => ({
  tool: String(r.tool),
  reserved: Number(r.reserved),
  max: r.max === null || r.max === undefined ? null : Number(r.max),
});
const countOf = (rows: Record<string, unknown>[]) => Number(rows[0]?.n ?? 0);

/** Every team with its members and shares, by name (at most MAX_PAGE_SIZE). */
export async function listTeams(db: Dialect): Promise<TeamRecord[]> {
  const teams = await db.all(rq.teamsFirst.compile(db, { take: MAX_PAGE_SIZE }));
  return (await withRows(db, teams)).sort((a, b) => byCode(a.name, b.name));
}

/** One team with its members and shares; null if there is none of that name. */
export async function getTeam(db: Dialect, name: string): Promise<TeamRecord | null> {
  if (textProblem(name)) return null;
  const teams = await db.all(rq.teamNamed.compile(db, { name }));
  return (await withRows(db, teams))[0] ?? null;
}

/** A pool's team shares. */
export async function poolShares(db: Dialect, tool: string): Promise<TeamShare[]> {
  const rows = await db.all(rq.sharesOfPool.compile(db, { tool }));
  return rows
    .map((r) => ({ team: String(r.team), reserved: Number(r.reserved), max: shareOf(r).max }))
    .sort((a, b) => (a.team < b.team ? -1 : 1));
}

/** One membership: a user and the team their borrows count for. */
export interface Membership {
  team: string;
  user: string;
}

/** A share as a row of its own: a pool, a team and the team's seats in it. */
export interface ShareRow extends TeamShare {
  tool: string;
}

// Members and shares as flat pages. The nested `teams { members shares }` lists can be long
// (teams × members per team), so whoever wants them all — the dashboard's teams page, a
// script — reads them page by page here, in (team, user) and (tool, team) order.

/** Team memberships, by team then user, one page; one team's when team is given. */
export async function listMemberships(db: Dialect, team: string | undefined, q: PageQuery = {}): Promise<Page<Membership>> {
  checkFilterText('team', team);
  const size = pageSize(q);
  const after = decodeCursor(q, ['string', 'string']) as [string, string] | null;
  const rows = (await db.all(rq.membershipsPage.compile(db, { team, after, take: size + 1 }))).map((r) => ({
    team: String(r.team),
    user: String(r.user),
  }));
  return toPage(
    rows,
    size,
    (r) => [r.team, r.user],
    (r) => r,
  );
}

export async function countMemberships(db: Dialect, team?: string): Promise<number> {
  return countOf(await db.all(rq.membershipCount.compile(db, { team })));
}

/** Pool shares, by pool then team, one page; one pool's when tool is given. */
export async function listShareRows(db: Dialect, tool: string | undefined, q: PageQuery = {}): Promise<Page<ShareRow>> {
  checkFilterText('tool', tool);
  const size = pageSize(q);
  const after = decodeCursor(q, ['string', 'string']) as [string, string] | null;
  const rows = (await db.all(rq.sharesPage.compile(db, { tool, after, take: size + 1 }))).map((r) => ({
    ...shareOf(r),
    team: String(r.team),
  }));
  return toPage(
    rows,
    size,
    (r) => [r.tool, r.team],
    (r) => r,
  );
}

export async function countShareRows(db: Dialect, tool?: string): Promise<number> {
  return countOf(await db.all(rq.shareCount.compile(db, { tool })));
}
