// `floatline run`: take a seat, run the command under it, keep the lease alive while it
// runs, and give the seat back however the command (or floatline) ends.
//
//   - The command inherits stdin/stdout/stderr and the environment, plus FLOATLINE_BORROW_ID
//     and FLOATLINE_TOOL.
//   - Heartbeats go out every lease/3. A failed one (no answer, 5xx) is retried about once a
//     second until the lease would be over; a 410/404 (revoked, or expired during a long
//     outage) means the seat is lost: by default the command is stopped (SIGTERM, then
//     SIGKILL after the grace time), with `--on-lost=warn` it runs on.
//   - SIGINT, SIGTERM and SIGHUP are forwarded to the command; once it has exited the seat is
//     returned and floatline exits 128 + the signal. Before the command starts, they cancel
//     the borrow or queue ticket.
//   - If floatline is killed outright (SIGKILL), the seat lapses with its lease.
import type { BorrowJson } from './api.ts';
import { commandExitCode, Signals, startFailure } from './child.ts';
import { ApiError, type Client } from './client.ts';
import { formatDuration } from './duration.ts';
import { messageFor, say } from './errors.ts';
import { EXIT, signalExitCode } from './exit-codes.ts';
import { aTool } from './output.ts';
import { acquireSeat, Interrupted, returnSeat } from './seat.ts';

export type OnLost = 'kill' | 'warn';

export interface RunOptions {
  client: Client;
  tool: string;
  user: string;
  host: string;
  leaseSeconds: number;
  project?: string;
  waitMs?: number;
  retryForMs: number;
  onLost: OnLost;
  /** Time between SIGTERM and SIGKILL when the lease is lost, ms. */
  killGraceMs: number;
  command: string[];
  verbose: boolean;
}

/** Runs the job; resolves with floatline's exit code. */
export async function runJob(o: RunOptions): Promise<number> {
  const signals = new Signals();

  let borrow: BorrowJson;
  try {
    borrow = await acquireSeat({
      client: o.client,
      tool: o.tool,
      user: o.user,
      host: o.host,
      leaseSeconds: o.leaseSeconds,
      project: o.project,
      idempotencyKey: crypto.randomUUID(),
      waitMs: o.waitMs,
      retryForMs: o.retryForMs,
      signal: signals.interrupted.signal,
    });
  } catch (err) {
    if (err instanceof Interrupted) return signalExitCode(signals.received ?? 'SIGINT');
    throw err;
  }
  if (signals.received) {
    await returnSeat(o.client, borrow.id);
    return signalExitCode(signals.received);
  }
  if (o.verbose) say(`borrowed ${borrow.tool} (borrow ${borrow.id}, lease until ${borrow.expires_at ?? 'none'})`);

  const { child, exited } = signals.start(o.command, { FLOATLINE_BORROW_ID: borrow.id, FLOATLINE_TOOL: borrow.tool });

  let lost = false;
  const keeper = keepLeaseAlive(o, borrow, (reason) => {
    lost = true;
    say(`lease lost: ${reason}`);
    if (o.onLost === 'warn') {
      say(`warning: the command keeps running without ${aTool(o.tool)} seat (--on-lost=warn)`);
      return;
    }
    say(`stopping the command (SIGTERM, then SIGKILL after ${formatDuration(o.killGraceMs)})`);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), o.killGraceMs).unref();
  });

  const end = await exited;
  keeper.stop();
  if (!lost) {
    if ((await returnSeat(o.client, borrow.id)) && o.verbose) say(`returned the ${borrow.tool} seat (borrow ${borrow.id})`);
  } else if (o.verbose) say('the seat was lost; nothing to return');

  const failed = startFailure(end, o.command[0]!);
  if (failed !== undefined) return failed;
  if (!signals.received && lost && o.onLost === 'kill') return EXIT.leaseLost;
  return commandExitCode(end, signals.received);
}

/**
 * Heartbeats `borrow` every lease/3 until stopped. A transient failure is retried about once a
 * second while the lease can still be alive; `onLost` is called once when the server says the
 * lease is gone (410, 404) or when it stayed unreachable past the lease's end.
 */
function keepLeaseAlive(o: RunOptions, borrow: BorrowJson, onLost: (reason: string) => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (!borrow.expires_at) return { stop() {} }; // no lease: nothing to keep alive
  const leaseMs = Math.max(1_000, Date.parse(borrow.expires_at) - Date.parse(borrow.borrowed_at));
  const everyMs = leaseMs / 3;
  // By this machine's clock, when the lease ends at the latest: counted from when the last
  // successful heartbeat (or the borrow) was sent, so a slow answer never stretches it.
  let leaseEnd = Date.now() + leaseMs;
  let failingSince: number | undefined;

  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(beat, Math.max(0, ms));
  };
  const beat = async () => {
    const sent = Date.now();
    try {
      await o.client.post<'renewLease'>(
        '/licenses/heartbeat',
        { id: borrow.id },
        { timeoutMs: Math.max(500, Math.min(10_000, leaseEnd - sent)) },
      );
      if (stopped) return;
      leaseEnd = sent + leaseMs;
      if (failingSince !== undefined) say(`heartbeats resumed after ${formatDuration(Date.now() - failingSince)}; the seat is still held`);
      failingSince = undefined;
      schedule(everyMs);
    } catch (err) {
      if (stopped) return;
      if (err instanceof ApiError && (err.status === 410 || err.status === 404)) {
        stopped = true;
        onLost(err.detail);
        return;
      }
      const now = Date.now();
      if (now >= leaseEnd) {
        stopped = true;
        onLost(`the lease ran out while heartbeats failed (${messageFor(err)})`);
        return;
      }
      if (failingSince === undefined) {
        failingSince = now;
        say(`heartbeat failed (${messageFor(err)}); retrying until the lease runs out in ${formatDuration(leaseEnd - now)}`);
      }
      schedule(Math.min(1_000, leaseEnd - now));
    }
  };
  schedule(everyMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
