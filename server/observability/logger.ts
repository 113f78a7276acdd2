// One JSON logger for the whole process: level as a word, ISO time, and the request id
// of the request being served on every line.
import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context.ts';

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
          'client_secret',
        ],
        censor: '[redacted]',
      },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { request_id: requestId } : {};
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
