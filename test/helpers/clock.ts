// A clock a test moves by hand, for createFloatline(config, { clock }) (server/clock.ts):
// leases, tickets, billing periods, seat-hours and retention read it, so a test plays hours
// or months of borrows in milliseconds of its own time. Several instances may share one.
import type { Clock } from '../../server/clock.ts';

export class TestClock implements Clock {
  #at: number;
  constructor(at: Date | string = '2026-03-10T08:00:00Z') {
    this.#at = new Date(at).getTime();
  }
  now(): Date {
    return new Date(this.#at);
  }
  /** Sets the instant every reader of this clock sees from now on. */
  set(at: Date | string): void {
    const t = new Date(at).getTime();
    if (Number.isNaN(t)) throw new Error(`TestClock.set: not a time: ${String(at)}`);
    this.#at = t;
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#at += ms;
  }
}
