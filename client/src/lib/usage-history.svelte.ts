// Borrowed seats per tool over a sliding window: the server's history, then every live
// event appended as a new point.
import type { Client } from '@urql/svelte';
import { USAGE_QUERY } from './operations';
import type { LicenseEvent, UsageSeries } from './types';

export const WINDOWS = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 hour' },
  { minutes: 360, label: '6 hours' },
  { minutes: 1440, label: '24 hours' },
] as const;

export class UsageHistory {
  series = $state<UsageSeries[]>([]);
  minutes = $state(60);
  error = $state<string | null>(null);

  constructor(private readonly client: Client) {}

  async reload(): Promise<void> {
    const result = await this.client.query(USAGE_QUERY, { minutes: this.minutes }).toPromise();
    if (result.data) {
      this.series = result.data.usage;
      this.error = null;
    } else {
      this.error = result.error?.message ?? 'No usage data';
    }
  }

  async setWindow(minutes: number): Promise<void> {
    this.minutes = minutes;
    await this.reload();
  }

  extend(event: LicenseEvent): void {
    if (event.type === 'DENIED') return;
    // A retired pool leaves the chart as it leaves the cards (the server's usage skips it too).
    if (event.type === 'POOL_RETIRED') {
      this.series = this.series.filter((s) => s.tool !== event.tool);
      return;
    }
    const point = { at: event.at, borrowed: event.borrowed };
    const index = this.series.findIndex((s) => s.tool === event.tool);
    if (index < 0) {
      this.series = [...this.series, { tool: event.tool, total: event.total, points: [point] }];
      return;
    }
    const current = this.series[index]!;
    const last = current.points.at(-1);
    // Replayed after a reload, an event may already be in the server's history.
    if (last && last.at === point.at && last.borrowed === point.borrowed) return;
    this.series[index] = { ...current, total: event.total, points: [...current.points, point] };
  }
}
