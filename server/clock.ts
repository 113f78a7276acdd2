// The time the license rules read: leases and their expiry, queue tickets, billing periods,
// seat-hours, event retention and the lease sweep all ask this clock, never `new Date()`.
// Production runs on the system clock; createFloatline(config, { clock }) takes another, so a
// test can play a month of borrows, renewals and period ends in a second of its own time.
// Timers (how often the sweep ticks) stay on real time: the clock says what time it is, not
// when to wake up.
export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
