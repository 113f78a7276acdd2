// The teams page's data: every team with its members and pool shares. Read when the page
// opens, after this page changed something, and — for admins, who receive the audit trail
// live — whenever an audit event says a team or share changed elsewhere. Pushed, never
// polled. One read at a time; a change while one is out asks once more when it answers, so
// the last answer is never stale.
import type { Client } from '@urql/svelte';
import { singleFlight } from './single-flight';
import { followSubscription } from './follow-subscription';
import { AUDIT_ADDED, TEAM_MEMBERS_PAGE, TEAM_SHARES_PAGE, TEAMS_QUERY } from './operations';
import type { Team } from './types';

const TEAM_ACTIONS: ReadonlySet<string> = new Set(['TEAM_CREATED', 'TEAM_DELETED', 'TEAM_MEMBERS_SET', 'SHARES_CHANGED']);

export class TeamsState {
  teams = $state<Team[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly client: Client) {}

  /** Admins: read again when the audit trail reports a team or share change. */
  follow(): () => void {
    return followSubscription(this.client, AUDIT_ADDED, (d) => {
      if (TEAM_ACTIONS.has(d.auditEventAdded.action)) void this.reload();
    });
  }

  /** Reads everything again; one read at a time (single-flight.ts). */
  readonly reload = singleFlight(() => this.load());

  private async load(): Promise<void> {
    try {
      const fresh = { requestPolicy: 'network-only' } as const;
      const names = await this.client.query(TEAMS_QUERY, {}, fresh).toPromise();
      if (!names.data) throw new Error(names.error?.message ?? 'The server did not answer.');
      const teams = new Map<string, Team>(names.data.teams.map((t) => [t.name, { ...t, members: [], shares: [] }]));
      for (let after = null as string | null, more = true; more; ) {
        const page = await this.client.query(TEAM_MEMBERS_PAGE, { after }, fresh).toPromise();
        if (!page.data) throw new Error(page.error?.message ?? 'The server did not answer.');
        for (const m of page.data.teamMembers.nodes) teams.get(m.team)?.members.push(m.user);
        ({ hasNextPage: more, endCursor: after } = page.data.teamMembers.pageInfo);
      }
      for (let after = null as string | null, more = true; more; ) {
        const page = await this.client.query(TEAM_SHARES_PAGE, { after }, fresh).toPromise();
        if (!page.data) throw new Error(page.error?.message ?? 'The server did not answer.');
        for (const { team, ...share } of page.data.teamShares.nodes) teams.get(team)?.shares.push(share);
        ({ hasNextPage: more, endCursor: after } = page.data.teamShares.pageInfo);
      }
      this.teams = [...teams.values()];
      this.loaded = true;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** A pool's shares, one per team that has one, by team name. */
  sharesOf(tool: string): { team: string; reserved: number; max: number | null }[] {
    return this.teams.flatMap((t) =>
      t.shares.filter((s) => s.tool === tool).map((s) => ({ team: t.name, reserved: s.reserved, max: s.max ?? null })),
    );
  }
}
