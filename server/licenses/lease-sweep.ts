// The lease sweep: about once a second every process releases the leases that ran out.
// No timer per lease: deadlines are stored (borrows.expires_at) and the sweep asks the
// database which pools have one overdue, then releases them in that pool's locked
// transaction (store.expireOverdue), where a lease is deleted exactly once however many
// processes sweep side by side. A borrow also releases its pool's overdue leases first.

/** How often each process sweeps; a seat is never counted taken longer than this past its deadline (plus the sweep's own time). */
export const LEASE_SWEEP_MS = 1000;

export interface LeaseSweep {
  /** Stops the timer and waits for a sweep in progress, so the database can close. */
  stop(): Promise<void>;
}

export function scheduleLeaseSweep(sweep: () => Promise<number>, onError: (err: unknown) => void, intervalMs = LEASE_SWEEP_MS): LeaseSweep {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return; // a slow sweep is never overlapped by the next
    running = sweep()
      .then(
        () => undefined,
        (err: unknown) => onError(err),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
