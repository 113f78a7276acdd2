// A subscription that starts again after an error. graphql-ws already retries dropped
// sockets; this covers what it gives up on (a fatal close code, a GraphQL error).
import type { AnyVariables, Client, DocumentInput } from '@urql/svelte';
import { backoffDelay } from './backoff';

export function followSubscription<Data, Variables extends AnyVariables = AnyVariables>(
  client: Client,
  query: DocumentInput<Data, Variables>,
  onData: (data: Data) => void,
  variables: Variables = {} as Variables,
): () => void {
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: { unsubscribe(): void } | undefined;

  const start = () => {
    current = client.subscription<Data, Variables>(query, variables).subscribe((result) => {
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
