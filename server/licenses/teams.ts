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
import type { Prisma } from '../db/database.ts';

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
const TEAM_ROWS = { members: { orderBy: { user: 'asc' }, take: TEAM_LIMITS.members }, shares: true } as const;

function toTeamRecord(t: {
  name: string;
  createdAt: Date;
  members: { user: string }[];
  shares: { toolName: string; reserved: number; max: number | null }[];
}): TeamRecord {
  return {
    name: t.name,
    createdAt: t.createdAt,
    members: t.members.map((m) => m.user).sort(byCode),
    shares: t.shares.map((s) => ({ tool: s.toolName, reserved: s.reserved, max: s.max })).sort((a, b) => byCode(a.tool, b.tool)),
  };
}

/** Every team with its members and shares, by name (at most MAX_PAGE_SIZE). */
export async function listTeams(prisma: Prisma): Promise<TeamRecord[]> {
  const teams = await prisma.team.findMany({ orderBy: { name: 'asc' }, take: MAX_PAGE_SIZE, include: TEAM_ROWS });
  return teams.map(toTeamRecord).sort((a, b) => byCode(a.name, b.name));
}

/** One team with its members and shares; null if there is none of that name. */
export async function getTeam(prisma: Prisma, name: string): Promise<TeamRecord | null> {
  if (textProblem(name)) return null;
  const team = await prisma.team.findUnique({ where: { name }, include: TEAM_ROWS });
  return team && toTeamRecord(team);
}

/** A pool's team shares. */
export async function poolShares(prisma: Prisma, tool: string): Promise<TeamShare[]> {
  const rows = await prisma.poolShare.findMany({ where: { toolName: tool } });
  return rows.map((r) => ({ team: r.teamName, reserved: r.reserved, max: r.max })).sort((a, b) => (a.team < b.team ? -1 : 1));
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
export async function listMemberships(prisma: Prisma, team: string | undefined, q: PageQuery = {}): Promise<Page<Membership>> {
  checkFilterText('team', team);
  const size = pageSize(q);
  const after = decodeCursor(q, ['string', 'string']) as [string, string] | null;
  const rows = await prisma.teamMember.findMany({
    where: {
      ...(team !== undefined && { teamName: team }),
      ...(after && { OR: [{ teamName: { gt: after[0] } }, { teamName: after[0], user: { gt: after[1] } }] }),
    },
    orderBy: [{ teamName: 'asc' }, { user: 'asc' }],
    take: size + 1,
  });
  return toPage(
    rows,
    size,
    (r) => [r.teamName, r.user],
    (r) => ({ team: r.teamName, user: r.user }),
  );
}

export function countMemberships(prisma: Prisma, team?: string): Promise<number> {
  return prisma.teamMember.count({ where: team === undefined ? {} : { teamName: team } });
}

/** Pool shares, by pool then team, one page; one pool's when tool is given. */
export async function listShareRows(prisma: Prisma, tool: string | undefined, q: PageQuery = {}): Promise<Page<ShareRow>> {
  checkFilterText('tool', tool);
  const size = pageSize(q);
  const after = decodeCursor(q, ['string', 'string']) as [string, string] | null;
  const rows = await prisma.poolShare.findMany({
    where: {
      ...(tool !== undefined && { toolName: tool }),
      ...(after && { OR: [{ toolName: { gt: after[0] } }, { toolName: after[0], teamName: { gt: after[1] } }] }),
    },
    orderBy: [{ toolName: 'asc' }, { teamName: 'asc' }],
    take: size + 1,
  });
  return toPage(
    rows,
    size,
    (r) => [r.toolName, r.teamName],
    (r) => ({ tool: r.toolName, team: r.teamName, reserved: r.reserved, max: r.max }),
  );
}

export function countShareRows(prisma: Prisma, tool?: string): Promise<number> {
  return prisma.poolShare.count({ where: tool === undefined ? {} : { toolName: tool } });
}
