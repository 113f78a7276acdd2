// Shared helpers of the benchmark: percentiles, child processes that report one JSON
// line, and reading a process's resident memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export const ROOT = new URL('../', import.meta.url).pathname;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per s).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (user + system) of a process's children that it has waited for, in ms (Linux). */
export function childrenCpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of the whole line.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

// Whatever happens to the run (an error, Ctrl-C, a test timeout), no server it started
// is left behind.
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * Runs a bench script in its own Node process (its own event loop and, the machine
 * permitting, its own core) and resolves with the JSON it prints as its last line.
 */
export function runChild<T>(script: string, args: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname, JSON.stringify(args)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} took longer than ${timeoutMs} ms\n${err}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      started.delete(child);
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(new Error(`${script} failed (${(e as Error).message}):\n${err}\n${out.slice(-2000)}`));
      }
    });
  });
}

/**
 * Starts a long-running child whose stdout goes to logPath (one log line per request
 * must not go into a pipe this process would have to drain while it measures) and
 * waits for the JSON line with event "server_listening".
 */
export async function startListening(
  args: string[],
  env: NodeJS.ProcessEnv,
  logPath: string,
  /** How long start-up may take (a shared machine under load needs longer). */
  listenWithinMs = 30_000,
): Promise<{ child: ChildProcess; port: number }> {
  const fd = openSync(logPath, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  started.add(child);
  child.once('exit', () => started.delete(child));
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const deadline = Date.now() + listenWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before it listened\n${err}`);
    for (const line of readFileSync(logPath, 'utf8').split('\n')) {
      if (!line.includes('server_listening')) continue;
      const parsed = JSON.parse(line) as { event?: string; port?: number };
      if (parsed.event === 'server_listening') return { child, port: Number(parsed.port) };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not listen within ${listenWithinMs / 1000} s\n${err}`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
