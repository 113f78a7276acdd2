// `floatline observe`: the agent that runs next to a FlexNet or RLM license server. Every
// interval it runs the status command (no shell, the poller's timeout and output cap:
// server/observed/run-command.ts) and pushes the output to the source's snapshot route; with
// a debug log it also pushes the log's new lines. It keeps going through a failing command or
// an unreachable server (saying so once per failure, backing off), stops on a refusal that
// will not change by itself (no such source, token refused), and stops cleanly on
// SIGINT/SIGTERM.
import { open, stat } from 'node:fs/promises';
import { OBSERVED_LIMITS } from '../server/observed/records.ts';
import { COMMAND_LIMITS, runCommand } from '../server/observed/run-command.ts';
import type { LogOutcomeJson, SnapshotOutcomeJson } from './api.ts';
import { ApiError, type Client } from './client.ts';
import { formatDuration } from './duration.ts';
import { CliError, exitCodeFor, messageFor, say } from './errors.ts';
import { print } from './output.ts';
import { sleep } from './timing.ts';

export interface ObserveOptions {
  client: Client;
  source: string;
  command: string[];
  everyMs: number;
  timeoutMs: number;
  /** An lmgrd debug log to follow, from its end. */
  logFile?: string;
  /** Print each answer as a JSON line instead of key=value. */
  json: boolean;
  signal: AbortSignal;
}

/** The longest wait after failures in a row: a long outage is still noticed within this. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/** How often the debug log is looked at (at most; never more often than snapshots). */
const LOG_EVERY_MS = 5_000;

/**
 * After `failures` failures in a row: the interval, doubled for each failure after the
 * first, up to five minutes (or the interval, when that is longer).
 */
export const backoffMs = (everyMs: number, failures: number): number =>
  Math.min(everyMs * 2 ** Math.max(0, failures - 1), Math.max(everyMs, MAX_BACKOFF_MS));

/** A refusal that retrying will not fix: the token, or a source that does not exist. */
const isFatal = (err: unknown): boolean => err instanceof ApiError && [401, 403, 404].includes(err.status);

/** `key=value` words, as logfmt: read by people and by grep/awk alike. */
export function snapshotLine(o: SnapshotOutcomeJson): string {
  return `taken_at=${o.taken_at} server_up=${o.server_up} features=${o.features} in_use=${o.in_use} unparsed_lines=${o.unparsed_lines}`;
}

export function logLine(lines: number, o: LogOutcomeJson): string {
  return `log lines=${lines} out=${o.out} in=${o.in} denied=${o.denied} unsupported=${o.unsupported} unparsed_lines=${o.unparsed_lines}`;
}

/** Runs until the signal aborts (resolves) or a fatal refusal (throws CliError). */
export async function observe(o: ObserveOptions): Promise<void> {
  const path = `/observed/sources/${encodeURIComponent(o.source)}`;
  const failed = new AbortController();
  const stop = AbortSignal.any([o.signal, failed.signal]);
  let fatal: unknown;
  const guard = (loop: Promise<void>) =>
    loop.catch((err: unknown) => {
      fatal ??= err;
      failed.abort();
    });
  await Promise.all([guard(snapshotLoop(o, path, stop)), ...(o.logFile ? [guard(logLoop(o, o.logFile, path, stop))] : [])]);
  if (fatal) throw new CliError(exitCodeFor(fatal), `${o.source}: ${messageFor(fatal)}`);
}

async function snapshotLoop(o: ObserveOptions, path: string, stop: AbortSignal): Promise<void> {
  let failures = 0;
  const program = o.command[0]!;
  while (!stop.aborted) {
    const started = Date.now();
    let problem: string | undefined;
    let output: string | undefined;
    try {
      output = await runCommand(o.command, o.timeoutMs, COMMAND_LIMITS.maxOutputBytes, stop);
    } catch (err) {
      if (stop.aborted) return;
      problem = `${program} failed: ${(err as Error).message}`;
    }
    if (output !== undefined) {
      try {
        const { body } = await o.client.postText<'pushObservedSnapshot'>(`${path}/snapshot`, output);
        print(o.json ? JSON.stringify(body) : snapshotLine(body));
      } catch (err) {
        if (isFatal(err)) throw err;
        problem = `could not push the snapshot: ${messageFor(err)}`;
      }
    }
    if (problem === undefined) {
      if (failures > 0) say(`pushing again after ${failures} failed ${failures === 1 ? 'try' : 'tries'}`);
      failures = 0;
      await sleep(o.everyMs - (Date.now() - started), stop);
    } else {
      failures++;
      const wait = backoffMs(o.everyMs, failures);
      say(`${problem}; trying again in ${formatDuration(wait)}`);
      await sleep(wait, stop);
    }
  }
}

