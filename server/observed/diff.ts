// Check-outs and check-ins inferred from two consecutive snapshots of one pool: a holder
// (user, host, display, start time) that appears is a check-out, one that disappears a
// check-in, a holder whose seat count changed checked out or in the difference. lmstat
// shows holders, not transactions: a seat taken and given back between two snapshots is
// not seen (the debug log, pushed to /log, has those exactly).
import type { ObservedHolder } from './types.ts';

export interface InferredEvent {
  kind: 'out' | 'in';
  user: string;
  host: string;
  licenses: number;
  at: Date;
}

const keyOf = (h: ObservedHolder) => `${h.user}\u0000${h.host}\u0000${h.display}\u0000${h.startedAt ?? ''}`;

function seats(holders: ObservedHolder[]): Map<string, { holder: ObservedHolder; licenses: number }> {
  const m = new Map<string, { holder: ObservedHolder; licenses: number }>();
  for (const h of holders) {
    const k = keyOf(h);
    const seen = m.get(k);
    if (seen) seen.licenses += h.licenses;
    else m.set(k, { holder: h, licenses: h.licenses });
  }
  return m;
}

/**
 * `previousAt` is when the earlier snapshot was taken (null for a source's first one). A
 * check-out is dated by the holder's start time when that falls between the two snapshots,
 * else by `takenAt`; a check-in by `takenAt` (the output does not say when it happened).
 */
export function inferEvents(before: ObservedHolder[], after: ObservedHolder[], previousAt: Date | null, takenAt: Date): InferredEvent[] {
  const was = seats(before);
  const now = seats(after);
  const events: InferredEvent[] = [];
  for (const [k, { holder, licenses }] of now) {
    const delta = licenses - (was.get(k)?.licenses ?? 0);
    if (delta <= 0) continue;
    const started = holder.startedAt ? new Date(holder.startedAt) : null;
    const at =
      started && started.getTime() <= takenAt.getTime() && (previousAt === null || started.getTime() > previousAt.getTime()) && !was.has(k)
        ? started
        : takenAt;
    events.push({ kind: 'out', user: holder.user, host: holder.host, licenses: delta, at });
  }
  for (const [k, { holder, licenses }] of was) {
    const delta = licenses - (now.get(k)?.licenses ?? 0);
    if (delta > 0) events.push({ kind: 'in', user: holder.user, host: holder.host, licenses: delta, at: takenAt });
  }
  return events;
}
