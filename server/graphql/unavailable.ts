// GraphQL's face of a lost database connection (server/db/unavailable.ts): instead of
// Yoga's masked "Unexpected error.", a clear message and extensions.code
// SERVICE_UNAVAILABLE, with retryAfterSeconds as REST sends Retry-After. Every other
// unexpected error stays masked exactly as before.
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { DatabaseUnavailableError, RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.ts';

export const maskError: typeof yogaMaskError = (error, message, isDev) => {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original && isDatabaseUnavailable(original)) {
    const unavailable = original instanceof DatabaseUnavailableError ? original : new DatabaseUnavailableError(false, { cause: original });
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(unavailable.message, {
      nodes: located?.nodes,
      path: located?.path,
      source: located?.source,
      positions: located?.positions,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS, outcomeUnknown: unavailable.outcomeUnknown },
    });
  }
  return yogaMaskError(error, message, isDev);
};