/**
 * Follows the debug log like `tail -F`: from its end at start, whole lines only, from the
 * start again when it shrinks or is replaced (rotated). Lines are pushed at most
 * maxBodyBytes at a time and the offset moves on only once the server has them, so an
 * outage loses none.
 */
async function logLoop(o: ObserveOptions, file: string, path: string, stop: AbortSignal): Promise<void> {
  const follower = new LogFollower(file, OBSERVED_LIMITS.maxBodyBytes);
  await follower.start();
  let failures = 0;
  const every = Math.min(o.everyMs, LOG_EVERY_MS);
  while (!stop.aborted) {
    let wait = every;
    try {
      const chunk = await follower.next();
      if (chunk) {
        try {
          const { body } = await o.client.postText<'pushObservedLog'>(`${path}/log`, chunk.text);
          follower.advance(chunk);
          print(o.json ? JSON.stringify({ log: body }) : logLine(chunk.lines, body));
          if (failures > 0) say(`pushing the log again after ${failures} failed ${failures === 1 ? 'try' : 'tries'}`);
          failures = 0;
          if (chunk.more) wait = 0; // more is waiting: send it now
        } catch (err) {
          if (isFatal(err)) throw err;
          failures++;
          wait = backoffMs(every, failures);
          say(`could not push ${chunk.lines} log lines: ${messageFor(err)}; trying again in ${formatDuration(wait)}`);
        }
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      failures++;
      wait = backoffMs(every, failures);
      say(`cannot read ${file}: ${(err as Error).message}; trying again in ${formatDuration(wait)}`);
    }
    await sleep(wait, stop);
  }
}

interface Chunk {
  text: string;
  lines: number;
  /** Where the file position goes once this chunk is pushed. */
  end: number;
  /** The file had more whole lines than fitted. */
  more: boolean;
}

export class LogFollower {
  #offset = 0;
  #ino: number | undefined;

  constructor(
    readonly file: string,
    readonly maxBytes: number,
  ) {}

  /** From the file's end: only lines written after the agent started are pushed. */
  async start(): Promise<void> {
    try {
      const s = await stat(this.file);
      this.#offset = s.size;
      this.#ino = s.ino;
    } catch {
      // Not there yet: it is read from its start once it appears.
    }
  }

  /** The next whole lines after the offset, or null when none are new. */
  async next(): Promise<Chunk | null> {
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // rotated away: wait for the new one
      throw err;
    }
    if (s.ino !== this.#ino || s.size < this.#offset) {
      if (this.#ino !== undefined) say(`${this.file} was rotated or truncated; reading it from its start`);
      this.#ino = s.ino;
      this.#offset = 0;
    }
    if (s.size <= this.#offset) return null;
    const length = Math.min(s.size - this.#offset, this.maxBytes);
    const buf = Buffer.alloc(length);
    const handle = await open(this.file, 'r');
    let read: number;
    try {
      ({ bytesRead: read } = await handle.read(buf, 0, length, this.#offset));
    } finally {
      await handle.close();
    }
    const cut = buf.subarray(0, read).lastIndexOf(0x0a);
    if (cut < 0) {
      if (read < this.maxBytes) return null; // a line still being written
      // One line longer than a whole push: send it cut, rather than stall behind it.
      return { text: buf.subarray(0, read).toString('utf8'), lines: 1, end: this.#offset + read, more: true };
    }
    const text = buf.subarray(0, cut + 1).toString('utf8');
    const lines = text.split('\n').length - 1;
    const end = this.#offset + cut + 1;
    return { text, lines, end, more: end < s.size };
  }

  advance(chunk: Chunk): void {
    this.#offset = chunk.end;
  }
}
