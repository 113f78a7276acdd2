// Redis for the tests that need one, found like PostgreSQL (see postgres.ts):
//   1. TEST_REDIS_URL, when set; 2. else redis://127.0.0.1:6379 when it answers PING;
//   3. else a throwaway `redis-server` (Debian's `redis-server` package) on a free loopback
//      port, without persistence, stopped at the end of the run.
// TEST_REDIS_PROBE_URL replaces the default of step 2.
import { inject } from 'vitest';
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort, type ResolvedService } from './throwaway.ts';
import { waitFor } from './wait.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrl(): string {
  const url = inject('redisUrl');
  if (!url) throw new Error(`no Redis for the tests: ${inject('redisError') ?? 'global setup did not run'}`);
  return url;
}

/** True when a PING at url is answered with PONG within 2 s. */
export function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 2000);
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

export async function startThrowawayRedis(): Promise<ResolvedService> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`redis-server could not start (${err.message}): apt-get install redis-server (npm test's pretest does it)`)),
    ),
  );
  const up = waitFor(
    async () => {
      if (await redisAnswers(url)) return true;
      if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}:\n${output}`);
      return false;
    },
    20_000,
    `redis-server to answer on ${url}`,
    { intervalMs: 50, context: () => output },
  );
  try {
    await Promise.race([up, failed]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    source: 'throwaway',
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function resolveRedis(
  opts: { url?: string; probeUrl?: string } = { url: process.env.TEST_REDIS_URL, probeUrl: process.env.TEST_REDIS_PROBE_URL },
): Promise<ResolvedService> {
  const none = async () => {};
  if (opts.url) return { url: opts.url, source: 'environment', stop: none };
  const probe = opts.probeUrl ?? DEFAULT_REDIS_URL;
  if (await redisAnswers(probe)) return { url: probe, source: 'default', stop: none };
  return startThrowawayRedis();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | undefined;
    redisError: string | undefined;
  }
}
