// The seat-hour roll-up: a little after each hour ends, the seats every pool,
// team, user and project held in it are summed into seat_hours (seat-hours.ts integrates,
// seat-hour-queries.ts loads and saves). Reports and statements then read one row per group
// and hour instead of every seat of a month; only the hours not rolled up yet (the current
// one) and the partial hours at a window's edges are read from the history.
//
// Hours are rolled up in order, without gaps, all pools at once: an hour starts from the
// levels the hour before ended with. The lease sweep's tick asks for it (no DB work until an
// hour is due); a report asks too, so it never reads a gap. Processes race harmlessly: the
// save is one transaction that checks the hours before are exactly those rolled up.
//
// An hour is rolled up GRACE_SECONDS after it ends, so a transaction that stamped its event
// just before the hour ended has committed. An event stamped into an hour already rolled up
// (a clock set back, as the tests' clock is) makes this process forget the hours from there
// on (seat changes pass through the change feed), and they are rolled up again.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ReportDb } from './report-queries.ts';
import { SEAT_DIMS } from './seat-hours.ts';
import { integrateHistory } from './seat-history.ts';
import {
  firstSeatAt,
  forgetHoursFrom,
  HOUR,
  levelsAt,
  RETRY_HORIZON_SECONDS,
  rolledHours,
  saveHours,
  settleDenials,
} from './seat-hour-queries.ts';
import type { LicenseChange } from './types.ts';
import { systemClock, type Clock } from '../clock.ts';

export const GRACE_SECONDS = 60;
/** Hours rolled up per transaction: a month of a busy pool is 30 short steps. */
const CHUNK_HOURS = 24;

const SEAT_KINDS = new Set(['borrowed', 'granted', 'returned', 'expired', 'revoked']);

export class SeatRollup {
  /** Hours before this are rolled up, as this process last saw (null: unknown). */
  #through: number | null = null;
  #running: Promise<number | null> | null = null;
  /** A forget of late hours in progress (onChange); a roll-up waits for it. */
  #forgetting: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: ReportDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The hour before which hours may be rolled up at `now`. */
  static dueAt(now: Date): number {
    return Math.floor((now.getTime() / 1000 - GRACE_SECONDS) / HOUR);
  }

  /**
   * Rolls up every hour that is due and answers the hour before which all are rolled up
   * (null: there is no history at all). `fresh`: read the state from the database even when
   * this process thinks it is current (a report does; another process may have forgotten hours).
   */
  async catchUp(now: Date, fresh = false): Promise<number | null> {
    const due = SeatRollup.dueAt(now);
    const current = () => !fresh && this.#through !== null && this.#through >= due;
    if (current()) return this.#through;
    await this.#forgetting;
    // One run at a time in this process; a caller that needs fresh state runs once more after it.
    while (this.#running) {
      await this.#running.catch(() => undefined);
      if (current()) return this.#through;
    }
    this.#running = this.#run(now).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(now: Date): Promise<number | null> {
    const due = SeatRollup.dueAt(now);
    for (;;) {
      const rolled = await rolledHours(this.db);
      let from: number;
      let first = false;
      if (rolled) from = rolled.through;
      else {
        const since = await firstSeatAt(this.db);
        if (since === null) {
          // No seat ever: nothing before `due` to roll up (the sweep asks again next hour;
          // a seat stamped into the past is caught by onChange).
          this.#through = due;
          return null;
        }
        from = Math.min(Math.floor(since / HOUR), due);
        first = true;
      }
      if (from >= due) {
        this.#through = from;
        return from;
      }
      const to = Math.min(from + CHUNK_HOURS, due);
      // The first hour holds the earliest start: no seat is held as it begins.
      const levels = first ? [] : await levelsAt(this.db, from, null, null);
      // Read a slice at a time (a report waits on this roll-up, and a day of a busy pool is millions of events).
      const groups = await integrateHistory(
        this.db,
        { dims: SEAT_DIMS, base: from * HOUR, start: from * HOUR, end: to * HOUR, cellSeconds: HOUR, origin: 0, levels },
        null,
      );
      // false: another process saved these hours first; the loop reads where things stand.
      await saveHours(this.db, from, to, groups, first, now);
      // Denials a day older than these hours: whether a seat followed is now final.
      await settleDenials(this.db, to * HOUR - RETRY_HORIZON_SECONDS);
      await yieldToLoop(); // a long catch-up never holds the event loop for more than a step
    }
  }

  /** A seat change written into an hour already rolled up: those hours are rolled up again. */
  onChange = (change: LicenseChange): void => {
    if (!SEAT_KINDS.has(change.kind) || !change.event) return;
    const hour = Math.floor(change.event.at.getTime() / 1000 / HOUR);
    // Not known here (before the first roll-up, or just after a forget): any hour that could
    // be rolled up by now is taken to be.
    if (hour >= (this.#through ?? SeatRollup.dueAt(this.clock.now()))) return;
    this.#through = hour;
    const forget = async () => {
      await this.#running?.catch(() => undefined); // a roll-up in progress may have read before the event
      await forgetHoursFrom(this.db, hour);
    };
    // Either way the next roll-up reads where things stand in the database.
    this.#forgetting = forget()
      .catch(() => undefined)
      .finally(() => {
        this.#through = null;
      });
  };
}
