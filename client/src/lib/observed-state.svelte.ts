// Pools of the FlexNet and RLM license servers Floatline observes: loaded a page at a time,
// kept current by observedPoolChanged, loaded again after every reconnect. Read-only:
// nobody borrows them through Floatline.
import type { Client, OperationResult } from '@urql/svelte';
import type { ResultOf } from 'gql.tada';
import type { ConnectionState } from './connection.svelte';
import { followSubscription } from './follow-subscription';
import { OBSERVED_POOL_CHANGED, OBSERVED_POOLS_QUERY, OBSERVED_SOURCES_QUERY } from './operations';
import type { ObservedPool } from './types';

/** Pages of observed pools read at most (25 each). */
const MAX_PAGES = 40;

const keyOf = (p: { source: string; feature: string; vendor: string | null }) => `${p.source}/${p.feature}/${p.vendor ?? ''}`;

export class ObservedState {
  pools = $state<ObservedPool[]>([]);
  /** Source name → up (null before its first snapshot). */
  sourcesUp = $state<Record<string, boolean | null>>({});

  constructor(
    private readonly client: Client,
    connection: ConnectionState,
  ) {
    connection.onLive(() => {
      setTimeout(() => void this.reload(), 0);
    });
  }

  start(): () => void {
    const stop = followSubscription(this.client, OBSERVED_POOL_CHANGED, (d) => this.apply(d.observedPoolChanged));
    void this.reload();
    return stop;
  }

  async reload(): Promise<void> {
    const pools: ObservedPool[] = [];
    let after: string | null = null;
    // At most MAX_PAGES pages (1,000 pools): bounded even if a cursor never ends.
    for (let page = 0; page < MAX_PAGES; page++) {
      const result: OperationResult<ResultOf<typeof OBSERVED_POOLS_QUERY>> = await this.client
        .query(OBSERVED_POOLS_QUERY, { after })
        .toPromise();
      if (!result.data) return;
      const { nodes, pageInfo } = result.data.observedPools;
      pools.push(...nodes);
      if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
      after = pageInfo.endCursor;
    }
    const sources = await this.client.query(OBSERVED_SOURCES_QUERY, {}).toPromise();
    if (!sources.data) return;
    this.pools = pools;
    this.sourcesUp = Object.fromEntries(sources.data.observedSources.nodes.map((s) => [s.name, s.serverUp]));
  }

  apply(pool: ObservedPool): void {
    const key = keyOf(pool);
    const rest = this.pools.filter((p) => keyOf(p) !== key);
    this.pools = pool.removed ? rest : [...rest, pool].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    this.sourcesUp = { ...this.sourcesUp, [pool.source]: !pool.stale };
  }
}
