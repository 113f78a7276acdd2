// How observed pools' seats are counted, as plain functions of the rows loaded
// (report-queries.ts). A seat is held from its check-out to its check-in; a holder with
// `licenses` n holds n seats. Check-outs and check-ins come from one origin per pool: the
// debug log when one was ever pushed for that feature (exact, to the second), else the ones
// inferred from consecutive snapshots (to the snapshot interval). Counting both would count
// every seat twice. A source or vendor daemon going down ends its holders' seats (the
// write path records check-ins "source down", index.ts), so an outage adds no seat-hours.
// The summing itself is the native reports' own: integrate() of licenses/seat-hours.ts.
import { integrate, type SeatChange, type SeatDim, type SeatLevel, byTimeEndsFirst } from '../licenses/seat-hours.ts';
import type { HeldRow, SeatEventRow } from './report-queries.ts';
import { poolName } from './report-queries.ts';

export interface ObservedWindow {
  /** Seconds since 1970: [start, end) is summed; end is min(to, now). */
  start: number;
  end: number;
  dim: SeatDim;
  /** Chart cells of this many seconds from `origin` (seconds); null: one cell. */
  cellSeconds: number | null;
  origin: number;
  /** Only this pool (`<source>/<feature>`), or every one. */
  tool: string | null;
}

export interface ObservedSeatTotals {
  tool: string;
  /** '' at group_by pool; null for no team / no project. */
  group: string | null;
  seatSeconds: number;
  peak: number;
  /** Seconds since 1970 of the first and last instant a seat was held. */
  first: number | null;
  last: number | null;
  /** Seat-seconds per chart cell. */
  cells: Map<number, number>;
}

/** A user's group along `dim` ('' for the pool row, no team and no project). */
export const groupOfUser = (dim: SeatDim, user: string, teams: Map<string, string>): string =>
  dim === 'user' ? user : dim === 'team' ? (teams.get(user) ?? '') : '';

/** Seat-seconds, peaks and chart cells of observed pools over a window, per group. */
export function observedSeats(
  w: ObservedWindow,
  held: HeldRow[],
  events: SeatEventRow[],
  logged: Set<string>,
  teams: Map<string, string>,
): ObservedSeatTotals[] {
  const counted = (r: { source: string; feature: string; origin: string }) => {
    const tool = poolName(r.source, r.feature);
    return (w.tool === null || tool === w.tool) && r.origin === (logged.has(tool) ? 'log' : 'snapshot');
  };
  const levels: SeatLevel[] = held
    .filter(counted)
    .map((r) => ({ tool: poolName(r.source, r.feature), dim: w.dim, grp: groupOfUser(w.dim, r.user, teams), level: r.held }));
  const changes: SeatChange[] = events
    .filter(counted)
    .map(
      (e): SeatChange => ({
        t: e.at.getTime() / 1000,
        tool: poolName(e.source, e.feature),
        user: e.user,
        team: teams.get(e.user) ?? null,
        project: null,
        d: e.kind === 'out' ? e.licenses : -e.licenses,
        end: e.kind === 'in' ? 'returned' : null,
      }),
    )
    .sort(byTimeEndsFirst);
  if (w.end <= w.start) return [];
  const groups = integrate({
    ...{ dims: [w.dim], base: w.start, start: w.start, end: w.end, cellSeconds: w.cellSeconds, origin: w.origin },
    ...{ levels, changes },
  });
  const noneIsNull = w.dim === 'team' || w.dim === 'project';
  return groups
    .map((g) => {
      const t: ObservedSeatTotals = {
        ...{ tool: g.tool, group: noneIsNull && g.grp === '' ? null : g.grp },
        ...{ seatSeconds: 0, peak: 0, first: null, last: null, cells: new Map() },
      };
      for (const [k, c] of g.cells) {
        t.seatSeconds += c.seatSeconds;
        t.peak = Math.max(t.peak, c.peak);
        if (c.firstAt !== null) t.first = Math.min(t.first ?? Infinity, c.firstAt);
        if (c.lastAt !== null) t.last = Math.max(t.last ?? -Infinity, c.lastAt);
        t.cells.set(k, (t.cells.get(k) ?? 0) + c.seatSeconds);
      }
      return t;
    })
    .filter((t) => t.seatSeconds > 0 || t.peak > 0);
}
