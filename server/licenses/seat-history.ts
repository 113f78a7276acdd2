// Seat changes read from the history and integrated a slice of time at a time. better-sqlite3
// is synchronous: one read of a busy hour (100,000 events) plus its integration held the
// event loop ~300 ms, and /healthz and borrows waited behind every statement. Read in slices
// of about SLICE_ROWS changes, each integrated as it comes (seat-hours.ts's integrator) with a
// turn of the event loop between two, a report costs the same CPU but never blocks for more
// than a few milliseconds at once. The answer is the one a single read gives: each slice is
// one statement (a consistent snapshot), a seat's start and its end are each read once, in
// the slice their instant falls in, and slices come in time order.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ReportDb } from './report-queries.ts';
import { seatChanges } from './seat-hour-queries.ts';
import { integrator, type GroupCells, type Integration } from './seat-hours.ts';

/** Changes a slice aims to hold: a few milliseconds of reading and integrating. */
export const SLICE_ROWS = 2000;
/** The first slice, before the history's density is known (a busy hour has ~30 changes a second). */
const FIRST_SLICE_SECONDS = 60;
/** A quiet history's slices grow at most this much from one to the next. */
const GROWTH = 4;

/**
 * Integrates the seat changes of [x.base, x.end) of `tool` (null: every pool), read in slices.
 * A slice's length follows the density of the one before, so it holds about `sliceRows`.
 */
export async function integrateHistory(
  db: ReportDb,
  x: Omit<Integration, 'changes'>,
  tool: string | null,
  sliceRows = SLICE_ROWS,
): Promise<GroupCells[]> {
  const it = integrator(x);
  let span = FIRST_SLICE_SECONDS;
  // Boundaries between slices are whole seconds (whole milliseconds in the SQL: no rounding
  // can put an event in two slices or none); the last is x.end itself, as a single read has it.
  for (let a = x.base; a < x.end; ) {
    const b = Math.min(x.end, Math.floor(a) + Math.max(1, Math.round(span)));
    const changes = await seatChanges(db, a, b, tool);
    it.feed(changes);
    span = Math.max(1, span * Math.min(GROWTH, sliceRows / Math.max(1, changes.length)));
    a = b;
    if (a < x.end) await nextTurn();
  }
  return it.finish();
}
