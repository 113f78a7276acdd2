// Options shared by the commands, and what they resolve to: the server, the user, the host.
import { InvalidArgumentError, Option } from 'commander';
import { hostname, userInfo } from 'node:os';
import { ApiError, Client } from './client.ts';
import { DurationError, parseDuration, parseLeaseSeconds } from './duration.ts';
import { retrying } from './timing.ts';

export const DEFAULT_SERVER = 'http://localhost:8000';

/** Global options, on the program: every command accepts them. */
export interface GlobalOptions {
  server: string;
  json?: boolean;
}

export const serverOption = () =>
  new Option('--server <url>', 'Floatline server URL').env('FLOATLINE_URL').default(DEFAULT_SERVER).argParser(parseServer);

/** Where the borrower's name comes from when --user is not given (currentUser). */
export const USER_DEFAULT = "who borrows (default: FLOATLINE_TOKEN's user when a token is set, else the login name)";

export const userOption = (what: string) => new Option('--user <name>', what).env('FLOATLINE_USER');

export const projectOption = () =>
  new Option('--project <name>', 'what the seat is used for, kept for reports (like LM_PROJECT)').env('FLOATLINE_PROJECT');

export const leaseOption = (description: string) => new Option('--lease <duration>', description).argParser(asLease);

export const waitOption = () =>
  new Option(
    '--wait [duration]',
    'when the pool is full, queue for a seat for up to this long (e.g. 30s, 10m); --wait alone waits forever',
  ).argParser(asWait);

export const retryOption = () =>
  new Option('--retry-for <duration>', 'keep retrying an unreachable or unavailable server this long before giving up')
    .default(10_000, '10s')
    .argParser(asDuration);

export function parseServer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (example: http://localhost:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`"${value}" is not an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

const commanderError =
  <T>(parse: (v: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof DurationError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };

export const asDuration = commanderError((v) => parseDuration(v));
export const asLease = commanderError(parseLeaseSeconds);
export const asWait = commanderError((v) => parseDuration(v, { allowForever: true }));

export function asPositiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1`);
  return Number(value);
}

/** `--wait` alone (true) means forever. */
export const waitMs = (wait: number | true | undefined): number | undefined => (wait === true ? Number.POSITIVE_INFINITY : wait);

/** The client for the resolved global options; FLOATLINE_TOKEN, when set, is sent as a bearer token. */
export function clientFor(opts: GlobalOptions): Client {
  return new Client({ server: opts.server, token: process.env.FLOATLINE_TOKEN || undefined });
}

/** The login name: who borrows when nothing else says so. */
export function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || 'unknown';
  }
}

/**
 * Who borrows: `--user`, else FLOATLINE_USER (commander reads it into `given`), else the
 * FLOATLINE_TOKEN's own user (asked of the server: in a CI job the login name is "runner" or
 * "root", not the person or service account the token was made for), else the login name.
 * A token the server refuses fails here, with the exit code for a refused token.
 */
export async function currentUser(given: string | undefined, client: Client, retryForMs = 10_000): Promise<string> {
  if (given) return given;
  if (!client.config.token) return loginName();
  let me: { user?: string | null; via?: string };
  try {
    me = (await retrying(() => client.get<'whoAmI'>('/auth/me'), { until: Date.now() + retryForMs })).body;
  } catch (err) {
    // A server without /auth/me (older than tokens) has no token identity to offer.
    if (err instanceof ApiError && err.status === 404) return loginName();
    throw err;
  }
  return me.user && me.via !== 'open' ? me.user : loginName();
}

export const currentHost = (): string => hostname();
