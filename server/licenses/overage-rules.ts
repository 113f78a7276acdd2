// What overage costs and when the spend cap refuses it, decided once. The stores
// lock the pool, load its row (and, for per_seat_hour pools, its overage slots), call these
// and write what they decided; nothing here touches a database or reads the clock.
//
// Modes (tools.overage_mode):
// - per_borrow (the default, as before): every borrow that takes a seat beyond commit is
//   charged the pool's overage price once.
// - per_seat_hour: overage use is charged per *started seat-hour*. The seats above commit
//   are numbered slots: slot n is in use while the pool holds at least commit + n seats. A
//   slot that becomes used when its paid hour has run out starts a new paid hour (one charge
//   at the overage price, now the price per seat-hour); filled again within its paid hour,
//   it costs nothing. So one user borrowing and returning ten times in a minute pays one
//   seat-hour, two overage seats at once pay two, and a slot still in use when its hour ends
//   starts (and is charged) the next hour, on the same hourly grid. That continuing use is
//   charged when the pool is next touched in a locked transaction (a borrow, return, budget
//   change) or by the lease sweep (about once a second), so the money shown is never more
//   than one sweep behind. Each charge is recorded on the borrow that filled the slot (its
//   user, team and project); when that borrow leaves while its slot stays in use, the seat
//   moving into the slot (the highest one in use) takes it over.
//
// Spend cap (tools.spend_cap, null = none): an overage seat whose charge would take this
// billing period's overage spend past the cap is refused with reason `spend_cap` (a waiter
// keeps waiting). A seat that costs nothing now (a slot within its paid hour) is never
// refused. Continuing hours of seats already held are charged even past the cap: the seat
// is held and cannot be refused after the fact, so the cap stops new overage, not running use.
//
// This period's spend is kept on the pool's row (period_start, period_overage_cost), in step
// with the charges in the same transaction, so a pool without a cap in per_borrow mode reads
// nothing more than before, and a capped one decides from its locked row alone.
import { billingPeriod, inPeriod } from './billing-periods.ts';
import { OVERAGE_MODES } from './limits.ts';

export { OVERAGE_MODES };
export type OverageMode = (typeof OVERAGE_MODES)[number];

/** One paid seat-hour. */
export const SEAT_HOUR_MS = 3_600_000;

/** Most continuing hours one slot is charged in one settlement (a month of hours): bounds a transaction after a long outage. */
export const MAX_HOURS_PER_SETTLEMENT = 744;

export function isOverageMode(mode: unknown): mode is OverageMode {
  return (OVERAGE_MODES as readonly unknown[]).includes(mode);
}

/** The billing fields of a pool's row. */
export interface BillingRow {
  billingDay: number;
  overageMode: OverageMode;
  spendCap: number | null;
  /** The period periodOverageCost counts (null: no charge recorded since the pool began). */
  periodStart: Date | null;
  periodOverageCost: number;
  overagePricePerLicense: number;
}

/** The period holding `now` and what it has spent on overage so far, from the row alone. */
export function periodSpend(row: Pick<BillingRow, 'billingDay' | 'periodStart' | 'periodOverageCost'>, now: Date) {
  const period = billingPeriod(now, row.billingDay);
  const spent = row.periodStart !== null && row.periodStart.getTime() === period.start.getTime() ? row.periodOverageCost : 0;
  return { period, spent };
}

/** The row's period fields after `charges` recorded at `now` (each counted if its time lies in now's period). */
export function addToPeriod(
  row: Pick<BillingRow, 'billingDay' | 'periodStart' | 'periodOverageCost'>,
  now: Date,
  charges: readonly { at: Date; amount: number }[],
): { periodStart: Date; periodOverageCost: number } {
  const { period, spent } = periodSpend(row, now);
  let total = spent;
  for (const c of charges) if (inPeriod(c.at, period)) total += c.amount;
  return { periodStart: period.start, periodOverageCost: total };
}

/** Whether a charge of `amount` on top of `spent` passes `cap` (a cent's thousandth of float noise allowed). */
export function passesCap(spent: number, amount: number, cap: number | null): boolean {
  return cap !== null && amount > 0 && spent + amount > cap + 1e-5;
}

