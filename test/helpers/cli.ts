// Runs the `floatline` command line as users do: `node bin/floatline.mjs …` (the package's
// bin, which loads the bundle built from cli/), as a child process with its own output.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { ROOT } from './server.ts';

export const BIN = `${ROOT}bin/floatline.mjs`;

/** Builds dist/cli/floatline.mjs from cli/ (what `npm run build` and `npm pack` do). */
export function buildCli(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr (as chosen) matches, or rejects after timeoutMs / on exit. */
  waitFor(stream: 'stdout' | 'stderr', match: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited and its output is read to the end. */
  finished: Promise<Finished>;
  /** Resolves when the process has exited, even if a process it left behind holds its stdout. */
  exited: Promise<number | null>;
}

/** Starts `floatline <args>` with a clean FLOATLINE_* environment plus `env`, and `stdin` as its input (else none). */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, { stdin }: { stdin?: string } = {}): RunningCli {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FLOATLINE_')));
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  const out = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out.stdout += c;
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    out.stderr += c;
    for (const w of waiters) w();
  });
  const finished = new Promise<Finished>((resolve) =>
    child.once('close', (code, signal) => {
      for (const w of waiters) w();
      resolve({ code, signal, ...out });
    }),
  );
  const waitFor = (stream: 'stdout' | 'stderr', match: RegExp, timeoutMs = 15_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const hit = out[stream].match(match);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`floatline exited (${child.exitCode ?? child.signalCode}) before ${stream} matched ${match}:\n${out.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${stream} did not match ${match} within ${timeoutMs} ms; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, stdout: () => out.stdout, stderr: () => out.stderr, waitFor, finished, exited };
}

/** Runs `floatline <args>` to the end. */
export const runCli = (args: string[], env: Record<string, string | undefined> = {}, opts: { stdin?: string } = {}): Promise<Finished> =>
  startCli(args, env, opts).finished;
