// A subscription that starts again after an error. graphql-ws already retries dropped
// sockets; this covers what it gives up on (a fatal close code, a GraphQL error).
import type { AnyVariables, Client, DocumentInput } from '@urql/svelte';
import { backoffDelay } from './backoff';

export function followSubscription<Data>(
  client: Client,
  query: DocumentInput<Data, AnyVariables>,
  onData: (data: Data) => void,
): () => void {
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: { unsubscribe(): void } | undefined;

  const start = () => {
    current = client.subscription<Data>(query, {}).subscribe((result) => {
      if (result.data) {
        failures = 0;
        onData(result.data);
      }
      if (result.error && !stopped) {
        current?.unsubscribe();
        clearTimeout(timer);
        timer = setTimeout(start, backoffDelay(failures++));
      }
    });
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    current?.unsubscribe();
  };
}
