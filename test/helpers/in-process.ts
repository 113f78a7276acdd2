// Builds a Floatline in this test process with createFloatline (the same composition
// root main.ts runs) on its own temporary SQLite file, and calls it without a socket:
// requests go through the HTTP server's own request handler (light-my-request), so the
// request context, X-Request-ID and every hook run exactly as for a real connection.
// Log lines are captured in memory. What only a real process shows — two processes on one
// database, restarts, signals, exit codes, subscriptions over real sockets, the browser —
// stays with helpers/server.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject, type InjectOptions } from 'light-my-request';
import { readConfig } from '../../server/config.ts';
import type { Clock } from '../../server/clock.ts';
import { createFloatline, type Floatline } from '../../server/floatline.ts';
import { createLogger } from '../../server/observability/logger.ts';
import { registerInProcessFetch, type LogLine } from './server.ts';
import { waitFor } from './wait.ts';

export interface InProcessServer {
  /** A base URL that names this instance; postJson/gql/s.fetch route it in-process. */
  url: string;
  /** The port it listens on with `listen: true`; 0 when it has no socket. */
  port: number;
  dbPath: string;
  logs: LogLine[];
  floatline: Floatline;
  /** fetch() for this instance: takes a path or a URL under `url`; no socket is opened. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  /** Resolves with the first log line matching, polling until timeoutMs. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Closes the Floatline (main.ts's shutdown sequence) and removes its database file. */
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** Environment variables as a user would set them (read by the real config reader). */
  env?: Record<string, string>;
  /** Background timers (database probe, event retention); default on, as in production. */
  timers?: boolean;
  /** Also listen on a free 127.0.0.1 port, for clients that need a socket (SSE and WebSocket
   *  subscriptions); `url` is then that address and `fetch` goes over it. */
  listen?: boolean;
  /** With `listen`: this port instead of a free one (an identity provider's redirect URI names it). */
  port?: number;
  /** The time the license rules read (helpers/clock.ts TestClock); the system clock by default. */
  clock?: Clock;
  /** An SQLite file another instance already uses (two Floatlines on one database); by
   *  default a new temporary one, removed on stop. */
  dbPath?: string;
}

let instances = 0;

export async function startInProcess(opts: InProcessOptions = {}): Promise<InProcessServer> {
  const ownDb = !opts.dbPath;
  const dbPath = opts.dbPath ?? join(mkdtempSync(join(tmpdir(), 'floatline-inproc-')), 'licenses.db');
  // Requests without a socket name this instance `in-process-N.floatline.test`: that name is
  // added to the Host allow-list (beside any ALLOWED_HOSTS the test sets), as an operator
  // would list theirs; the product's own defaults are untouched.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: dbPath, LOG_LEVEL: 'info', ...opts.env };
  env.ALLOWED_HOSTS = [env.ALLOWED_HOSTS, '*.floatline.test'].filter((h) => h).join(',');
  const config = readConfig(env);
  const logs: LogLine[] = [];
  const destination = {
    write(line: string) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    },
  };
  const floatline = await createFloatline(config, {
    log: createLogger(config.logLevel, destination),
    timers: opts.timers,
    clock: opts.clock,
  });
  if (opts.listen) {
    const port = await floatline.listen(opts.port ?? 0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}`;
    return inProcessServer(
      url,
      port,
      dbPath,
      logs,
      floatline,
      (input, init) => fetch(new URL(input, url), init),
      () => {},
      ownDb,
    );
  }
  const url = `http://in-process-${++instances}.floatline.test`;
  const server = floatline.app.server;
  // The server's 'request' listener is the serverFactory handler in app.ts (request context).
  const dispatch = (req: unknown, res: unknown) => {
    server.emit('request', req, res);
  };

  const fetchInProcess = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(input, url);
    const headers = new Headers(init.headers);
    // As over a socket, Host names the server (the cross-site guard compares Origin with it).
    if (!headers.has('host')) headers.set('host', target.host);
    const options: InjectOptions = {
      method: (init.method ?? 'GET') as InjectOptions['method'],
      url: target.pathname + target.search,
      headers: Object.fromEntries(headers.entries()),
      payload: init.body === undefined || init.body === null ? undefined : await new Response(init.body).text(),
      remoteAddress: '127.0.0.1',
    };
    const res = await inject(dispatch, options);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) responseHeaders.append(name, v);
    }
    const noBody = [101, 204, 205, 304].includes(res.statusCode) || options.method === 'HEAD';
    return new Response(noBody ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      statusText: res.statusMessage,
      headers: responseHeaders,
    });
  };
  return inProcessServer(url, 0, dbPath, logs, floatline, fetchInProcess, registerInProcessFetch(url, fetchInProcess), ownDb);
}

function inProcessServer(
  url: string,
  port: number,
  dbPath: string,
  logs: LogLine[],
  floatline: Floatline,
  fetchInProcess: InProcessServer['fetch'],
  unregister: () => void,
  ownDb: boolean,
): InProcessServer {
  return {
    url,
    port,
    dbPath,
    logs,
    floatline,
    fetch: fetchInProcess,
    waitForLog(match, timeoutMs = 15_000) {
      return waitFor(() => logs.find(match), timeoutMs, 'a matching log line', {
        intervalMs: 10,
        context: () => `last lines: ${JSON.stringify(logs.slice(-5))}`,
      });
    },
    async stop() {
      unregister();
      await floatline.close();
      if (ownDb) rmSync(dirname(dbPath), { recursive: true, force: true });
    },
  };
}
