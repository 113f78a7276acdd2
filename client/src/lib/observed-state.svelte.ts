// Pools of the FlexNet and RLM license servers Floatline observes: loaded with one query,
// kept current by observedPoolChanged, loaded again after every reconnect. Read-only:
// nobody borrows them through Floatline.
import type { Client } from '@urql/svelte';
import type { ConnectionState } from './connection.svelte';
import { followSubscription } from './follow-subscription';
import { OBSERVED_POOL_CHANGED, OBSERVED_POOLS_QUERY } from './operations';
import type { ObservedPool } from './types';

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
    const result = await this.client.query(OBSERVED_POOLS_QUERY, {}).toPromise();
    if (!result.data) return;
    this.pools = result.data.observedPools.nodes;
    this.sourcesUp = Object.fromEntries(result.data.observedSources.nodes.map((s) => [s.name, s.serverUp]));
  }

  apply(pool: ObservedPool): void {
    const key = keyOf(pool);
    const rest = this.pools.filter((p) => keyOf(p) !== key);
    this.pools = pool.removed ? rest : [...rest, pool].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    this.sourcesUp = { ...this.sourcesUp, [pool.source]: !pool.stale };
  }
}
