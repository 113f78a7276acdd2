// The command `floatline run` runs: started with the terminal and environment it was given,
// SIGINT/SIGTERM/SIGHUP passed on to it, and its end turned into floatline's exit code as a
// shell reports it. Shared by the seat-holding run (run.ts) and the observed-pool wait
// (observed-wait.ts), which differ only in what happens before the command starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { say } from './errors.ts';
import { EXIT, signalExitCode } from './exit-codes.ts';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How the command ended: its code, the signal that ended it, or why it could not start. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

/**
 * Listens for SIGINT/SIGTERM/SIGHUP from the moment it is made: before the command starts a
 * signal aborts `interrupted` (the wait or borrow stops); once it runs, the signal goes to it.
 */
export class Signals {
  received: NodeJS.Signals | undefined;
  readonly interrupted = new AbortController();
  #child: ChildProcess | undefined;

  constructor() {
    for (const s of FORWARDED) process.on(s, this.#onSignal);
  }

  #onSignal = (signal: NodeJS.Signals) => {
    this.received ??= signal;
    const c = this.#child;
    if (c && c.exitCode === null && c.signalCode === null) c.kill(signal);
    this.interrupted.abort();
  };

  /** Starts the command (stdio inherited, `env` added to floatline's own); signals go to it from now on. */
  start(command: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<Ended> } {
    const [file, ...args] = command;
    const child = spawn(file!, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    this.#child = child;
    const exited = new Promise<Ended>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return { child, exited };
  }
}

/** A command that could not start as a shell reports it (127 not found, 126 cannot execute); else undefined. */
export function startFailure(end: Ended, file: string): number | undefined {
  if (!end.error) return undefined;
  const notFound = end.error.code === 'ENOENT';
  say(`cannot run ${file}: ${notFound ? 'command not found' : end.error.message}`);
  return notFound ? EXIT.notFound : EXIT.cannotExecute;
}

/** The command's own exit code, or 128 + the signal that ended it (or floatline). */
export const commandExitCode = (end: Ended, received: NodeJS.Signals | undefined): number =>
  received ? signalExitCode(received) : (end.code ?? signalExitCode(end.signal ?? 'SIGKILL'));
