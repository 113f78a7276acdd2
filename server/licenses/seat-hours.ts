// How many seats each pool, team, user and project held, integrated over time.
// Pure: given the seats held at an instant (levels per group) and the seat changes after it
// (+1 when a seat is taken, -1 when it ends), it sums per group and per cell of time the
// seat-seconds, the peak, the expiries and revocations and the first and last instant a
// seat was held. The roll-up (seat-rollup.ts) calls it with one cell per hour to write
// seat_hours; reports (seat-usage.ts) call it for the parts of a window the hours do not
// cover, with one cell per chart bucket.
//
// Every seat keeps its groups from start to end: the team is recorded with the borrow
// (migration 20261201030000), the user and project are the borrow's own.

export type SeatDim = 'pool' | 'team' | 'user' | 'project';
export const SEAT_DIMS: readonly SeatDim[] = ['pool', 'team', 'user', 'project'];

/** A seat taken (d +1: borrowed, granted) or given back (d -1: returned, expired, revoked). Observed
 *  pools (server/observed/usage.ts) take or give back several at once: d is ± the licenses. */
export interface SeatChange {
  /** Seconds since 1970-01-01 UTC. */
  t: number;
  tool: string;
  user: string;
  team: string | null;
  project: string | null;
  d: number;
  /** For an end: expired or revoked are counted; returned is not. */
  end: 'returned' | 'expired' | 'revoked' | null;
}

/** Seats a group held at an instant. grp '' stands for the pool row and for no team or project. */
export interface SeatLevel {
  tool: string;
  dim: SeatDim;
  grp: string;
  level: number;
}

export interface CellStats {
  seatSeconds: number;
  /** Most seats held at once in the cell. */
  peak: number;
  /** Seats held as the cell began and as it ended (or at the window's end). */
  startLevel: number;
  endLevel: number;
  expiries: number;
  revocations: number;
  /** First and last instant (seconds since 1970) a seat was held in the cell; null: none. */
  firstAt: number | null;
  lastAt: number | null;
}

export interface GroupCells {
  tool: string;
  dim: SeatDim;
  grp: string;
  /** Per cell index. */
  cells: Map<number, CellStats>;
}

export interface Integration {
  dims: readonly SeatDim[];
  /** The instant `levels` hold at; every change is at or after it. */
  base: number;
  /** What is summed: [start, end), start >= base. */
  start: number;
  end: number;
  /** Cells of `cellSeconds` from `origin` (cell k is [origin + k × size, origin + (k+1) × size)); null: one cell, 0. */
  cellSeconds: number | null;
  origin: number;
  levels: SeatLevel[];
  /** Sorted by t, ends before starts at the same t (a seat that ends as another starts is not held with it). */
  changes: SeatChange[];
}

const groupOf = (dim: SeatDim, c: SeatChange): string =>
  dim === 'pool' ? '' : dim === 'team' ? (c.team ?? '') : dim === 'user' ? c.user : (c.project ?? '');

/** The order changes must come in: time, then ends before starts. */
export const byTimeEndsFirst = (a: SeatChange, b: SeatChange): number => a.t - b.t || a.d - b.d;

interface State {
  g: GroupCells;
  level: number;
  t: number;
}

/** Integrates a history fed in pieces: `feed` the changes in order (each piece sorted as
 *  Integration.changes, none before a change fed already), then `finish`. Reports read a busy
 *  hour's history a slice at a time (seat-history.ts), so no read holds the event loop for
 *  the whole of it; fed whole or in slices, the answer is the same. */
export interface Integrator {
  feed(changes: readonly SeatChange[]): Integrator;
  finish(): GroupCells[];
}

export function integrator(x: Omit<Integration, 'changes'>): Integrator {
  const size = x.cellSeconds;
  const cellOf = (t: number) => (size === null ? 0 : Math.floor((t - x.origin) / size));
  const cellEnd = (k: number) => (size === null ? x.end : Math.min(x.end, x.origin + (k + 1) * size));
  const groups = new Map<string, State>();
  const state = (tool: string, dim: SeatDim, grp: string): State => {
    const key = `${tool}\u0000${dim}\u0000${grp}`;
    let s = groups.get(key);
    if (!s) {
      s = { g: { tool, dim, grp, cells: new Map() }, level: 0, t: x.base };
      groups.set(key, s);
    }
    return s;
  };
  const cell = (s: State, k: number, levelBefore: number): CellStats => {
    let c = s.g.cells.get(k);
    if (!c) {
      c = {
        seatSeconds: 0,
        peak: 0,
        startLevel: levelBefore,
        endLevel: levelBefore,
        expiries: 0,
        revocations: 0,
        firstAt: null,
        lastAt: null,
      };
      s.g.cells.set(k, c);
    }
    return c;
  };
  // Holds the group's level from s.t to `to`, cell by cell (only the part inside [start, end)).
  const advance = (s: State, to: number) => {
    let a = Math.max(s.t, x.start);
    const b = Math.min(to, x.end);
    if (s.level !== 0) {
      while (a < b) {
        const k = cellOf(a);
        const e = Math.min(cellEnd(k), b);
        const c = cell(s, k, s.level);
        c.seatSeconds += s.level * (e - a);
        c.endLevel = s.level;
        if (s.level > 0) {
          if (s.level > c.peak) c.peak = s.level;
          if (c.firstAt === null) c.firstAt = a;
          c.lastAt = e;
        }
        a = e;
      }
    }
    if (to > s.t) s.t = to;
  };
  for (const l of x.levels) if (x.dims.includes(l.dim)) state(l.tool, l.dim, l.grp).level += l.level;
  const feed = (changes: readonly SeatChange[]): Integrator => {
    for (const ch of changes) {
      if (ch.t >= x.end) break; // in order: the rest are after the end too
      for (const dim of x.dims) {
        const s = state(ch.tool, dim, groupOf(dim, ch));
        advance(s, ch.t);
        // An end whose start is not in the levels (history written or deleted behind the
        // server's back) is not counted: a group never holds fewer than no seats.
        if (s.level + ch.d < 0) continue;
        s.level += ch.d;
        if (ch.t < x.start) continue;
        const c = cell(s, cellOf(ch.t), s.level - ch.d);
        c.endLevel = s.level;
        if (ch.d > 0 && s.level > c.peak) c.peak = s.level;
        if (ch.end === 'expired') c.expiries++;
        else if (ch.end === 'revoked') c.revocations++;
      }
    }
    return it;
  };
  const it: Integrator = {
    feed,
    finish: () => {
      for (const s of groups.values()) advance(s, x.end);
      return [...groups.values()].map((s) => s.g).filter((g) => g.cells.size > 0);
    },
  };
  return it;
}

/** The whole history at once. */
export const integrate = (x: Integration): GroupCells[] => integrator(x).feed(x.changes).finish();
