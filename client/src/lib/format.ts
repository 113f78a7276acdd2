// Words and numbers as people read them.
import type { DenialReason, LicenseEvent, QueueTicket } from './types';

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

/** A length of time in seconds as people say it: "45 s", "1 min", "2 min 30 s", "1 h 5 min". */
export function formatSeconds(total: number): string {
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** "a cad_tool", "an analysis": the article a tool's name takes when read aloud (by its first letter). */
export function aTool(tool: string): string {
  return `${/^[aeiou]/i.test(tool) ? 'an' : 'a'} ${tool}`;
}

/** How a place in line ended, told to its waiter. */
export function ticketEndText(ticket: Pick<QueueTicket, 'state' | 'tool' | 'leaseSeconds'>): string {
  switch (ticket.state) {
    case 'GRANTED':
      return `Your turn: you were handed ${aTool(ticket.tool)} seat from the line (lease ${formatSeconds(ticket.leaseSeconds)}, renewed while this page is open).`;
    case 'EXPIRED':
      return `Your place in line for ${ticket.tool} expired: this page stopped keeping it. Borrow again to get back in line.`;
    case 'CANCELLED':
      return `You left the line for ${ticket.tool}.`;
    default:
      return `You are waiting in line for ${ticket.tool}.`;
  }
}

const SHORT_REASONS: Record<DenialReason, string> = {
  EXHAUSTED: 'pool exhausted',
  MAX_OVERAGE: 'overage allowance used up',
  UNKNOWN_TOOL: 'no such tool',
  QUEUE_AHEAD: 'others are waiting in line',
  TEAM_MAX: 'their team holds its maximum share',
  RESERVED_FOR_OTHER_TEAMS: 'the free seats are reserved for other teams',
  SPEND_CAP: "this period's overage spend cap is reached",
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
    case 'TEAM_MAX':
      return `Your team already holds its maximum share of ${tool}.`;
    case 'RESERVED_FOR_OTHER_TEAMS':
      return `The free ${tool} seats are reserved for other teams.`;
    case 'SPEND_CAP':
      return `Overage spend cap reached: another ${tool} seat beyond commit would take this billing period's overage spend past its cap.`;
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
      return `Budget for ${tool} changed: ${event.total} seat${event.total === 1 ? '' : 's'} in total`;
    case 'EXPIRED':
      return `${who}'s lease on ${tool} expired — seat released`;
    case 'REVOKED':
      return `${who}'s seat of ${tool} was released by an admin${event.revocationReason ? ` — ${event.revocationReason}` : ''}`;
    case 'QUEUED':
      return `${who} is waiting in line for ${tool}`;
    case 'GRANTED':
      return `${who} was handed ${aTool(tool)} seat from the line`;
    case 'LEFT_QUEUE':
      return event.leftBecause === 'expired' ? `${who} stopped waiting for ${tool} (ticket expired)` : `${who} left the line for ${tool}`;
    case 'POOL_CREATED':
      return `Pool ${tool} created with ${event.total} seat${event.total === 1 ? '' : 's'}`;
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
