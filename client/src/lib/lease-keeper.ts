// Keeps a leased seat while the page that got it is open: a heartbeat every third of the
// lease, as the queueTicket subscription keeps a place in line. Closing the page stops the
// heartbeats and the seat lapses with its lease, so a forgotten tab never holds it for good.
import type { Client } from '@urql/svelte';
import { HEARTBEAT } from './operations';

/**
 * Renews `borrowId` until stopped or the seat is gone; `onEnd` hears why, with the server's
 * words: returned (BorrowNotFound), lapsed (LeaseExpired) or released by an admin (BorrowRevoked).
 */
export function keepLease(
  client: Client,
  borrowId: string,
  leaseSeconds: number,
  onRenewed: (expiresAt: string | null) => void,
  onEnd: (why: 'BorrowNotFound' | 'BorrowRevoked' | 'LeaseExpired' | 'InvalidInput', message: string) => void,
): () => void {
  let stopped = false;
  const every = Math.max(1000, (leaseSeconds * 1000) / 3);
  const timer = setInterval(async () => {
    const result = await client.mutation(HEARTBEAT, { id: borrowId }).toPromise();
    if (stopped) return;
    const answer = result.data?.heartbeat;
    if (!answer) return; // the link is down: try again at the next beat, the lease has room for it
    if (answer.__typename === 'Lease') onRenewed(answer.expiresAt);
    else {
      stop();
      onEnd(answer.__typename, answer.message);
    }
  }, every);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
