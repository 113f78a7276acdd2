// Starts a real Floatline server process on a free port with its own temporary SQLite
// file, as a user would run it (the bundle `npm start` runs, dist/server/main.mjs, which the
// test set-up brings up to date), and collects its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
/** The server as production runs it: node and the bundle (scripts/build-server.mjs). */
export const SERVER_ARGS = [join(ROOT, 'dist/server/main.mjs')];

export interface LogLine {
  level?: string;
  event?: string;
  msg?: string;
  [k: string]: unknown;
}

export interface RunningServer {
  url: string;
  port: number;
  dbPath: string;
  logs: LogLine[];
  process: ChildProcess;
  /** Sends SIGTERM and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops and starts again on the same port and database file. */
  restart(): Promise<RunningServer>;
  /** Resolves with the first log line matching, waiting up to timeoutMs. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

export interface StartOptions {
  env?: Record<string, string>;
  port?: number;
  dbPath?: string;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dbPath = opts.dbPath ?? join(mkdtempSync(join(tmpdir(), 'floatline-')), 'licenses.db');
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(opts.port ?? 0),
      HOST: '127.0.0.1',
      LICENSE_DB_PATH: dbPath,
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      for (const w of waiters) w();
      res(code);
    }),
  );

  const waitForLog = (match: (l: LogLine) => boolean, timeoutMs = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const hit = logs.find(match);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        }
        if (child.exitCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`server exited (${child.exitCode}) before the log line came:\n${stderr}\n${JSON.stringify(logs.slice(-5))}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching log line in ${timeoutMs} ms:\n${stderr}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const listening = await waitForLog((l) => l.event === 'server_listening', 30_000);
  const port = Number(listening.port);
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    dbPath,
    logs,
    process: child,
    waitForLog,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    async restart() {
      await server.stop();
      return startServer({ ...opts, port, dbPath });
    },
  };
  return server;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
const inProcessFetches = new Map<string, Fetch>();
/** An in-process Floatline (helpers/in-process.ts) names itself by a base URL; postJson and
 *  gql send requests for that origin to it instead of over the network. */
export function registerInProcessFetch(baseUrl: string, fetchInProcess: Fetch): () => void {
  const origin = new URL(baseUrl).origin;
  inProcessFetches.set(origin, fetchInProcess);
  return () => inProcessFetches.delete(origin);
}
const fetchFor = (url: string): Fetch => inProcessFetches.get(new URL(url).origin) ?? fetch;
/** fetch() that also reaches an in-process server by its base URL. */
export const fetchAny: Fetch = (url, init) => fetchFor(url)(url, init);

/** POSTs JSON and returns status and parsed body. */
export async function postJson(url: string, body: unknown, init: RequestInit = {}) {
  const res = await fetchFor(url)(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** PUTs JSON and returns status and parsed body, like postJson. */
export const putJson = (url: string, body: unknown, init: RequestInit = {}) => postJson(url, body, { ...init, method: 'PUT' });

/** Runs a GraphQL operation over HTTP POST and returns the parsed response. */
export async function gql<T = any>(baseUrl: string, query: string, variables?: Record<string, unknown>) {
  const res = await postJson(`${baseUrl}/graphql`, { query, variables });
  return res.json as { data?: T; errors?: { message: string }[] };
}
