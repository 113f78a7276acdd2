// Taking a seat (borrow, optionally queueing for it) and giving it back, with retries that
// never take a second seat: every retry of one borrow carries the same idempotency key, so
// the server answers the borrow (or queue ticket) the first try made.
import type { BorrowJson, TicketJson } from './api.ts';
import { ApiError, type Client, isTransient } from './client.ts';
import { formatDuration } from './duration.ts';
import { CliError, exitCodeFor, messageFor, say } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { QueueProgress } from './progress.ts';
import { retrying, sleep } from './timing.ts';

export interface AcquireOptions {
  client: Client;
  tool: string;
  user: string;
  host: string;
  /** Lease length in seconds; absent = the pool's default. */
  leaseSeconds?: number;
  /** What the seat is used for (kept for reports, like FlexNet's LM_PROJECT). */
  project?: string;
  idempotencyKey: string;
  /** Queue when the pool is full, for this long (ms; Infinity = forever). Absent = do not queue. */
  waitMs?: number;
  /** How long to keep retrying an unreachable or unavailable server, ms. */
  retryForMs: number;
  /** Aborted by SIGINT/SIGTERM: stop waiting, cancel the ticket, return what was granted. */
  signal: AbortSignal;
}

/** Thrown when the signal aborted the wait; nothing is held any more. */
export class Interrupted extends Error {}

/** Borrows a seat (queueing with `waitMs`); throws CliError with the exit code when none can be had. */
export async function acquireSeat(o: AcquireOptions): Promise<BorrowJson> {
  const body = {
    tool: o.tool,
    user: o.user,
    ...(o.leaseSeconds !== undefined ? { lease_seconds: o.leaseSeconds } : {}),
    host: o.host,
    ...(o.project ? { project: o.project } : {}),
    idempotency_key: o.idempotencyKey,
    ...(o.waitMs !== undefined ? { queue: true } : {}),
  };
  const started = Date.now();
  let reply: { status: number; body: BorrowJson | TicketJson };
  try {
    reply = await retrying(() => o.client.post<'borrowLicense'>('/licenses/borrow', body), {
      until: started + o.retryForMs,
      signal: o.signal,
    });
  } catch (err) {
    // Interrupted while the server was unreachable: a borrow it never answered lapses with its lease.
    if (o.signal.aborted && isTransient(err)) throw new Interrupted();
    throw asCliError(err, o.tool, o.waitMs !== undefined);
  }
  if (reply.status !== 202) {
    const borrow = reply.body as BorrowJson;
    if (o.signal.aborted) {
      await returnSeat(o.client, borrow.id);
      throw new Interrupted();
    }
    return borrow;
  }
  return waitInQueue(o, reply.body as TicketJson, started);
}

