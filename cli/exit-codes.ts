import { constants } from 'node:os';

// The exit codes `floatline` documents (README "Run a job under a license", docs/cli.md).
// `run` otherwise exits with its command's own code, or 128 + the signal that ended it.
// Numbers follow BSD sysexits.h where one fits, so shell scripts and CI can tell the
// cases apart: "try again later" (75, 76) is not "the server is down" (69).
export const EXIT = {
  /** Success (and `--help`). */
  ok: 0,
  /** Bad usage: unknown flag, missing argument, bad duration. */
  usage: 2,
  /** The server refused the request: unknown tool, borrow or ticket, or a value it does not accept (EX_DATAERR). */
  refused: 65,
  /** The server could not be reached, or kept answering 503, within the retry time (EX_UNAVAILABLE). */
  unavailable: 69,
  /** A fault inside floatline itself (EX_SOFTWARE). */
  internal: 70,
  /** No seat free and no `--wait` (EX_TEMPFAIL). */
  noSeat: 75,
  /** `--wait` ran out before a seat came, or the queue ticket was lost (expired or cancelled). */
  waitExpired: 76,
  /** The server refused the token (401/403; EX_NOPERM). */
  notAllowed: 77,
  /** The lease was lost while the command ran (revoked, or expired during an outage) and the command was stopped. */
  leaseLost: 78,
  /** The command could not be executed (permission denied), as a shell answers. */
  cannotExecute: 126,
  /** The command was not found, as a shell answers. */
  notFound: 127,
} as const;

/** 128 + the signal's number, as a shell reports a process that a signal ended (SIGTERM: 143, SIGINT: 130). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
