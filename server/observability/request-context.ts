// The request id travels with the async call chain, so every log line written while
// serving a request carries it, including lines written deep in the domain.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

// clientAddress: the peer's address, for per-client limits in code that never sees the socket.
// otel: OpenTelemetry's context while tracing is on (tracing-context.ts keeps it here rather
// than in an AsyncLocalStorage of its own: each one enabled costs every promise a copy).
export interface RequestContext {
  requestId?: string;
  clientAddress?: string;
  otel?: unknown;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

// A caller's id is kept if it is short and plain; anything else is replaced, so a
// client cannot inject markup or newlines into logs through the header.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export function currentClientAddress(): string | undefined {
  return requestContext.getStore()?.clientAddress;
}
