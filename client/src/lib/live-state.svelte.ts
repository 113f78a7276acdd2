// Everything the dashboard shows: loaded with one query, kept current by the two
// subscriptions, loaded again after every reconnect (events sent while the link was down are lost).
import type { Client } from '@urql/svelte';
import type { ConnectionState } from './connection.svelte';
import { BORROWS_QUERY, CHARGES_QUERY, DASHBOARD_QUERY, FEED_LENGTH, LICENSE_EVENTS, POOL_CHANGED, POOL_QUEUE } from './operations';
import type { Borrow, ChargesPage, LicenseEvent, OverageCharge, Pool, Waiter } from './types';
import { UsageHistory } from './usage-history.svelte';
import { followSubscription } from './follow-subscription';

export class LiveState {
  pools = $state<Pool[]>([]);
  borrows = $state<Borrow[]>([]);
  /** The newest charges (a page); chargeCount counts them all. */
  charges = $state<OverageCharge[]>([]);
  chargeCount = $state(0);
  events = $state<LicenseEvent[]>([]);
  /** The head of each pool's line (the first few waiters), by tool; absent while nobody waits. */
  lines = $state<Record<string, Waiter[]>>({});
  loaded = $state(false);
  loadError = $state<string | null>(null);
  readonly usage: UsageHistory;

  totals = $derived({
    commit: this.pools.reduce((sum, p) => sum + p.commitPrice, 0),
    overage: this.pools.reduce((sum, p) => sum + p.currentOverageCost, 0),
    total: this.pools.reduce((sum, p) => sum + p.totalCost, 0),
  });

  private loading = false;
  private loadAgain = false;
  /** Changes pushed while a load is in flight, re-applied on top of its snapshot. */
  private pushedDuringLoad: { pools: Map<string, Pool>; events: LicenseEvent[] } | null = null;
  private chargesTimer: ReturnType<typeof setTimeout> | undefined;
  private borrowsTimer: ReturnType<typeof setTimeout> | undefined;
  private borrowsAskedAt = 0;
  /** Pools whose line is being fetched, and those whose line moved again meanwhile. */
  private linesLoading = new Set<string>();
  private linesStale = new Set<string>();

  constructor(
    private readonly client: Client,
    connection: ConnectionState,
  ) {
    this.usage = new UsageHistory(client);
    // Load again on every connection, the first included: a change made between the first
    // load's snapshot and the subscriptions starting would otherwise never show.
    // The timeout lets graphql-ws send its subscribe messages before the query leaves.
    connection.onLive(() => {
      setTimeout(() => void this.reload(), 0);
    });
  }

  /** Starts the subscriptions and the first load; returns a function that stops them. */
  start(): () => void {
    const stopPools = followSubscription(this.client, POOL_CHANGED, (d) => this.applyPool(d.poolChanged));
    const stopEvents = followSubscription(this.client, LICENSE_EVENTS, (d) => {
      this.applyEvent(d.licenseEvents);
    });
    void this.reload();
    return () => {
      stopPools();
      stopEvents();
    };
  }

  /**
   * Replaces everything with a fresh snapshot. Whatever the subscriptions pushed meanwhile is
   * applied again on top: it is either already in the snapshot (a no-op) or newer than it.
   * That never loops, however busy the server, unlike "load again if something changed".
   */
  async reload(): Promise<void> {
    if (this.loading) {
      this.loadAgain = true;
      return;
    }
    this.loading = true;
    const pushed = { pools: new Map<string, Pool>(), events: [] as LicenseEvent[] };
    this.pushedDuringLoad = pushed;
    try {
      const result = await this.client.query(DASHBOARD_QUERY, {}).toPromise();
      if (result.error || !result.data) {
        this.loadError = result.error?.message ?? 'No data from the server';
      } else {
        this.pools = result.data.pools;
        this.borrows = result.data.borrows.nodes;
        this.applyCharges(result.data.overageCharges);
        this.events = result.data.events.nodes;
        this.loadError = null;
        this.loaded = true;
        this.lines = {};
        for (const pool of this.pools) if (pool.queued > 0) this.refreshLine(pool.tool);
      }
      await this.usage.reload();
    } finally {
      this.pushedDuringLoad = null;
      this.loading = false;
    }
    for (const pool of pushed.pools.values()) this.applyPool(pool);
    for (const event of pushed.events) this.applyEvent(event);
    if (this.loadAgain) {
      this.loadAgain = false;
      await this.reload();
    }
  }

