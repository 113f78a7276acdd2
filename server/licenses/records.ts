// Turns stored rows into the domain's records. (The event history is appended to in
// store.ts, inside each write's transaction.)
import type { BorrowRow, EventRow, TicketRow } from './store.ts';
import type { BorrowRecord, LicenseEventRecord, LicenseEventType, QueueTicketRecord } from './types.ts';

export function toEventRecord(row: EventRow): LicenseEventRecord {
  return {
    id: row.id,
    at: row.at,
    type: row.type as LicenseEventType,
    tool: row.tool,
    user: row.user,
    borrowId: row.borrowId,
    reason: row.reason,
    ticketId: row.ticketId ?? null,
    borrowed: row.borrowed,
    total: row.total,
  };
}

export const toBorrowRecord = (b: BorrowRow): BorrowRecord => ({
  id: b.id,
  tool: b.tool,
  user: b.user,
  borrowedAt: b.borrowedAt,
  expiresAt: b.expiresAt,
  host: b.host,
  project: b.project ?? null,
  team: b.team ?? null,
});

export const toTicketRecord = (t: TicketRow, borrow: BorrowRow | null = null): QueueTicketRecord => ({
  id: t.id,
  tool: t.tool,
  user: t.user,
  host: t.host,
  state: t.state,
  position: t.state === 'waiting' ? t.position : null,
  queuedAt: t.queuedAt,
  expiresAt: t.state === 'waiting' ? t.expiresAt : null,
  leaseSeconds: t.leaseSeconds,
  borrow: borrow && toBorrowRecord(borrow),
  borrowId: t.borrowId,
});
