// The HTTP calls to a Floatline server's REST routes, with Node's own fetch. Every failure
// becomes one of two errors: UnreachableError (no answer: refused, reset, timed out) or
// ApiError (the server answered 4xx/5xx; `detail` is its message, one line).
import { traceparentFor } from './traceparent.ts';

import type { OperationId, RequestBody, SuccessBody } from './api.ts';

export interface ClientConfig {
  /** Base URL, no trailing slash. */
  server: string;
  /** Sent as `Authorization: Bearer <token>` when set (FLOATLINE_TOKEN). */
  token?: string;
  /** Longest one request may take, ms. */
  timeoutMs?: number;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The server gave no answer. */
export class UnreachableError extends Error {}

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly body: unknown,
    /** Seconds, from a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }
}

/** A failure worth trying again: no answer, or a server that says it is briefly unavailable. */
export const isTransient = (err: unknown): boolean =>
  err instanceof UnreachableError || (err instanceof ApiError && (err.status === 502 || err.status === 503 || err.status === 504));

export interface RequestOptions {
  timeoutMs?: number;
  /** Statuses that count as success (default: any 2xx). */
  ok?: (status: number) => boolean;
}

/** A request body sent as it is, text/plain. */
class PlainText {
  constructor(readonly text: string) {}
}

export class Client {
  /** Sent with every request of this run (traceparent.ts), or none. */
  readonly #traceparent = traceparentFor();

  constructor(readonly config: ClientConfig) {}

  // Typed by the operation (its operationId in /openapi.json): the body sent must be the
  // operation's request body, and the reply is typed as its success bodies (api.ts).
  get = <O extends OperationId>(path: string, opts?: RequestOptions) => this.request<SuccessBody<O>>('GET', path, undefined, opts);
  post = <O extends OperationId>(path: string, body: RequestBody<O>, opts?: RequestOptions) =>
    this.request<SuccessBody<O>>('POST', path, body, opts);
  delete = <O extends OperationId>(path: string, opts?: RequestOptions) => this.request<SuccessBody<O>>('DELETE', path, undefined, opts);
  /** POSTs raw text (text/plain): the observed routes take a program's output as it printed it. */
  postText = <O extends OperationId>(path: string, text: string, opts?: RequestOptions) =>
    this.request<SuccessBody<O>>('POST', path, new PlainText(text), opts);

  async request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const plain = body instanceof PlainText;
    if (body !== undefined) headers['content-type'] = plain ? 'text/plain; charset=utf-8' : 'application/json';
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    if (this.#traceparent) headers.traceparent = this.#traceparent;
    const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs ?? 10_000;
    let res: Response;
    try {
      res = await fetch(`${this.config.server}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : plain ? body.text : JSON.stringify(body),
        signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      });
    } catch (err) {
      throw new UnreachableError(`cannot reach ${this.config.server}: ${networkReason(err, timeoutMs)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new UnreachableError(`lost the connection to ${this.config.server}: ${networkReason(err, timeoutMs)}`);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);
    if (ok(res.status)) return { status: res.status, body: parsed as T, headers: res.headers };
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(
      res.status,
      detailText(res.status, parsed),
      parsed,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    );
  }
}

/** One line from a server's error body: its `detail` text, or each field and message of a 422 list. */
export function detailText(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string' && detail) return oneLine(detail);
  if (Array.isArray(detail) && detail.length > 0) {
    return oneLine(
      detail
        .map((d: { loc?: unknown[]; msg?: string }) => {
          const field = Array.isArray(d.loc) ? d.loc.filter((p) => p !== 'body' && p !== 'query').join('.') : '';
          return field ? `${field}: ${d.msg ?? 'invalid'}` : (d.msg ?? 'invalid');
        })
        .join('; '),
    );
  }
  if (typeof body === 'string' && body.trim() && body.length < 200) return `HTTP ${status}: ${oneLine(body)}`;
  return `HTTP ${status}`;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  // Node's fetch, like browsers, refuses some ports (6000, 6665-6669, …): say so plainly.
  if (e.cause?.message === 'bad port') return 'the port is one that fetch refuses to use (put the server on another port)';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
