// Runs each observed source's command on its interval: no shell (the command is split into
// argv once, command.ts), a timeout, a cap on what it may print, and one run at a time per
// source across every Floatline process sharing the database — a process takes a lease on
// the source row (an UPDATE that succeeds only when no unexpired lease is there) before it
// runs the command, so two processes never poll one server twice.
// A command that cannot run, times out or prints too much marks the source down with that
// reason (its pools stay, stale). lmutil exits non-zero when the server is down but still
// prints why: any output is handed to the parser, whatever the exit code.
// Due times and the lease are on the server's clock (observed.now); the tick and the command's
// timeout are real time: the clock says what time it is, not when to wake up.
import { randomUUID } from 'node:crypto';
import type { Observed } from './index.ts';
import { splitCommand } from './command.ts';
import { COMMAND_LIMITS, runCommand } from './run-command.ts';

export interface PollerOptions {
  /** How often due sources are looked for (ms). */
  tickMs?: number;
  /** A command taking longer is killed (ms). */
  timeoutMs?: number;
  /** A command printing more is killed and the source marked down (bytes). */
  maxOutputBytes?: number;
  /** Commands this process runs at once. */
  concurrency?: number;
  onError?: (err: unknown, source: string) => void;
}

export const POLL_DEFAULTS = { tickMs: 1000, ...COMMAND_LIMITS, concurrency: 4 } as const;

export interface Poller {
  /** Looks for due sources once and runs them (tests call it instead of waiting for a tick). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startPoller(observed: Observed, options: PollerOptions = {}): Poller {
  const o = { ...POLL_DEFAULTS, ...options };
  const owner = randomUUID();
  const running = new Set<Promise<void>>();
  let stopped = false;
  let ticking: Promise<void> | null = null;

  const runOne = async (name: string, command: string): Promise<void> => {
    const store = observed.store;
    const now = observed.now();
    const claimed = await store.prisma.observedSource.updateMany({
      where: { name, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + o.timeoutMs + 10_000) },
    });
    if (claimed.count !== 1) return; // another process runs it
    try {
      // A second look under the lease: another process may have just finished a run.
      const source = await store.source(name);
      if (!source || source.command === null || !isDue(source.lastSnapshotAt, source.intervalSeconds, observed.now(), o.tickMs)) return;
      const argv = splitCommand(command);
      if (typeof argv === 'string') {
        await observed.failedPoll(name, `command ${argv}`);
        return;
      }
      let output: string;
      try {
        output = await runCommand(argv, o.timeoutMs, o.maxOutputBytes);
      } catch (err) {
        await observed.failedPoll(name, (err as Error).message);
        return;
      }
      await observed.snapshot(name, output);
    } finally {
      await store.prisma.observedSource
        .updateMany({ where: { name, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } })
        .catch(() => {});
    }
  };

  const tick = async (): Promise<void> => {
    const now = observed.now();
    const sources = await observed.store.prisma.observedSource.findMany({
      where: { command: { not: null }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      select: { name: true, command: true, lastSnapshotAt: true, intervalSeconds: true },
      orderBy: { lastSnapshotAt: { sort: 'asc', nulls: 'first' } },
      take: 500,
    });
    for (const s of sources) {
      if (stopped || running.size >= o.concurrency) break;
      if (!isDue(s.lastSnapshotAt, s.intervalSeconds, now, o.tickMs)) continue;
      const run: Promise<void> = runOne(s.name, s.command!)
        .catch((err: unknown) => o.onError?.(err, s.name))
        .finally(() => running.delete(run));
      running.add(run);
    }
  };

  const timer = setInterval(() => {
    if (ticking || stopped) return;
    ticking = tick()
      .catch((err: unknown) => o.onError?.(err, '*'))
      .finally(() => {
        ticking = null;
      });
  }, o.tickMs);
  timer.unref();

  return {
    async tick() {
      await tick();
      await Promise.all(running);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await Promise.all(running);
    },
  };
}

/** Due when never polled or its interval has passed (up to half a tick, at most a second, early is close enough). */
function isDue(last: Date | null, intervalSeconds: number, now: Date, tickMs: number): boolean {
  return last === null || now.getTime() - last.getTime() >= intervalSeconds * 1000 - Math.min(tickMs / 2, 1000);
}
