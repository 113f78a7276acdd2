// OpenTelemetry's context manager, kept in the request context (request-context.ts) instead
// of the SDK's AsyncLocalStorageContextManager. Every AsyncLocalStorage that is in use makes
// Node copy its store onto each new promise and callback; a request runs through hundreds of
// them, and a second storage measured +0.12 µs on each (+50 % on an await-heavy path). One
// storage carries both the request id and the active span.
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { requestContext } from './request-context.ts';

/**
 * The active context, read where the manager below keeps it. Floatline's own readers (each
 * log line's ids, tracing.ts) call this rather than `context.active()`, which first finds the
 * manager through the API's process-wide registry and checks its version on every call.
 */
export function activeContext(): Context {
  return (requestContext.getStore()?.otel as Context | undefined) ?? ROOT_CONTEXT;
}

export class RequestContextManager implements ContextManager {
  active(): Context {
    return activeContext();
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const cb = thisArg == null ? fn : (fn.bind(thisArg) as F);
    return requestContext.run({ ...requestContext.getStore(), otel: context }, cb, ...args);
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(context, () => fn(...args))) as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
