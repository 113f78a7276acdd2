// The group → team mapping alone (in process): prefix, list, Keycloak paths, case, the rule
// for several matching groups, invalid names; and the per-user memory that keeps a busy JWT
// client from writing on every request.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { readConfig } from '../config.ts';
import { teamFromGroups, TeamSync } from './team-groups.ts';

const cfg = (prefix: string | null, groups: string[] = []) => ({ teamGroupPrefix: prefix, teamGroups: groups });

describe('teamFromGroups', () => {
  it('maps a prefix and a list, ignores other groups', () => {
    expect(teamFromGroups(cfg('team-'), ['floatline-users', 'team-powertrain']).team).toBe('powertrain');
    expect(teamFromGroups(cfg(null, ['cad', 'interns']), ['interns', 'x']).team).toBe('interns');
    expect(teamFromGroups(cfg('team-'), ['floatline-users']).team).toBeNull();
    expect(teamFromGroups(cfg('team-'), ['team-']).team).toBeNull(); // the prefix alone names nothing
    expect(teamFromGroups(cfg('team-'), 'team-solo').team).toBe('solo'); // a single string claim
    expect(teamFromGroups(cfg('team-'), undefined).team).toBeNull();
  });

  it('takes Keycloak full paths by their last segment and lower-cases names', () => {
    expect(teamFromGroups(cfg('team-'), ['/org/team-Chassis']).team).toBe('chassis');
    expect(teamFromGroups(cfg(null, ['cad']), ['/cad']).team).toBe('cad');
  });

  it('several matching groups: the first in code-point order counts, all are reported', () => {
    const r = teamFromGroups(cfg('team-', ['body']), ['team-zeta', 'body', 'team-alpha']);
    expect(r).toEqual({ team: 'alpha', candidates: ['alpha', 'body', 'zeta'], invalid: [] });
  });

  it('a matching group that cannot be a team name is reported and ignored', () => {
    const r = teamFromGroups(cfg('team-'), ['team-power train', 'team-ok']);
    expect(r.team).toBe('ok');
    expect(r.invalid).toEqual(['team-power train']);
  });

  it('reads OIDC_TEAM_GROUP_PREFIX and OIDC_TEAM_GROUPS', () => {
    const oidc = readConfig({
      AUTH_MODE: 'required',
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'floatline',
      OIDC_TEAM_GROUP_PREFIX: 'team-',
      OIDC_TEAM_GROUPS: 'cad, interns',
    }).auth.oidc!;
    expect(oidc.teamGroupPrefix).toBe('team-');
    expect(oidc.teamGroups).toEqual(['cad', 'interns']);
  });
});

describe('TeamSync', () => {
  it('applies a change, then remembers it for a minute per user (no write per request)', async () => {
    const calls: [string, string | null][] = [];
    const oidc = readConfig({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'f', OIDC_TEAM_GROUP_PREFIX: 'team-' }).auth.oidc!;
    const sync = new TeamSync(
      oidc,
      async (user, team) => {
        calls.push([user, team]);
        return { changed: true, previous: null, teamCreated: false };
      },
      createLogger('silent'),
    );
    await sync.sync('ann', ['team-a'], false, 1000);
    await sync.sync('ann', ['team-a'], false, 2000);
    expect(calls).toEqual([['ann', 'a']]);
    await sync.sync('ann', ['team-b'], false, 3000); // groups changed: applied at once
    await sync.sync('ann', ['team-b'], false, 3000 + 61_000); // a minute on: applied again
    await sync.sync('ann', ['team-b'], true, 3000 + 61_001); // sign-in always applies
    expect(calls).toEqual([
      ['ann', 'a'],
      ['ann', 'b'],
      ['ann', 'b'],
      ['ann', 'b'],
    ]);
  });
});
