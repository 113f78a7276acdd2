// Pools of the FlexNet and RLM license servers Floatline observes: loaded a page at a time,
// kept current by observedPoolChanged, loaded again after every reconnect. Read-only:
// nobody borrows them through Floatline.
import type { Client, OperationResult } from '@urql/svelte';
import type { ResultOf } from 'gql.tada';
import type { ConnectionState } from './connection.svelte';
import { followSubscription } from './follow-subscription';
import { OBSERVED_POOL_CHANGED, OBSERVED_POOLS_QUERY, OBSERVED_SOURCES_QUERY } from './operations';
import type { ObservedPool, ObservedSource } from './types';

/** Pages of observed pools read at most (25 each). */
const MAX_PAGES = 40;

const keyOf = (p: { source: string; feature: string; vendor: string | null }) => `${p.source}/${p.feature}/${p.vendor ?? ''}`;

export class ObservedState {
  pools = $state<ObservedPool[]>([]);
  /** The registered sources by name, with their health as last loaded. */
  sources = $state<ObservedSource[]>([]);

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
    this.sources = sources.data.observedSources.nodes;
  }

  apply(pool: ObservedPool): void {
    const key = keyOf(pool);
    const rest = this.pools.filter((p) => keyOf(p) !== key);
    this.pools = pool.removed ? rest : [...rest, pool].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const known = this.sources.find((s) => s.name === pool.source);
    if (known && !pool.removed) {
      // A pool changed by a snapshot: its source answered it (or not, when stale) just now.
      this.#putSource({ ...known, serverUp: !pool.stale, lastSnapshotAt: pool.updatedAt });
    } else if (!known && !pool.removed) {
      // A source registered elsewhere (another admin, the REST API) has sent its first snapshot.
      void this.reloadSources();
    } else if (pool.removed && !this.pools.some((p) => p.source === pool.source)) {
      // Its last pool went: the source may have been removed (or its features left the license file).
      void this.reloadSources();
    }
  }

  async reloadSources(): Promise<void> {
    const sources = await this.client.query(OBSERVED_SOURCES_QUERY, {}).toPromise();
    if (sources.data) this.sources = sources.data.observedSources.nodes;
  }

  /** A source this page registered: listed at once, before any snapshot. */
  added(source: ObservedSource): void {
    this.#putSource(source);
  }

  /** A source this page removed: gone with its pools (the server's live update removes them elsewhere). */
  removed(name: string): void {
    this.sources = this.sources.filter((s) => s.name !== name);
    this.pools = this.pools.filter((p) => p.source !== name);
  }

  #putSource(source: ObservedSource): void {
    this.sources = [...this.sources.filter((s) => s.name !== source.name), source].sort((a, b) => a.name.localeCompare(b.name));
  }
}
