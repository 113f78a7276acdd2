// Turns stored rows into the domain's records. (The event history is appended to in
// store.ts, inside each write's transaction.)
import type { DenialReason, LicenseEventRecord, LicenseEventType } from './types.ts';

interface EventRow {
  id: number; at: Date; type: string; tool: string; user: string | null;
  borrowId: string | null; reason: string | null; borrowed: number; total: number;
}

export function toEventRecord(row: EventRow): LicenseEventRecord {
  return {
    id: row.id, at: row.at, type: row.type as LicenseEventType, tool: row.tool, user: row.user,
    borrowId: row.borrowId, reason: row.reason as DenialReason | null, borrowed: row.borrowed, total: row.total,
  };
}
