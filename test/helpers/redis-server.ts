// A throwaway Redis for tests that must stop and restart it (a Redis "blip"): its own
// redis-server process on a free port, no persistence, restartable on the same port.
// A missing redis-server binary is a failure with a clear message, never a skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './throwaway.ts';
import { waitFor } from './wait.ts';

export interface ThrowawayRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL by default: the blip is abrupt) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** True when a PING on a fresh connection gets +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startRedis(): Promise<ThrowawayRedis> {
  const check = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    throw new Error(
      `redis-server is needed for this test and was not found (${BINARY}: ${check.error?.message ?? check.stderr}); install Debian's redis-server package or set REDIS_SERVER_BIN`,
    );
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const redis: ThrowawayRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      output = '';
      child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => {
        output += String(d);
      });
      child.stderr!.on('data', (d) => {
        output += String(d);
      });
      const started = child;
      await waitFor(
        async () => {
          if (await pings(port)) return true;
          if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode}) on port ${port}:\n${output}`);
          return false;
        },
        10_000,
        `redis-server to answer on port ${port}`,
        { intervalMs: 50, context: () => output },
      );
    },
    async stop(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill(signal);
      await gone;
    },
  };
  await redis.start();
  return redis;
}
