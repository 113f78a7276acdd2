// The caller rules every door shares (REST routes, GraphQL mutations and queries): a seat or a
// queue ticket is touched only by its holder unless the caller is an admin, and an admin's
// action on someone else's seat or ticket is "acted for" them — recorded in the audit trail.
// Decided here once; the transports only ask.
import { type Identity, requireOwnOrAdmin } from './roles.ts';

/** Who holds a seat or a ticket (undefined: none such; the domain then answers not found). */
export interface Holders {
  holder(borrowId: string): Promise<string | undefined> | string | undefined;
  ticketHolder(ticketId: string): Promise<string | undefined> | string | undefined;
}

/** Open mode (everyone may do anything, the seed's behaviour) and admins skip the look-up. */
const unrestricted = (id: Identity) => id.via === 'open' || id.role === 'admin';

/** Before a heartbeat or a return: the caller's own seat, unless admin (ForbiddenError). */
export async function requireOwnSeat(id: Identity, holders: Holders, borrowId: string, what: string): Promise<void> {
  if (unrestricted(id)) return;
  const holder = await holders.holder(borrowId);
  if (holder !== undefined) requireOwnOrAdmin(id, holder, what);
}

/** Before reading or leaving a place in line: the caller's own ticket, unless admin. */
export async function requireOwnTicket(id: Identity, holders: Holders, ticketId: string, what: string): Promise<void> {
  if (unrestricted(id)) return;
  const holder = await holders.ticketHolder(ticketId);
  if (holder !== undefined) requireOwnOrAdmin(id, holder, what);
}

/** Whether the caller acted for `holder` (an identified caller on someone else's seat or ticket:
 *  only an admin gets that far), which the audit trail records. Open mode has no identities. */
export function actsFor(id: Identity, holder: string): boolean {
  return id.via !== 'open' && id.user !== holder;
}
