// The costs page's data: every pool's statement for the chosen period (current or previous)
// and the seats each team held over it. A closed period is frozen on the server and read
// once. The current one changes with every borrow, return and charge: the page reads it
// again when the feed reports such an event — at most once per REFRESH_MS however busy the
// pools are, and never on a timer while nothing happens.
import type { Client, OperationResult } from '@urql/svelte';
import type { ResultOf } from './graphql';
import { singleFlight } from './single-flight';
import { OBSERVED_PRICES_QUERY, STATEMENTS_QUERY, TEAM_USAGE_QUERY, USAGE_SPAN_QUERY } from './operations';
import type { LicenseEvent, Statement, TeamUsage } from './types';

export type Period = 'current' | 'previous';
const REFRESH_MS = 2_000;
/** Pages of priced observed pools read (100 each): more than any site prices. */
const MAX_OBSERVED_PAGES = 10;
/** Events that change what a current statement or the usage chart shows. */
const MONEY_EVENTS: ReadonlySet<LicenseEvent['type']> = new Set([
  'BORROWED',
  'GRANTED',
  'RETURNED',
  'EXPIRED',
  'REVOKED',
  'BUDGET_CHANGED',
  'POOL_CREATED',
  'POOL_RETIRED',
]);

export class CostsState {
  period = $state<Period>('current');
  statements = $state<Statement[]>([]);
  usage = $state<TeamUsage | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastLoad = 0;

  /** The pools to read statements of (the live pool list). */
  constructor(
    private readonly client: Client,
    private readonly tools: () => string[],
  ) {}

  setPeriod(period: Period): void {
    if (period === this.period) return;
    this.period = period;
    this.loaded = false;
    void this.reload();
  }

  /** A feed event: read again soon if it can change the current period's numbers. */
  noticed(event: LicenseEvent): void {
    if (this.period !== 'current' || !MONEY_EVENTS.has(event.type) || this.timer) return;
    const wait = Math.max(0, this.lastLoad + REFRESH_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, wait);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The observed pools an admin priced (`<source>/<feature>`): their statements sit beside the native ones. */
  private async observedTools(): Promise<string[]> {
    const tools: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_OBSERVED_PAGES; page++) {
      const answer: OperationResult<ResultOf<typeof OBSERVED_PRICES_QUERY>> = await this.client
        .query(OBSERVED_PRICES_QUERY, { after }, { requestPolicy: 'network-only' })
        .toPromise();
      if (!answer.data) throw new Error(answer.error?.message ?? 'The server did not answer.');
      const prices = answer.data.observedPrices;
      tools.push(...prices.nodes.map((p) => p.tool));
      if (!prices.pageInfo.hasNextPage) break;
      after = prices.pageInfo.endCursor ?? null;
    }
    return tools;
  }

  /** Reads everything again; one read at a time (single-flight.ts). */
  readonly reload = singleFlight(() => this.load());

  private async load(): Promise<void> {
    this.lastLoad = Date.now();
    const period = this.period;
    try {
      const fresh = { requestPolicy: 'network-only' } as const;
      const tools = [...this.tools(), ...(await this.observedTools())];
      const answers = await Promise.all(tools.map((tool) => this.client.query(STATEMENTS_QUERY, { period, tool }, fresh).toPromise()));
      const list: Statement[] = [];
      for (const answer of answers) {
        // A pool retired meanwhile is simply gone from the list.
        // Retired meanwhile, or not yet in existence in that period (no statement): left out.
        if (answer.error?.graphQLErrors.some((e) => e.extensions?.code === 'TOOL_NOT_FOUND' || e.extensions?.code === 'NO_STATEMENT'))
          continue;
        if (!answer.data) throw new Error(answer.error?.message ?? 'The server did not answer.');
        list.push(answer.data.statement);
      }
      // The chart's window: the span of the period that holds data (the first seat held to
      // the last, or now), asked for first, so its buckets are fine enough to show the day
      // the seats were used rather than a month averaged into 200 flat steps.
      const first = list[0];
      let usage: TeamUsage | null = null;
      if (first) {
        const end = new Date(Math.min(Date.parse(first.periodEnd), Date.now())).toISOString();
        const span = await this.client.query(USAGE_SPAN_QUERY, { from: first.periodStart, to: end }, fresh).toPromise();
        if (!span.data) throw new Error(span.error?.message ?? 'The server did not answer.');
        const { dataFrom, dataTo } = span.data.usageReport;
        if (dataFrom && dataTo) {
          const to = Math.max(Date.parse(dataTo), Date.parse(dataFrom) + 60_000);
          const window = { from: dataFrom, to: new Date(Math.min(to, Date.parse(end))).toISOString() };
          const report = await this.client.query(TEAM_USAGE_QUERY, window, fresh).toPromise();
          if (!report.data) throw new Error(report.error?.message ?? 'The server did not answer.');
          usage = report.data.usageReport;
        }
      }
      if (period === this.period) {
        this.statements = list;
        this.usage = usage;
        this.loaded = true;
        this.error = null;
      }
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

/** Seats per team over time, pools added up (every row shares the report's buckets). */
export function teamSeries(usage: TeamUsage | null): { team: string; points: { t: number; seats: number }[]; seatHours: number }[] {
  if (!usage) return [];
  const byTeam = new Map<string, { points: Map<number, number>; seatHours: number }>();
  for (const row of usage.rows) {
    const team = byTeam.get(row.group) ?? { points: new Map<number, number>(), seatHours: 0 };
    team.seatHours += row.seatHours;
    for (const p of row.series) {
      const t = Date.parse(p.at);
      team.points.set(t, (team.points.get(t) ?? 0) + p.seats);
    }
    byTeam.set(row.group, team);
  }
  return [...byTeam.entries()]
    .map(([team, v]) => ({
      team,
      seatHours: v.seatHours,
      points: [...v.points.entries()].sort((a, b) => a[0] - b[0]).map(([t, seats]) => ({ t, seats })),
    }))
    .sort((a, b) => b.seatHours - a.seatHours || a.team.localeCompare(b.team));
}
