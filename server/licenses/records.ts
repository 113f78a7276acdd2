// Turns stored rows into the domain's records, and appends to the event history.
// Hot-path writes use raw statements: each Prisma model call costs several times a
// raw one (measured in bench/), and a borrow makes three or four of them.
import type { Prisma } from '../db/database.ts';
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

type Tx = Pick<Prisma, '$queryRaw'>;

export async function insertEvent(tx: Tx, e: Omit<EventRow, 'id' | 'user' | 'borrowId' | 'reason'> & Partial<EventRow>): Promise<EventRow> {
  const { at, type, tool, user = null, borrowId = null, reason = null, borrowed, total } = e;
  const rows = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO license_events (at, type, tool, user, borrow_id, reason, borrowed, total)
    VALUES (${at}, ${type}, ${tool}, ${user}, ${borrowId}, ${reason}, ${borrowed}, ${total}) RETURNING id`;
  return { id: Number(rows[0]!.id), at, type, tool, user, borrowId, reason, borrowed, total };
}
