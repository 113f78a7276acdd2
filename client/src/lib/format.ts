// Words and numbers as people read them.
import type { DenialReason, LicenseEvent } from './types';

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });

export function formatMoney(value: number): string {
  return money.format(value);
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h ${minutes % 60} min ago` : new Date(iso).toLocaleString();
}

/** A lease countdown: "in 42 s", "in 3 min 5 s"; "renewing…" once the deadline passed (the sweep or a heartbeat decides). */
export function formatLeaseLeft(expiresAt: string, now: number): string {
  const seconds = Math.ceil((Date.parse(expiresAt) - now) / 1000);
  if (seconds <= 0) return 'due now';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} min ${seconds % 60} s`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const SHORT_REASONS: Record<DenialReason, string> = {
  EXHAUSTED: 'pool exhausted',
  MAX_OVERAGE: 'overage allowance used up',
  UNKNOWN_TOOL: 'no such tool',
  QUEUE_AHEAD: 'others are waiting in line',
};

/** Why a borrow was refused, in words. */
export function denialText(reason: DenialReason | null, tool: string): string {
  switch (reason) {
    case 'EXHAUSTED':
      return `Pool exhausted: every ${tool} seat is borrowed. Try again when someone returns one.`;
    case 'MAX_OVERAGE':
      return `Overage allowance used up: ${tool} is already at its maximum overage beyond commit.`;
    case 'UNKNOWN_TOOL':
      return `There is no tool called “${tool}”.`;
    case 'QUEUE_AHEAD':
      return `Others are waiting in line for ${tool}: choose “wait in line” to join them.`;
    default:
      return `The borrow of ${tool} was refused.`;
  }
}

export function eventText(event: LicenseEvent): string {
  const who = event.user ?? 'someone';
  const tool = event.tool;
  switch (event.type) {
    case 'BORROWED':
      return `${who} borrowed ${tool}`;
    case 'RETURNED':
      return `${who} returned ${tool}`;
    case 'DENIED':
      return `${who} was refused ${tool} — ${event.reason ? SHORT_REASONS[event.reason] : 'refused'}`;
    case 'BUDGET_CHANGED':
      return `Budget for ${tool} changed: ${event.total} seats in total`;
    case 'EXPIRED':
      return `${who}'s lease on ${tool} expired — seat released`;
    case 'REVOKED':
      return `${who}'s seat of ${tool} was released by an admin${event.revocationReason ? ` — ${event.revocationReason}` : ''}`;
    case 'QUEUED':
      return `${who} is waiting in line for ${tool}`;
    case 'GRANTED':
      return `${who} was handed a ${tool} seat from the line`;
    case 'LEFT_QUEUE':
      return event.leftBecause === 'expired' ? `${who} stopped waiting for ${tool} (ticket expired)` : `${who} left the line for ${tool}`;
    case 'POOL_CREATED':
      return `Pool ${tool} created with ${event.total} seats`;
    case 'POOL_RETIRED':
      return `Pool ${tool} retired`;
  }
}

export const EVENT_LABELS: Record<LicenseEvent['type'], string> = {
  BORROWED: 'Borrowed',
  RETURNED: 'Returned',
  DENIED: 'Denied',
  BUDGET_CHANGED: 'Budget',
  EXPIRED: 'Expired',
  REVOKED: 'Released',
  QUEUED: 'Queued',
  GRANTED: 'Granted',
  LEFT_QUEUE: 'Left line',
  POOL_CREATED: 'Created',
  POOL_RETIRED: 'Retired',
};
