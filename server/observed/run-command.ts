// Running a status command (lmutil lmstat -a, rlmutil rlmstat -a) once: no shell, a timeout,
// a cap on what it may print. Shared by the server's poller (poller.ts) and the CLI's
// `floatline observe` agent, which runs the same command next to the license server — so
// both give up on a hung or runaway command at the same limits, with the same reasons.
// Node built-ins only: the CLI bundle (scripts/build-cli.mjs) imports this file.
import { execFile } from 'node:child_process';

/** How long a command may run, and how much it may print, before it is killed. */
export const COMMAND_LIMITS = { timeoutMs: 30_000, maxOutputBytes: 4 * 1024 * 1024 } as const;

/**
 * Runs argv without a shell; resolves with its output (stdout, then stderr), or rejects with a
 * reason a user can act on. An aborted `signal` kills the command (SIGKILL) and rejects.
 */
export function runCommand(argv: string[], timeoutMs: number, maxOutputBytes: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      {
        shell: false,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: maxOutputBytes,
        windowsHide: true,
        encoding: 'utf8',
        ...(signal ? { signal } : {}),
      },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr ? `\n${stderr}` : ''}`;
        if (!err) return resolve(output);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.name === 'AbortError') return reject(new Error('the command was stopped'));
        if (e.code === 'ENOENT') return reject(new Error(`${argv[0]}: command not found`));
        if (e.code === 'EACCES') return reject(new Error(`${argv[0]}: permission denied`));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return reject(new Error(`the command printed more than ${maxOutputBytes} bytes`));
        if (e.killed || e.signal) return reject(new Error(`the command did not finish within ${Math.round(timeoutMs / 1000)} s`));
        // A non-zero exit with output: lmutil's way of saying the server is down. Parse it.
        if (output.trim() !== '') return resolve(output);
        return reject(new Error(`the command exited with status ${e.code} and printed nothing`));
      },
    );
  });
}
