import { describe, expect, it } from 'vitest';
import { summarizeSeats, type SeatInterval } from './seat-stats.ts';

describe('summarizeSeats', () => {
  it('sums seat-seconds, finds the peak (a seat ending as another starts is not held with it) and buckets the changes', () => {
    const rows: SeatInterval[] = [
      ['cad', 'a', 0, 100, 0, 0],
      ['cad', 'a', 100, 200, 1, 0], // starts as the first ends: the peak stays 1
      ['cad', 'a', 150, 250, 0, 1], // overlaps the second: 2
      ['cad', null, 10, 20, 0, 0],
    ];
    const { totals, buckets } = summarizeSeats(rows, 100);
    expect(totals).toEqual([
      { tool: 'cad', group: 'a', seatSeconds: 300, peak: 2, expiries: 1, revocations: 1, first: 0, last: 250 },
      { tool: 'cad', group: null, seatSeconds: 10, peak: 1, expiries: 0, revocations: 0, first: 10, last: 20 },
    ]);
    // Bucket 1 ([100, 200)): +1 at 100, -1 at 100, +1 at 150 → delta 1, Σ delta × t = 150.
    expect(buckets.find((b) => b.group === 'a' && b.bucket === 1)).toEqual({
      tool: 'cad',
      group: 'a',
      bucket: 1,
      delta: 1,
      deltaTime: 150,
    });
  });
});
