// Teams and their shares of pools: the team list, a pool's shares, and the
// admin mutations that change them. The rules live in licenses/team-rules.ts.
import { builder } from './builder.ts';
import { PoolRef } from './pool.ts';
import {
  InvalidBudgetError,
  InvalidInputError,
  MemberOfOtherTeamError,
  TEAM_LIMITS,
  TeamExistsError,
  TeamNotFoundError,
  ToolNotFoundError,
  type Membership,
  type ShareRow,
  type TeamRecord,
  type TeamShare,
} from '../licenses/index.ts';
import { connectionType, pageArgs, pageQuery, resolvePage } from './connections.ts';
import { POOLS_LIST_SIZE } from './pool.ts';
import { requireKnownTool } from './known-tool.ts';
import { requireAdmin } from '../auth/index.ts';

const TeamShareOfPoolRef = builder.objectRef<{ tool: string; reserved: number; max: number | null }>('TeamShareOfPool').implement({
  description: "A team's share of one pool",
  fields: (t) => ({
    tool: t.exposeString('tool'),
    reserved: t.exposeInt('reserved', { description: 'Seats others cannot take while the team holds fewer' }),
    max: t.exposeInt('max', { nullable: true, description: 'The most the team may hold; null: no cap' }),
  }),
});

const PoolShareRef = builder.objectRef<TeamShare>('PoolShare').implement({
  description: "A team's share of this pool",
  fields: (t) => ({
    team: t.exposeString('team'),
    reserved: t.exposeInt('reserved'),
    max: t.exposeInt('max', { nullable: true }),
  }),
});

const TeamRef = builder.objectRef<TeamRecord>('Team').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    members: t.exposeStringList('members', { extensions: { listSize: TEAM_LIMITS.members } }),
    shares: t.field({ type: [TeamShareOfPoolRef], extensions: { listSize: POOLS_LIST_SIZE }, resolve: (team) => team.shares }),
  }),
});

const MembershipRef = builder.objectRef<Membership>('TeamMembership').implement({
  description: 'A user and the team their borrows count for',
  fields: (t) => ({ team: t.exposeString('team'), user: t.exposeString('user') }),
});
const ShareRowRef = builder.objectRef<ShareRow>('TeamShare').implement({
  description: "A team's share of a pool, as a row of its own",
  fields: (t) => ({
    tool: t.exposeString('tool'),
    team: t.exposeString('team'),
    reserved: t.exposeInt('reserved'),
    max: t.exposeInt('max', { nullable: true }),
  }),
});
const MembershipConnection = connectionType('TeamMembership', MembershipRef);
const ShareRowConnection = connectionType('TeamShare', ShareRowRef);

builder.objectType(TeamNotFoundError, {
  name: 'TeamNotFound',
  fields: (t) => ({ team: t.exposeString('team'), message: t.exposeString('message') }),
});
builder.objectType(TeamExistsError, {
  name: 'TeamExists',
  fields: (t) => ({ team: t.exposeString('team'), message: t.exposeString('message') }),
});
const ElsewhereRef = builder.objectRef<{ user: string; team: string }>('MemberElsewhere').implement({
  fields: (t) => ({ user: t.exposeString('user'), team: t.exposeString('team') }),
});
builder.objectType(MemberOfOtherTeamError, {
  name: 'MemberOfOtherTeam',
  description: "A user's borrows count for one team: these users are in another one already",
  fields: (t) => ({
    members: t.field({ type: [ElsewhereRef], extensions: { listSize: TEAM_LIMITS.members }, resolve: (e) => e.members }),
    message: t.exposeString('message'),
  }),
});

const PoolShareInput = builder.inputType('PoolShareInput', {
  fields: (t) => ({
    team: t.string({ required: true }),
    reserved: t.int({ required: true, description: 'Seats held back for the team; all reservations together fit the pool' }),
    max: t.int({ description: 'The most the team may hold (at least its reservation); omitted: no cap' }),
  }),
});

