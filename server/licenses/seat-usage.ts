// Seat use over a report's window [from, to), per pool and group: seat-seconds,
// peak, expiries, revocations, first and last instant held, and the chart's seat-seconds per
// bucket. Whole hours come from seat_hours (rolled up, seat-rollup.ts); the rest — the
// current hour, a window's partial first and last hours, and with a chart whose buckets do
// not fall on whole hours the hours a bucket boundary cuts — from the history: the levels an
// hour began with (seat_hours) and the seat changes after (seat-hours.ts integrates both, read
// in slices by seat-history.ts so that no report holds the event loop for long).
// A month that starts on an hour is one query of seat_hours plus the hour not rolled up yet.
import type { ReportDb, Window } from './report-queries.ts';
import type { CellStats } from './seat-hours.ts';
import { HOUR, hourCells, levelsAt, type HourRange } from './seat-hour-queries.ts';
import { integrateHistory } from './seat-history.ts';
import type { SeatRollup } from './seat-rollup.ts';
import { seriesOrigin } from './series-buckets.ts';

/** One pool and group over the window; first and last in seconds since `from`. */
export interface SeatTotals {
  tool: string;
  group: string | null;
  seatSeconds: number;
  peak: number;
  expiries: number;
  revocations: number;
  first: number | null;
  last: number | null;
}

export interface SeatUsage {
  totals: SeatTotals[];
  /** Seat-seconds per chart bucket (index from seriesOrigin) of the groups asked for (by SeatTotals.group). */
  series(groups: { tool: string; group: string | null }[]): Map<string, Map<number, number>>;
}

/** The key of a (pool, group) in series() answers. */
export const seriesKey = (tool: string, group: string | null) => JSON.stringify([tool, group]);

export async function seatUsage(db: ReportDb, rollup: SeatRollup, w: Window, bucketSeconds: number | null): Promise<SeatUsage> {
  const dim = w.groupBy;
  const fromS = w.from.getTime() / 1000;
  const toS = w.to.getTime() / 1000;
  const endS = Math.min(toS, w.now.getTime() / 1000);
  const bucket = bucketSeconds ? { originMs: seriesOrigin(w.from, bucketSeconds), sizeMs: bucketSeconds * 1000 } : null;
  // '' is how seat_hours stores "no team" / "no project"; a pool's row is '' too.
  const group = (grp: string): string | null => ((dim === 'team' || dim === 'project') && grp === '' ? null : grp);
  const totals = new Map<string, SeatTotals>();
  const series = new Map<string, Map<number, number>>();
  // Cells of one group come one after another: the maps are asked once per group.
  let last: { tool: string; grp: string; t: SeatTotals; m: Map<number, number> } | undefined;
  const entry = (tool: string, grp: string) => {
    if (last && last.tool === tool && last.grp === grp) return last;
    const key = seriesKey(tool, group(grp));
    let t = totals.get(key);
    if (!t) {
      t = { tool, group: group(grp), seatSeconds: 0, peak: 0, expiries: 0, revocations: 0, first: null, last: null };
      totals.set(key, t);
    }
    let m = series.get(key);
    if (!m) {
      m = new Map();
      series.set(key, m);
    }
    last = { tool, grp, t, m };
    return last;
  };
  // One cell's sums — a bucket of rolled hours, or one integrated from the history — into its
  // group's totals and chart.
  const add = (tool: string, grp: string, k: number, c: Omit<CellStats, 'startLevel' | 'endLevel'>) => {
    const { t, m } = entry(tool, grp);
    t.seatSeconds += c.seatSeconds;
    t.peak = Math.max(t.peak, c.peak);
    t.expiries += c.expiries;
    t.revocations += c.revocations;
    if (c.firstAt !== null) t.first = Math.min(t.first ?? Infinity, c.firstAt - fromS);
    if (c.lastAt !== null) t.last = Math.max(t.last ?? -Infinity, c.lastAt - fromS);
    if (bucket) m.set(k, (m.get(k) ?? 0) + c.seatSeconds);
  };
  if (endS <= fromS) return { totals: [], series: () => new Map() };

  const through = (await rollup.catchUp(w.now, true)) ?? Number.NEGATIVE_INFINITY;
  // An hour is read from seat_hours when it is rolled up, wholly inside the window and, with
  // a chart, wholly inside one bucket (the same test as seat-hour-queries.ts makes in SQL).
  const whole = (h: number) =>
    h < through &&
    h * HOUR >= fromS &&
    (h + 1) * HOUR <= toS &&
    (!bucket ||
      Math.floor((h * 3_600_000 - bucket.originMs) / bucket.sizeMs) ===
        Math.floor(((h + 1) * 3_600_000 - 1 - bucket.originMs) / bucket.sizeMs));
  const firstHour = Math.floor(fromS / HOUR);
  const lastHour = Math.ceil(endS / HOUR); // exclusive
  const range: HourRange = {
    tool: w.tool,
    dim,
    from: Math.ceil(fromS / HOUR),
    to: Math.min(Math.floor(toS / HOUR), through),
    bucket,
  };
  if (range.from < range.to) {
    for (const r of await hourCells(db, range)) add(r.tool, r.grp, r.k, r);
  }
  // The other hours, in runs of consecutive hours: one read of the history each.
  for (let h = firstHour; h < lastHour; ) {
    if (whole(h)) {
      h++;
      continue;
    }
    const runStart = h;
    while (h < lastHour && !whole(h)) h++;
    const start = Math.max(fromS, runStart * HOUR);
    const end = Math.min(endS, h * HOUR);
    if (end <= start) continue;
    // Levels as an hour began are stored for rolled hours only: a run past them starts there.
    const base = Number.isFinite(through) ? Math.min(runStart, through) : runStart;
    // Read and integrated a slice at a time: the current hour of a busy pool is 100,000 events.
    const groups = await integrateHistory(
      db,
      {
        ...{ dims: [dim], base: base * HOUR, start, end, cellSeconds: bucketSeconds, origin: (bucket?.originMs ?? 0) / 1000 },
        levels: await levelsAt(db, base, w.tool, dim),
      },
      w.tool,
    );
    for (const g of groups) for (const [k, c] of g.cells) add(g.tool, g.grp, k, c);
  }
  return {
    totals: [...totals.values()].filter((t) => t.seatSeconds !== 0 || t.peak > 0 || t.expiries > 0 || t.revocations > 0),
    series: (groups) => new Map(groups.map((g) => [seriesKey(g.tool, g.group), series.get(seriesKey(g.tool, g.group)) ?? new Map()])),
  };
}
