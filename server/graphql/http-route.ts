// /graphql (GraphQL over HTTP, SSE in distinct-connections mode, GraphiQL) and
// /graphql/stream (graphql-sse in either mode) on Fastify. Yoga decides every answer as
// stock Yoga does — status codes, media types, errors for bodies that are not JSON — so
// the route takes its bodies as raw text in its own scope: the app's JSON parser would
// answer a malformed or empty body with the REST shim's 422 before Yoga saw it. Answers
// that come from the HTTP layer before Yoga runs (401, 403, 413, 429, 503 from the auth
// hook, the cross-site guard, body limits) are re-shaped into GraphQL responses here too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { executeFast } from './fast-http.ts';
import { endOnRevocation } from './sse-revocation.ts';
import type { GraphQLServer } from './yoga.ts';
import { GRAPHQL_SSE_ENDPOINT } from './sse-endpoint.ts';
import { type SseStreams, wantsEventStream } from './sse-limits.ts';
import { SseReservations, streamToken } from './sse-reservations.ts';

/** Every method: Yoga answers the ones it does not serve (405 with a GraphQL error), and
 *  graphql-sse's single-connection mode uses PUT and DELETE. */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']; // HEAD: Fastify's, from GET

/** extensions.code for an HTTP-layer refusal, as resolvers name the same refusals. */
const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BAD_REQUEST',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** `{"detail": …}` (the REST shim's error body) as `{"errors": [{message, extensions}]}`. */
export function asGraphQLError(status: number, payload: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || !('detail' in body) || 'errors' in body) return null;
  const detail = (body as { detail: unknown }).detail;
  const message =
    typeof detail === 'string'
      ? detail
      : Array.isArray(detail)
        ? detail.map((d) => String(d?.msg ?? d)).join('; ')
        : JSON.stringify(detail);
  return JSON.stringify({ errors: [{ message, extensions: { code: CODES[status] ?? `HTTP_${status}`, http: { status } } }] });
}

/** How long a graphql-sse stream reserved with PUT waits for its connection (SSE_STREAM_RESERVATION_MS). */
export const SSE_STREAM_RESERVATION_MS = 30_000;

/** sseStreams: the caps on open event streams (sse-limits.ts), taken before the operation runs;
 *  graphql-sse's reservations (PUT /graphql/stream) take places under the same caps and lapse
 *  after reservationMs unless a stream opens them (sse-reservations.ts). */
export async function registerGraphQLRoutes(
  app: FastifyInstance,
  yoga: GraphQLServer,
  auth: Auth,
  sseStreams?: SseStreams,
  reservationMs = SSE_STREAM_RESERVATION_MS,
): Promise<void> {
  // A lapsed reservation is dropped as the plugin drops any stream: its event stream is
  // opened (as a client's GET would) and cancelled at once, which ends the plugin's stream.
  const reservations = sseStreams
    ? new SseReservations(
        reservationMs,
        async (token) => {
          const opened = await yoga.fetch(`http://localhost${GRAPHQL_SSE_ENDPOINT}`, {
            headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
          });
          await opened.body?.cancel();
        },
        sseStreams.registry,
      )
    : null;
  app.addHook('onClose', async () => reservations?.close());
  await app.register(async (scope) => {
    // Raw text for every content type: Yoga parses and judges it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.addHook('onSend', (_req, reply, payload, done) => {
      if (
        reply.statusCode < 400 ||
        typeof payload !== 'string' ||
        !String(reply.getHeader('content-type') ?? '').startsWith('application/json')
      ) {
        return done(null, payload);
      }
      const rewritten = asGraphQLError(reply.statusCode, payload);
      if (rewritten === null) return done(null, payload);
      reply.header('content-type', 'application/json; charset=utf-8');
      done(null, rewritten);
    });

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const identity = req.identity ?? undefined;
      // An event stream takes a place under the SSE caps before its operation runs.
      let release: (() => void) | null = null;
      const address = req.socket.remoteAddress ?? 'unknown';
      const sseRoute = req.url.split('?')[0] === GRAPHQL_SSE_ENDPOINT;
      // graphql-sse's single connection: a reservation (PUT) takes its place now; the stream
      // that opens it (Accept exactly text/event-stream, as the plugin tests) inherits it.
      let reserving = false;
      let claimed: string | null = null;
      if (reservations && sseStreams && sseRoute && req.method === 'PUT') {
        const admitted = sseStreams.admit(address, identity?.user ?? null);
        if (typeof admitted !== 'function') return reply.code(429).header('retry-after', '10').send({ detail: admitted.detail });
        release = admitted;
        reserving = true;
      } else if (reservations && sseRoute && req.headers.accept === 'text/event-stream') {
        const token = streamToken(req.headers, req.url);
        release = token === null ? null : reservations.claim(token);
        if (release) {
          claimed = token;
          reply.raw.once('close', release);
        }
      }
      if (release === null && sseStreams && wantsEventStream(req.headers.accept)) {
        const admitted = sseStreams.admit(address, identity?.user ?? null);
        if (typeof admitted !== 'function') return reply.code(429).header('retry-after', '10').send({ detail: admitted.detail });
        release = admitted;
        reply.raw.once('close', admitted);
      }
      const response = (await executeFast(yoga, req, identity)) ?? (await yoga.handleNodeRequestAndResponse(req, reply, { identity }));
      const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
      if (reserving && release) {
        // 201 with the token in the body: reserved until a stream opens it or it lapses.
        const token = response.status === 201 ? await response.text() : null;
        if (token) reservations?.hold(token, release);
        else release();
        response.headers.forEach((value, key) => {
          reply.header(key, value);
        });
        return reply.status(response.status).send(token ?? response.body);
      }
      if (claimed !== null && release && !isStream) {
        // Not opened after all: the reservation stands, with its place and a fresh expiry.
        reply.raw.off('close', release);
        reservations?.hold(claimed, release);
        release = null;
      }
      // Only a stream keeps its place; any other answer is whole once sent.
      if (release && !isStream) release();
      response.headers.forEach((value, key) => {
        reply.header(key, value);
      });
      reply.status(response.status);
      // A subscription over SSE ends when its credential is revoked or expires (sse-revocation.ts).
      if (identity && response.body && auth.required && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return reply.send(endOnRevocation(response.body as ReadableStream<Uint8Array>, auth, req.headers, identity));
      }
      return reply.send(response.body);
    };
    scope.route({ url: yoga.graphqlEndpoint, method: METHODS, schema: { hide: true }, handler });
    scope.route({ url: GRAPHQL_SSE_ENDPOINT, method: METHODS, schema: { hide: true }, handler });
  });
}
