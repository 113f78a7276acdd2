// How a failure becomes a one-line message on stderr and a documented exit code.
import { ApiError, UnreachableError } from './client.ts';
import { EXIT } from './exit-codes.ts';

/** A failure with its message and exit code decided. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The exit code for a server's answer or its absence. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof UnreachableError) return EXIT.unavailable;
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return EXIT.notAllowed;
    if (err.status === 409) return EXIT.noSeat;
    if (err.status === 410) return EXIT.leaseLost;
    if (err.status >= 500) return EXIT.unavailable;
    return EXIT.refused;
  }
  return EXIT.internal;
}

/** The one line printed for a failure. */
export function messageFor(err: unknown): string {
  if (err instanceof CliError || err instanceof UnreachableError) return err.message;
  if (err instanceof ApiError) {
    const what = err.status === 401 || err.status === 403 ? ' (check FLOATLINE_TOKEN)' : '';
    return `${err.detail}${what}`;
  }
  return `internal error: ${(err as Error)?.stack ?? String(err)}`;
}

/** Prints `floatline: <message>` on stderr. */
export const say = (message: string): void => {
  process.stderr.write(`floatline: ${message}\n`);
};
