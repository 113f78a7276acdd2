// One shared ticking clock for "2 min ago" labels and the sliding chart window.

class Clock {
  value = $state(Date.now());

  constructor(periodMs: number) {
    setInterval(() => {
      this.value = Date.now();
    }, periodMs);
  }
}

export const now = new Clock(5_000);

/** Ticks every second, for lease countdowns. */
export const secondsClock = new Clock(1_000);
