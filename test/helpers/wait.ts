// Waiting on a condition, never on a fixed sleep: the probe is asked again every `intervalMs`
// (100 ms) until it answers something truthy (which is returned) or the time is up (which
// fails, naming what was awaited). The only polling helper of the tests.
export interface WaitOptions {
  /** How long between probes. */
  intervalMs?: number;
  /** A probe that throws is asked again (a server still starting, a connection refused); the
   *  last error is named if the time runs out. By default a throw fails at once. */
  retryErrors?: boolean;
  /** More to say when the time runs out (a log tail). */
  context?: () => string;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
  opts: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      if (!opts.retryErrors) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last ? `: ${(last as Error).message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${opts.context ? `\n${opts.context()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