  applyPool(pool: Pool): void {
    this.pushedDuringLoad?.pools.set(pool.tool, pool);
    const index = this.pools.findIndex((p) => p.tool === pool.tool);
    // A retired pool's last push: it leaves every view (its history stays in the feed).
    if (pool.retired) {
      if (index >= 0) this.pools = this.pools.filter((p) => p.tool !== pool.tool);
      delete this.lines[pool.tool];
      return;
    }
    // Seat-hours of continuing overage use are charged with no event (the sweep): a cost that
    // grew is the sign the charges table has new rows.
    if (index >= 0 && pool.currentOverageCost > this.pools[index]!.currentOverageCost) this.refreshChargesSoon();
    if (index >= 0) this.pools[index] = pool;
    else this.pools = [...this.pools, pool].sort((a, b) => a.tool.localeCompare(b.tool));
  }

  applyEvent(event: LicenseEvent): void {
    this.pushedDuringLoad?.events.push(event);
    if (this.events.some((e) => e.id === event.id)) return;
    this.events = [event, ...this.events].slice(0, FEED_LENGTH);
    this.usage.extend(event);
    // A seat handed from the line is a borrow like any other (charged, maybe with a lease).
    if ((event.type === 'BORROWED' || event.type === 'GRANTED') && event.borrowId && event.user !== null) {
      this.addBorrow({
        id: event.borrowId,
        tool: event.tool,
        user: event.user,
        borrowedAt: event.at,
        expiresAt: null,
        host: null,
        team: null,
      });
      this.refreshChargesSoon();
      this.refreshBorrowsSoon();
    } else if ((event.type === 'RETURNED' || event.type === 'EXPIRED' || event.type === 'REVOKED') && event.borrowId) {
      this.removeBorrow(event.borrowId);
    }
    if (event.type === 'QUEUED' || event.type === 'GRANTED' || event.type === 'LEFT_QUEUE') this.refreshLine(event.tool);
  }

  /**
   * Asks for the head of a pool's line after an event said it moved. One request per pool at
   * a time; moves while it is out ask once more when it answers, so the last answer is never
   * older than the last move.
   */
  refreshLine(tool: string): void {
    if (this.linesLoading.has(tool)) {
      this.linesStale.add(tool);
      return;
    }
    this.linesLoading.add(tool);
    void this.client
      .query(POOL_QUEUE, { tool }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (result.data) {
          const waiters = result.data.queue.nodes;
          if (waiters.length > 0) this.lines[tool] = waiters;
          else delete this.lines[tool];
        }
      })
      .finally(() => {
        this.linesLoading.delete(tool);
        if (this.linesStale.delete(tool)) this.refreshLine(tool);
      });
  }

  /** Idempotent: the mutation's own answer and the subscription both report a borrow. */
  addBorrow(borrow: Borrow): void {
    if (this.borrows.some((b) => b.id === borrow.id)) return;
    this.borrows = [borrow, ...this.borrows];
  }

  /** A lease this page renewed: its new deadline (no event reports heartbeats). */
  renewBorrow(id: string, expiresAt: string | null): void {
    const index = this.borrows.findIndex((b) => b.id === id);
    if (index >= 0) this.borrows[index] = { ...this.borrows[index]!, expiresAt };
  }

  removeBorrow(id: string): void {
    this.borrows = this.borrows.filter((b) => b.id !== id);
  }

  /**
   * Events carry neither a borrow's lease nor its host, and heartbeats send no event: ask
   * for the current borrows (at most every 2 s) after a borrow and when a shown lease
   * deadline has passed. Only fills in the rows shown; adding and removing rows stays with
   * the events, so an answer older than an event never brings a returned seat back.
   */
  refreshBorrowsSoon(): void {
    if (this.borrowsTimer !== undefined) return;
    const wait = Math.max(300, this.borrowsAskedAt + 2000 - Date.now());
    this.borrowsTimer = setTimeout(async () => {
      this.borrowsTimer = undefined;
      this.borrowsAskedAt = Date.now();
      const result = await this.client.query(BORROWS_QUERY, {}, { requestPolicy: 'network-only' }).toPromise();
      if (!result.data) return;
      const fresh = new Map(result.data.borrows.nodes.map((b) => [b.id, b]));
      this.borrows = this.borrows.map((b) => fresh.get(b.id) ?? b);
    }, wait);
  }

  /** Events don't carry charge amounts: ask at most every 300 ms while borrows keep coming. */
  private refreshChargesSoon(): void {
    if (this.chargesTimer !== undefined) return;
    this.chargesTimer = setTimeout(async () => {
      this.chargesTimer = undefined;
      const result = await this.client.query(CHARGES_QUERY, {}).toPromise();
      if (result.data) this.applyCharges(result.data.overageCharges);
    }, 300);
  }

  private applyCharges(page: ChargesPage): void {
    this.charges = page.nodes;
    this.chargeCount = page.totalCount;
  }
}
