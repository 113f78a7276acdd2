// Seat intervals summed up per group: seat-seconds, peak concurrent seats (a sweep over the
// sorted starts and ends), expiries and revocations, and per bucket the seat changes a usage
// series is drawn from. Pure: SQLite hands the intervals over (loading them is cheaper than
// sorting them in SQL, ~5x for a busy month); PostgreSQL computes the same in SQL
// (report-queries.ts), and the tests hold both to the same numbers.
import type { SeatBucket, SeatTotals } from './report-queries.ts';

/** One seat, clipped to the window: [s, f) in seconds since its start; ex/rv 1 if it ended by expiry/revocation in it. */
export type SeatInterval = [tool: string, group: string | null, s: number, f: number, ex: number, rv: number];

/** One seat change (+1 at a start, -1 at an end) at `t` in bucket `k`: Σ delta and Σ delta × t. */
function addChange(b: Map<number, [number, number]>, k: number, d: number, t: number): void {
  const cell = b.get(k);
  if (cell) {
    cell[0] += d;
    cell[1] += d * t;
  } else b.set(k, [d, d * t]);
}

export function summarizeSeats(rows: SeatInterval[], bucketSeconds: number | null): { totals: SeatTotals[]; buckets: SeatBucket[] } {
  const groups = new Map<string, { t: SeatTotals; s: number[]; f: number[]; b: Map<number, [number, number]> }>();
  for (const [tool, group, s, f, ex, rv] of rows) {
    const key = `${tool}\u0000${group ?? '\u0001'}`;
    let g = groups.get(key);
    if (!g) {
      g = { t: { tool, group, seatSeconds: 0, peak: 0, expiries: 0, revocations: 0, first: null, last: null }, s: [], f: [], b: new Map() };
      groups.set(key, g);
    }
    g.t.seatSeconds += f - s;
    g.t.expiries += ex;
    g.t.revocations += rv;
    g.t.first = g.t.first === null ? s : Math.min(g.t.first, s);
    g.t.last = g.t.last === null ? f : Math.max(g.t.last, f);
    g.s.push(s);
    g.f.push(f);
    if (bucketSeconds) {
      addChange(g.b, Math.floor(s / bucketSeconds), 1, s);
      addChange(g.b, Math.floor(f / bucketSeconds), -1, f);
    }
  }
  const totals: SeatTotals[] = [];
  const buckets: SeatBucket[] = [];
  for (const g of groups.values()) {
    const starts = Float64Array.from(g.s).sort();
    const ends = Float64Array.from(g.f).sort();
    // A seat that ends when another starts is not held at once with it: ends first.
    let level = 0;
    let j = 0;
    for (let i = 0; i < starts.length; i++) {
      while (j < ends.length && ends[j]! <= starts[i]!) {
        level--;
        j++;
      }
      level++;
      if (level > g.t.peak) g.t.peak = level;
    }
    totals.push(g.t);
    for (const [bucket, [delta, deltaTime]] of g.b) buckets.push({ tool: g.t.tool, group: g.t.group, bucket, delta, deltaTime });
  }
  return { totals, buckets };
}
