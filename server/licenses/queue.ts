// A pool's line, as its waiters and admins see it: a waiter's poll (which keeps its place),
// leaving the line, and the line itself. Joining it is a borrow that asked to wait
// (borrowing.ts); being handed a seat happens in the transaction that frees one (the stores'
// serveLine, deciding with seat-rules.ts). Tickets live in the database: they survive a
// restart and are shared by every process.
import { publishConsequences } from './borrowing.ts';
import { TicketGrantedError, TicketNotFoundError } from './errors.ts';
import { toTicketRecord } from './records.ts';
import { checkText } from './text.ts';
import type { Store, TicketOutcome } from './store.ts';
import type { LicenseChange, QueueTicketRecord } from './types.ts';

type Publish = (change: LicenseChange) => void;

/** The ticket a store answered, with what the call set in motion published; the refusals as errors. */
function answer(publish: Publish, id: string, outcome: TicketOutcome, now: Date): QueueTicketRecord {
  if (outcome.state === 'unknown') throw new TicketNotFoundError(id);
  if (outcome.state === 'granted') throw new TicketGrantedError(id, outcome.ticket.borrowId);
  publishConsequences(publish, outcome.consequences, now);
  return toTicketRecord(outcome.ticket, outcome.borrow);
}

/** The ticket's state; a waiting ticket's lease is renewed (its waiter showed it is alive). */
export async function pollTicket(store: Store, publish: Publish, id: string, now: Date): Promise<QueueTicketRecord> {
  checkText('id', id);
  return answer(publish, id, await store.pollTicket(id, now), now);
}

/** Leaves the line (state cancelled); a ticket already ended stays as it ended. A granted one is refused. */
export async function cancelTicket(store: Store, publish: Publish, id: string, now: Date): Promise<QueueTicketRecord> {
  checkText('id', id);
  return answer(publish, id, await store.cancelTicket(id, now), now);
}