/** The overage slot a seat taken now fills (1 = first above commit), or null within commit. */
export function slotFilled(borrowedBefore: number, commit: number): number | null {
  return borrowedBefore >= commit ? borrowedBefore - commit + 1 : null;
}

/** Overage slots in use while `borrowed` seats are held. */
export const slotsInUse = (borrowed: number, commit: number): number => Math.max(borrowed - commit, 0);

export type OverageDecision =
  | { take: true; charge: { amount: number; kind: 'borrow' | 'seat_hour' } | null; paidUntil: Date | null }
  | { take: false; reason: 'spend_cap' };

/**
 * A seat beyond commit that the pool's limits already allow: what it costs and whether the
 * spend cap lets it go ahead. `slotPaidUntil` is the paid hour's end of the slot it fills
 * (per_seat_hour only; null when the slot was never paid). paidUntil: the slot's new paid
 * hour end to store (per_seat_hour), else null.
 */
export function decideOverage(row: BillingRow, slotPaidUntil: Date | null, now: Date): OverageDecision {
  if (row.overageMode === 'per_seat_hour' && slotPaidUntil !== null && slotPaidUntil.getTime() > now.getTime()) {
    return { take: true, charge: null, paidUntil: null };
  }
  const amount = row.overagePricePerLicense;
  if (row.spendCap !== null && passesCap(periodSpend(row, now).spent, amount, row.spendCap)) return { take: false, reason: 'spend_cap' };
  if (row.overageMode === 'per_seat_hour') {
    return { take: true, charge: { amount, kind: 'seat_hour' }, paidUntil: new Date(now.getTime() + SEAT_HOUR_MS) };
  }
  return { take: true, charge: { amount, kind: 'borrow' }, paidUntil: null };
}

/** A slot as stored: its paid hour's end and the borrow it is charged to. */
export interface SlotRow {
  slot: number;
  paidUntil: Date;
  borrowId: string | null;
  user: string | null;
  team: string | null;
  project: string | null;
}

/**
 * Continuing use: the slots in use (1..inUse) whose paid hour ended at or before `now` start
 * the next hour(s) on their grid. Returns, per due slot, the hours started (one charge each,
 * at most MAX_HOURS_PER_SETTLEMENT) and the new paid-until.
 */
export function dueSeatHours(slots: readonly SlotRow[], inUse: number, now: Date): { slot: SlotRow; hours: Date[]; paidUntil: Date }[] {
  const out: { slot: SlotRow; hours: Date[]; paidUntil: Date }[] = [];
  for (const s of slots) {
    if (s.slot > inUse || s.paidUntil.getTime() > now.getTime()) continue;
    const hours: Date[] = [];
    let until = s.paidUntil.getTime();
    while (until <= now.getTime() && hours.length < MAX_HOURS_PER_SETTLEMENT) {
      hours.push(new Date(until));
      until += SEAT_HOUR_MS;
    }
    // After a very long outage the grid restarts at now rather than charging beyond the bound.
    if (until <= now.getTime()) until = now.getTime() + SEAT_HOUR_MS;
    out.push({ slot: s, hours, paidUntil: new Date(until) });
  }
  return out;
}

/**
 * After borrows `gone` left (the pool now holds `inUse` overage slots): slots still in use
 * whose borrow left are charged from now on to the borrows of the slots no longer in use
 * (their seats moved down), highest first. Returns the slots whose holder changes.
 */
export function reassignSlots(slots: readonly SlotRow[], inUse: number, gone: ReadonlySet<string>): SlotRow[] {
  const orphaned = slots.filter((s) => s.slot <= inUse && s.borrowId !== null && gone.has(s.borrowId)).sort((a, b) => a.slot - b.slot);
  const movers = slots.filter((s) => s.slot > inUse && s.borrowId !== null && !gone.has(s.borrowId)).sort((a, b) => b.slot - a.slot);
  const out: SlotRow[] = [];
  for (const s of orphaned) {
    const m = movers.shift();
    if (!m) break;
    out.push({ ...s, borrowId: m.borrowId, user: m.user, team: m.team, project: m.project });
  }
  return out;
}