async function waitInQueue(o: AcquireOptions, first: TicketJson, started: number): Promise<BorrowJson> {
  const progress = new QueueProgress(o.tool);
  const waitMs = o.waitMs ?? 0;
  const deadline = started + waitMs;
  // Each GET renews the ticket's lease: poll well inside it, at least once a second.
  const ticketLeaseMs = ticketLease(first);
  const pollMs = Math.min(1_000, ticketLeaseMs / 3);
  let ticket = first;
  let renewedAt = Date.now();
  progress.position(ticket.position);
  try {
    for (;;) {
      if (ticket.state === 'granted' && ticket.borrow) {
        progress.done(`got a seat of ${o.tool} after ${formatDuration(Date.now() - started)} in the queue`);
        if (o.signal.aborted) {
          await returnSeat(o.client, ticket.borrow.id);
          throw new Interrupted();
        }
        return ticket.borrow;
      }
      if (ticket.state === 'granted') {
        throw new CliError(EXIT.waitExpired, `the queue ticket for ${o.tool} was granted, but its borrow is gone`);
      }
      if (ticket.state === 'expired' || ticket.state === 'cancelled') {
        throw new CliError(EXIT.waitExpired, `the queue ticket for ${o.tool} was ${ticket.state} before a seat came`);
      }
      progress.position(ticket.position);
      if (o.signal.aborted) {
        await cancelTicket(o.client, ticket.ticket_id);
        throw new Interrupted();
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        await cancelTicket(o.client, ticket.ticket_id);
        throw new CliError(
          EXIT.waitExpired,
          `no ${o.tool} seat within ${formatDuration(waitMs)} (was number ${ticket.position ?? '?'} in the queue)`,
        );
      }
      await sleep(Math.min(pollMs, left), o.signal);
      if (o.signal.aborted) continue;
      try {
        const polled = Date.now();
        ticket = (
          await retrying(() => o.client.get<'getTicket'>(`/queue/${encodeURIComponent(ticket.ticket_id)}`), {
            until: Math.min(renewedAt + ticketLeaseMs, deadline),
            signal: o.signal,
          })
        ).body;
        renewedAt = polled;
      } catch (err) {
        // Interrupted, or out of time: the loop's checks cancel the ticket and say why.
        if (isTransient(err) && (o.signal.aborted || Date.now() >= deadline)) continue;
        if (err instanceof ApiError && err.status === 404) {
          throw new CliError(EXIT.waitExpired, `the queue ticket for ${o.tool} is gone (${err.detail})`);
        }
        throw new CliError(exitCodeFor(err), `lost the place in the ${o.tool} queue: ${messageFor(err)}`);
      }
    }
  } finally {
    progress.done();
  }
}

/** A waiting ticket's lease, ms: its `lease_seconds`, else what its first expiry says, else 60 s. */
function ticketLease(t: TicketJson): number {
  if (t.lease_seconds) return t.lease_seconds * 1_000;
  const fromTimes = t.expires_at ? Date.parse(t.expires_at) - Date.parse(t.queued_at) : Number.NaN;
  return Number.isFinite(fromTimes) && fromTimes >= 1_000 ? fromTimes : 60_000;
}

/**
 * Leaves the queue. A ticket granted in the meantime (409) holds a seat: it is looked up and
 * returned, so giving up never leaves a seat taken.
 */
export async function cancelTicket(client: Client, ticketId: string): Promise<void> {
  const path = `/queue/${encodeURIComponent(ticketId)}`;
  try {
    await retrying(() => client.delete<'cancelTicket'>(path), { until: Date.now() + 5_000 });
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      const granted =
        (err.body as { borrow?: BorrowJson } | undefined)?.borrow ??
        (await client.get<'getTicket'>(path).then(
          (r) => r.body.borrow,
          () => undefined,
        ));
      if (granted) await returnSeat(client, granted.id);
      return;
    }
    if (err instanceof ApiError && err.status === 404) return;
    say(`could not leave the queue (${messageFor(err)}); the ticket lapses with its lease`);
  }
}

/** Returns a borrow, retrying a short outage; an unknown borrow (already returned or expired) is fine. */
export async function returnSeat(client: Client, id: string, retryForMs = 10_000): Promise<boolean> {
  try {
    await retrying(() => client.post<'returnLicense'>('/licenses/return', { id }), { until: Date.now() + retryForMs });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    say(`could not return the seat ${id} (${messageFor(err)}); it is released when its lease runs out`);
    return false;
  }
}

/** The borrow's failure as a CliError: a full pool, an unknown tool, an unreachable server. */
function asCliError(err: unknown, tool: string, waiting: boolean): CliError {
  if (err instanceof ApiError && err.status === 409) {
    // Without --wait a full pool ends the job at once: say how to queue instead.
    return new CliError(
      EXIT.noSeat,
      waiting ? err.detail : `${err.detail} (add --wait 10m to queue for a seat, or --wait to wait forever)`,
    );
  }
  if (err instanceof ApiError && err.status === 404) return new CliError(EXIT.refused, `${err.detail}: ${tool}`);
  return new CliError(exitCodeFor(err), messageFor(err));
}
