// Bounds on what one HTTP client can make the server hold: receive timeouts on the real
// http.Server, compression of text answers, and a 413 the client can actually read.
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import type { IncomingMessage, ServerOptions } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export interface HttpBounds {
  /** Whole request (headers and body) must arrive within this; else 408 and close. */
  requestTimeoutMs: number;
  /** Request headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** An over-limit body up to this size is read and discarded so the client sees the 413. */
  bodyDrainLimitBytes: number;
}

/** Options for node:http createServer. Fastify's own requestTimeout option is ignored
 *  when a serverFactory builds the server, which left Node's 300 s default in force. */
export function serverTimeouts(b: HttpBounds): ServerOptions {
  return {
    requestTimeout: b.requestTimeoutMs,
    headersTimeout: b.headersTimeoutMs,
    // Node checks both timeouts on this period (default 30 s, which would stretch a short
    // limit by up to 30 s); a quarter of the shorter limit keeps the overshoot small.
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(Math.min(b.requestTimeoutMs, b.headersTimeoutMs) / 4))),
  };
}

// Text we compress. Not text/event-stream nor multipart/mixed: those are live streams, and
// a compressor buffers until it has a block's worth, which would hold events back.
const COMPRESSIBLE =
  /^(?:text\/(?!event-stream)|application\/(?:json|javascript|xml|graphql-response\+json|openmetrics-text)|image\/svg\+xml|[^;]*\+(?:json|xml)(?:;|$))/i;

export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Per-request work: quality 4 costs about as much CPU as gzip's default and still wins on size.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
    customTypes: (type: string) => COMPRESSIBLE.test(type),
    // Answers only: compressed request bodies are not accepted (nothing sends them, a
    // gzip bomb would be one more thing to bound, and it saves a hook on every request).
    globalDecompression: false,
  });
}

class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
}

/**
 * Fastify refuses a body whose Content-Length is over the route's limit before reading
 * it (a chunked one as soon as it passes the limit), and Node then closes the connection
 * while the client is still sending: a client that writes the whole body before reading
 * (Node's fetch/undici) sees EPIPE instead of the 413 (seen for 1-20 MB bodies, chunked
 * ones every time). Here such a body, up to bodyDrainLimitBytes, is read and discarded
 * first, so the 413 arrives after the body and the connection stays usable. Bigger
 * bodies are still cut off: holding them would be the attack.
 */
export function registerBodyDrain(app: FastifyInstance, b: HttpBounds): void {
  // Callback style, not async: this runs on every request, and the common case must cost
  // no promise.
  app.addHook('preParsing', (req, _reply, payload, done) => {
    const header = req.headers['content-length'];
    const chunked = header === undefined && req.headers['transfer-encoding'] !== undefined;
    if (header === undefined && !chunked) return done(null, payload);
    const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1_048_576;
    if (chunked) {
      // The size is only known while reading.
      const capped = new CappedBody(limit, b.bodyDrainLimitBytes);
      payload.on('error', (err) => capped.destroy(err));
      return done(null, payload.pipe(capped));
    }
    const length = Number(header);
    if (!(length > limit) || length > b.bodyDrainLimitBytes) return done(null, payload);
    void drain(req.raw, b.bodyDrainLimitBytes).then(() =>
      done(new BodyTooLargeError(`Request body is too large: ${length} bytes, at most ${limit} accepted`)),
    );
  });
}

/** Passes a chunked body through up to `limit` bytes; past it, reads and drops the rest
 *  (up to `cap`) and then fails with 413, which Fastify's body reader passes on. */
class CappedBody extends Transform {
  private seen = 0;
  constructor(
    private readonly limit: number,
    private readonly cap: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.limit) done(null, chunk);
    else if (this.seen > this.cap) done(this.tooLarge());
    else done();
  }
  override _flush(done: TransformCallback): void {
    done(this.seen > this.limit ? this.tooLarge() : null);
  }
  private tooLarge() {
    return new BodyTooLargeError(`Request body is too large: more than ${this.limit} bytes accepted`);
  }
}

function drain(stream: IncomingMessage, cap: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      stream.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > cap) {
        stream.pause();
        finish();
      }
    };
    stream.on('data', onData).once('end', finish).once('error', finish).once('close', finish);
  });
}
