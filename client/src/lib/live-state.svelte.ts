// Everything the dashboard shows, loaded once, kept current by the two subscriptions and
// reloaded whole after a reconnect (events sent while the link was down are lost).
import type { Client } from '@urql/svelte';
import type { ConnectionState } from './connection.svelte';
import { CHARGES_QUERY, DASHBOARD_QUERY, LICENSE_EVENTS, POOL_CHANGED } from './operations';
import type { Borrow, LicenseEvent, OverageCharge, Pool } from './types';
import { UsageHistory } from './usage-history.svelte';
import { followSubscription } from './follow-subscription';

const FEED_LENGTH = 60;

interface DashboardData { pools: Pool[]; borrows: Borrow[]; overageCharges: OverageCharge[]; events: LicenseEvent[] }

export class LiveState {
  pools = $state<Pool[]>([]);
  borrows = $state<Borrow[]>([]);
  charges = $state<OverageCharge[]>([]);
  events = $state<LicenseEvent[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  readonly usage: UsageHistory;

  totals = $derived({
    commit: this.pools.reduce((sum, p) => sum + p.commitPrice, 0),
    overage: this.pools.reduce((sum, p) => sum + p.currentOverageCost, 0),
    total: this.pools.reduce((sum, p) => sum + p.totalCost, 0),
  });

  private loading = false;
  private changedWhileLoading = false;
  private chargesTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: Client, connection: ConnectionState) {
    this.usage = new UsageHistory(client);
    // Load again on every connection, the first included: a change made between the first
    // load's snapshot and the subscriptions starting would otherwise never show.
    // The timeout lets graphql-ws send its subscribe messages before the query leaves.
    connection.onLive(() => { setTimeout(() => void this.reload(), 0); });
  }

  /** Starts the subscriptions and the first load; returns a function that stops them. */
  start(): () => void {
    const stopPools = followSubscription<{ poolChanged: Pool }>(this.client, POOL_CHANGED, (d) => this.applyPool(d.poolChanged));
    const stopEvents = followSubscription<{ licenseEvents: LicenseEvent }>(this.client, LICENSE_EVENTS, (d) => {
      this.applyEvent(d.licenseEvents);
    });
    void this.reload();
    return () => { stopPools(); stopEvents(); };
  }

  async reload(): Promise<void> {
    if (this.loading) { this.changedWhileLoading = true; return; }
    this.loading = true;
    this.changedWhileLoading = false;
    try {
      const result = await this.client.query<DashboardData>(DASHBOARD_QUERY, { events: FEED_LENGTH }).toPromise();
      if (result.error || !result.data) {
        this.loadError = result.error?.message ?? 'No data from the server';
      } else {
        this.pools = result.data.pools;
        this.borrows = result.data.borrows;
        this.charges = result.data.overageCharges;
        this.events = result.data.events;
        this.loadError = null;
        this.loaded = true;
      }
      await this.usage.reload();
    } finally {
      this.loading = false;
    }
    // A change that arrived mid-load may be older than our snapshot or newer: load again.
    if (this.changedWhileLoading) await this.reload();
  }

  pool(tool: string): Pool | undefined {
    return this.pools.find((p) => p.tool === tool);
  }

  applyPool(pool: Pool): void {
    if (this.loading) this.changedWhileLoading = true;
    const index = this.pools.findIndex((p) => p.tool === pool.tool);
    if (index >= 0) this.pools[index] = pool;
    else this.pools = [...this.pools, pool].sort((a, b) => a.tool.localeCompare(b.tool));
  }

  applyEvent(event: LicenseEvent): void {
    if (this.loading) this.changedWhileLoading = true;
    if (this.events.some((e) => e.id === event.id)) return;
    this.events = [event, ...this.events].slice(0, FEED_LENGTH);
    this.usage.extend(event);
    if (event.type === 'BORROWED' && event.borrowId && event.user !== null) {
      this.addBorrow({ id: event.borrowId, tool: event.tool, user: event.user, borrowedAt: event.at });
      this.refreshChargesSoon();
    } else if (event.type === 'RETURNED' && event.borrowId) {
      this.removeBorrow(event.borrowId);
    }
  }

  /** Idempotent: the mutation's own answer and the subscription both report a borrow. */
  addBorrow(borrow: Borrow): void {
    if (this.borrows.some((b) => b.id === borrow.id)) return;
    this.borrows = [borrow, ...this.borrows];
  }

  removeBorrow(id: string): void {
    this.borrows = this.borrows.filter((b) => b.id !== id);
  }

  /** Events don't carry charge amounts, so ask once a burst of borrows has settled. */
  private refreshChargesSoon(): void {
    clearTimeout(this.chargesTimer);
    this.chargesTimer = setTimeout(async () => {
      const result = await this.client.query<{ overageCharges: OverageCharge[] }>(CHARGES_QUERY, {}).toPromise();
      if (result.data) this.charges = result.data.overageCharges;
    }, 150);
  }
}
