// Where a usage chart's buckets fall (reports.ts draws the series, seat-usage.ts sums seats
// into the same buckets).

/**
 * Where a chart's buckets start (ms): buckets of an hour or more fall on whole UTC hours —
 * multiples of their size since 1970 up to a day, from midnight for longer ones — so charts
 * of different windows line up and whole hours come from seat_hours; the first point starts
 * at `from` itself. Shorter buckets start at `from`.
 */
export function seriesOrigin(from: Date, bucketSeconds: number): number {
  if (bucketSeconds < 3600) return from.getTime();
  const align = Math.min(bucketSeconds, 86_400) * 1000;
  return Math.floor(from.getTime() / align) * align;
}
