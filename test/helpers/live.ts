// Subscription clients for tests: GraphQL over SSE (fetch stream) and over WebSocket
// (graphql-ws), each collecting the payloads it receives.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

type GraphQLErrorJson = { message: string; extensions?: Record<string, unknown> };

export interface LiveSubscription<T> {
  received: T[];
  next(predicate?: (v: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
  ready: Promise<void>;
  /** GraphQL errors the server sent on this subscription. */
  errors: GraphQLErrorJson[];
  /** Settles when the server ends the subscription. */
  ended: Promise<void>;
}

function collector<T>() {
  const received: T[] = [];
  const waiters = new Set<() => void>();
  return {
    received,
    push(v: T) {
      received.push(v);
      for (const w of waiters) w();
    },
    next(predicate: (v: T) => boolean = () => true, timeoutMs = 10_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const hit = received.find(predicate);
          if (hit !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(received)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Credentials for AUTH_MODE=required: headers on the HTTP request (SSE) or the WebSocket
 *  upgrade (e.g. a session cookie), and graphql-ws connection_init params. */
export interface LiveAuth {
  headers?: Record<string, string>;
  connectionParams?: Record<string, unknown>;
  /** WebSocket: the close code when the server refuses the connection. */
  onClosed?: (code: number) => void;
}

export function subscribeSse<T = any>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  auth: LiveAuth = {},
): LiveSubscription<T> {
  const c = collector<T>();
  const abort = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const errors: GraphQLErrorJson[] = [];
  let markEnded!: () => void;
  const ended = new Promise<void>((r) => {
    markEnded = r;
  });
  void (async () => {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth.headers },
      body: JSON.stringify({ query, variables }),
    });
    markReady();
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        markEnded();
        break;
      }
      buf += value;
      for (let sep = buf.indexOf('\n\n'); sep >= 0; sep = buf.indexOf('\n\n')) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('');
        if (data) {
          const payload = JSON.parse(data) as { data?: Record<string, T>; errors?: GraphQLErrorJson[] };
          if (payload.errors) errors.push(...payload.errors);
          if (payload.data) c.push(Object.values(payload.data)[0]!);
        }
      }
    }
  })().catch(() => {
    /* aborted */
  });
  return { received: c.received, next: c.next, ready, errors, ended, close: () => abort.abort() };
}

export function subscribeWs<T = any>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  auth: LiveAuth = {},
): LiveSubscription<T> {
  const c = collector<T>();
  let markReady!: () => void;
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const errors: GraphQLErrorJson[] = [];
  let markEnded!: () => void;
  const ended = new Promise<void>((r) => {
    markEnded = r;
  });
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: auth.headers
      ? class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: auth.headers });
          }
        }
      : WebSocket,
    connectionParams: auth.connectionParams,
    // A refused connection is what a test with onClosed expects: not a console error.
    onNonLazyError: auth.onClosed ? () => {} : undefined,
    retryAttempts: 0,
    lazy: false,
    on: {
      connected: () => markReady(),
      closed: (e) => {
        auth.onClosed?.((e as { code: number }).code);
        markReady();
      },
    },
  });
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(...(v.errors as GraphQLErrorJson[]));
        if (v.data) c.push(Object.values(v.data)[0]!);
      },
      error: (e) => {
        errors.push(...(Array.isArray(e) ? (e as GraphQLErrorJson[]) : [{ message: String(e) }]));
        markEnded();
      },
      complete: () => markEnded(),
    },
  );
  return {
    received: c.received,
    next: c.next,
    ready,
    errors,
    ended,
    close: () => {
      stop();
      void client.dispose();
    },
  };
}
