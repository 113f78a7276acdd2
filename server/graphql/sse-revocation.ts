// An SSE subscription (GraphQL over HTTP, text/event-stream) whose credential is revoked or
// expires while it streams (auth/live-credentials.ts decides when): the stream gets one last
// `next` event carrying an UNAUTHENTICATED error, then `complete`, and ends; Yoga's
// iterator is cancelled, so the subscription's resources go with it.
import type { Auth, Identity } from '../auth/index.ts';
import type { Headers } from '../auth/identity.ts';

const encoder = new TextEncoder();
const ENDING = encoder.encode(
  `event: next\ndata: ${JSON.stringify({
    errors: [{ message: 'Your credentials were revoked or expired; sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
  })}\n\nevent: complete\ndata:\n\n`,
);

export function endOnRevocation(
  body: ReadableStream<Uint8Array>,
  auth: Auth,
  headers: Headers,
  identity: Identity,
): ReadableStream<Uint8Array> {
  const upstream = body.getReader();
  let unwatch = () => {};
  let done = false;
  const finish = () => {
    done = true;
    unwatch();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      unwatch = auth.live.watch(headers, identity, () => {
        if (done) return;
        finish();
        auth.refused('revoked_while_open', { transport: 'sse', route: '/graphql', user: identity.user });
        controller.enqueue(ENDING);
        controller.close();
        void upstream.cancel('credential revoked').catch(() => {});
      });
    },
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await upstream.read();
      } catch (err) {
        if (!done) {
          finish();
          controller.error(err);
        }
        return;
      }
      if (done) return; // ended by a revocation while this read waited
      if (chunk.done) {
        finish();
        controller.close();
      } else controller.enqueue(chunk.value);
    },
    cancel(reason) {
      finish();
      return upstream.cancel(reason);
    },
  });
}