// Reading teams and shares: anyone signed in; changing them: admins, audited (server/auth/).
builder.queryFields((t) => ({
  teams: t.field({
    type: [TeamRef],
    extensions: { listSize: 500 },
    description:
      'Every team with its members and pool shares, by name (at most 500). Asking for the shares of all teams at once costs more than the query limit allows: read members and shares page by page with teamMembers and teamShares',
    resolve: (_r, _a, ctx) => ctx.licenses.teams(),
  }),
  teamMembers: t.field({
    type: MembershipConnection,
    description: "Team memberships by team, then user, one page at a time (one team's when team is given)",
    args: { team: t.arg.string(), ...pageArgs },
    resolve: (_r, args, ctx) => {
      const team = args.team ?? undefined;
      return resolvePage(
        () => ctx.licenses.teamMembers(team, pageQuery(args)),
        () => ctx.licenses.countTeamMembers(team),
      );
    },
  }),
  teamShares: t.field({
    type: ShareRowConnection,
    description: "Pool shares by pool, then team, one page at a time (one pool's when tool is given)",
    args: { tool: t.arg.string(), ...pageArgs },
    resolve: (_r, args, ctx) => {
      const tool = args.tool ?? undefined;
      return resolvePage(
        () => ctx.licenses.teamShares(tool, pageQuery(args)),
        () => ctx.licenses.countTeamShares(tool),
      );
    },
  }),
  poolShares: t.field({
    type: [PoolShareRef],
    extensions: { listSize: TEAM_LIMITS.sharesPerPool },
    description: "A pool's team shares (empty: no team rules)",
    args: { tool: t.arg.string({ required: true }) },
    resolve: async (_r, { tool }, ctx) => {
      await requireKnownTool(ctx, tool);
      return ctx.licenses.poolShares(tool);
    },
  }),
}));

const OkRef = builder.objectRef<{ team: string }>('TeamChanged').implement({
  fields: (t) => ({ team: t.exposeString('team') }),
});

builder.mutationFields((t) => ({
  createTeam: t.field({
    type: OkRef,
    errors: { types: [TeamExistsError, InvalidInputError], directResult: true, union: { name: 'CreateTeamResult' } },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, { name }, ctx) => {
      requireAdmin(ctx.identity, 'create teams');
      await ctx.licenses.createTeam(name);
      await ctx.auth.adminAction(ctx.identity, 'team_created', { target: name });
      return { team: name };
    },
  }),
  deleteTeam: t.field({
    type: OkRef,
    description: 'Removes a team, its members and its shares (history keeps its name)',
    errors: { types: [TeamNotFoundError], directResult: true, union: { name: 'DeleteTeamResult' } },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_r, { name }, ctx) => {
      requireAdmin(ctx.identity, 'delete teams');
      await ctx.licenses.deleteTeam(name);
      await ctx.auth.adminAction(ctx.identity, 'team_deleted', { target: name });
      return { team: name };
    },
  }),
  setTeamMembers: t.field({
    type: OkRef,
    description: "Replaces a team's members",
    errors: {
      types: [TeamNotFoundError, MemberOfOtherTeamError, InvalidInputError],
      directResult: true,
      union: { name: 'SetTeamMembersResult' },
    },
    args: { team: t.arg.string({ required: true }), users: t.arg.stringList({ required: true }) },
    resolve: async (_r, { team, users }, ctx) => {
      requireAdmin(ctx.identity, 'change team members');
      const before = (await ctx.licenses.team(team))?.members ?? null;
      await ctx.licenses.setTeamMembers(team, users);
      const after = (await ctx.licenses.team(team))?.members ?? null;
      await ctx.auth.adminAction(ctx.identity, 'team_members_set', { target: team, detail: { before, after } });
      return { team };
    },
  }),
  setPoolShares: t.field({
    type: PoolRef,
    description: "Replaces a pool's team shares; refused (InvalidBudget, field shares) when they cannot all hold",
    errors: {
      types: [ToolNotFoundError, TeamNotFoundError, InvalidBudgetError, InvalidInputError],
      directResult: true,
      union: { name: 'SetPoolSharesResult' },
    },
    args: {
      tool: t.arg.string({ required: true }),
      shares: t.arg({ type: [PoolShareInput], required: true }),
    },
    resolve: async (_r, { tool, shares }, ctx) => {
      requireAdmin(ctx.identity, 'change pool shares');
      const before = (await ctx.licenses.poolShares(tool).catch(() => [])).map((x) => ({ ...x }));
      const pool = await ctx.licenses.setPoolShares(
        tool,
        shares.map((s) => ({ team: s.team, reserved: s.reserved, max: s.max ?? null })),
      );
      const after = (await ctx.licenses.poolShares(tool)).map((x) => ({ ...x }));
      await ctx.auth.adminAction(ctx.identity, 'shares_changed', { tool, detail: { before, after } });
      return pool;
    },
  }),
}));
