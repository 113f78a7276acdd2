// Turns stored rows into the domain's records. (The event history is appended to in
// store.ts, inside each write's transaction.)
import type { EventRow } from './store.ts';
import type { DenialReason, LicenseEventRecord, LicenseEventType } from './types.ts';

export function toEventRecord(row: EventRow): LicenseEventRecord {
  return {
    id: row.id,
    at: row.at,
    type: row.type as LicenseEventType,
    tool: row.tool,
    user: row.user,
    borrowId: row.borrowId,
    reason: row.reason as DenialReason | null,
    borrowed: row.borrowed,
    total: row.total,
  };
}
