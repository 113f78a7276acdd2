// One JSON logger for the whole process: level as a word, ISO time, and the request id
// (and, when traced, trace and span ids) of the request being served on every line.
import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context.ts';
import { traceFields } from './tracing.ts';
import { REDACTED, redactUrl } from './redact-url.ts';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'floatline' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Defence in depth: no code logs credentials, and should a header object or
      // a token field ever reach a log line, its value is replaced. Paths are exact (no
      // wildcards), so lines without them cost a few property checks.
      redact: {
        paths: [
          'authorization',
          'cookie',
          'token',
          'headers.authorization',
          'headers.cookie',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers["set-cookie"]',
          'res.headers["set-cookie"]',
          'client_secret',
          'code',
          'state',
          'access_token',
          'id_token',
          'refresh_token',
        ],
        censor: REDACTED,
      },
      // A URL's query string may carry credentials (access_token, the sign-in callback's
      // code and state): every `url` field, and a request object's, is logged redacted.
      serializers: {
        url: (u: unknown) => (typeof u === 'string' ? redactUrl(u) : u),
        req: (r: unknown) =>
          r && typeof r === 'object' && typeof (r as { url?: unknown }).url === 'string'
            ? { ...(r as object), url: redactUrl((r as { url: string }).url) }
            : r,
      },
      // trace_id and span_id too while a traced request is served (tracing.ts), so a
      // trace in Tempo leads to exactly its log lines in Loki.
      mixin() {
        const requestId = currentRequestId();
        const ids = traceFields();
        if (ids) return requestId ? { request_id: requestId, trace_id: ids.trace_id, span_id: ids.span_id } : ids;
        return requestId ? { request_id: requestId } : {};
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
