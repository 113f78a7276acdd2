// Teams taken from the identity provider's groups: OIDC_TEAM_GROUP_PREFIX=team-
// makes group `team-powertrain` team `powertrain`; OIDC_TEAM_GROUPS=cad,interns makes those
// groups teams of the same name. On sign-in and on each bearer JWT the user's membership is
// synced into team_members (licenses/teams.ts syncTeamFromIdp), so the pool's one locked
// decision, which reads team_members, applies the team's shares to their borrows.
//
// A user has one team (their borrows count for one). In several matching groups, the first
// team in code-point order wins, every time and on every process, and a warning names them.
// The result of a sync is remembered per user for a minute on this process, so a busy JWT
// client costs no database write per request: a membership an admin changes in Floatline in
// between is put back within that minute.
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../clock.ts';
import type { OidcConfig } from '../config.ts';
import type { Logger } from '../observability/logger.ts';

const TEAM_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const REMEMBER_MS = 60_000;

export interface TeamFromGroups {
  /** The team the user belongs to by their groups; null when no group names one. */
  team: string | null;
  /** Every team their groups name (sorted); more than one is logged. */
  candidates: string[];
  /** Groups that matched but cannot be team names (logged, ignored). */
  invalid: string[];
}

/** Whether team sync is configured at all (a prefix or a list). */
export const syncsTeams = (oidc: OidcConfig | undefined): oidc is OidcConfig =>
  !!oidc && (oidc.teamGroupPrefix !== null || oidc.teamGroups.length > 0);

/** The team a groups claim names. Keycloak's full paths (/team-x) count as their last segment. */
export function teamFromGroups(oidc: Pick<OidcConfig, 'teamGroupPrefix' | 'teamGroups'>, groups: unknown): TeamFromGroups {
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : [];
  const found = new Set<string>();
  const invalid: string[] = [];
  for (const raw of list) {
    const g = raw.slice(raw.lastIndexOf('/') + 1);
    let name: string | null = null;
    if (oidc.teamGroups.includes(g) || oidc.teamGroups.includes(raw)) name = g;
    else if (oidc.teamGroupPrefix !== null && g.startsWith(oidc.teamGroupPrefix) && g.length > oidc.teamGroupPrefix.length) {
      name = g.slice(oidc.teamGroupPrefix.length);
    }
    if (name === null) continue;
    const team = name.toLowerCase();
    if (TEAM_NAME.test(team)) found.add(team);
    else invalid.push(raw.slice(0, 100));
  }
  const candidates = [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { team: candidates[0] ?? null, candidates, invalid };
}

export type ApplyTeam = (
  user: string,
  team: string | null,
) => Promise<{ changed: boolean; previous: { team: string; source: string } | null; teamCreated: boolean }>;

export class TeamSync {
  readonly #done = new LRUCache<string, { team: string | null; at: number }>({ max: 10_000 });

  constructor(
    private readonly oidc: OidcConfig,
    private readonly apply: ApplyTeam,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Syncs the user's team from their groups; `force` skips the per-user memory (sign-in). */
  async sync(user: string, groups: unknown, force = false, now = this.clock.now().getTime()): Promise<void> {
    const r = teamFromGroups(this.oidc, groups);
    const last = this.#done.get(user);
    if (!force && last && last.team === r.team && now - last.at < REMEMBER_MS) return;
    if (r.candidates.length > 1) {
      this.log.warn(
        { event: 'team_groups_ambiguous', user, teams: r.candidates, chosen: r.team },
        'the identity provider places this user in several teams; the first in sorted order counts',
      );
    }
    if (r.invalid.length > 0) {
      this.log.warn(
        { event: 'team_group_invalid', user, groups: r.invalid },
        'a team group does not give a valid team name (a lower case letter, then letters, digits, _ or -); ignored',
      );
    }
    const outcome = await this.apply(user, r.team);
    this.#done.set(user, { team: r.team, at: now });
    if (outcome.changed) {
      this.log.info(
        {
          event: 'team_from_groups',
          user,
          team: r.team,
          previous_team: outcome.previous?.team ?? null,
          previous_source: outcome.previous?.source ?? null,
          team_created: outcome.teamCreated,
        },
        r.team ? "team membership set from the identity provider's groups" : "team membership from the identity provider's groups removed",
      );
    }
  }
}
