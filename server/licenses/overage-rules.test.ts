import { describe, expect, it } from 'vitest';
import {
  type BillingRow,
  type SlotRow,
  SEAT_HOUR_MS,
  addToPeriod,
  decideOverage,
  dueSeatHours,
  passesCap,
  periodSpend,
  reassignSlots,
  slotFilled,
  slotsInUse,
} from './overage-rules.ts';

const at = (iso: string) => new Date(iso);
const row = (over: Partial<BillingRow> = {}): BillingRow => ({
  billingDay: 1,
  overageMode: 'per_borrow',
  spendCap: null,
  periodStart: null,
  periodOverageCost: 0,
  overagePricePerLicense: 10,
  ...over,
});
const slot = (n: number, paidUntil: string, borrowId: string | null = `b${n}`): SlotRow => ({
  slot: n,
  paidUntil: at(paidUntil),
  borrowId,
  user: borrowId && `u-${borrowId}`,
  team: null,
  project: null,
});

describe('periodSpend / addToPeriod', () => {
  it("counts the row's spend only while its period is the current one", () => {
    const r = row({ periodStart: at('2026-11-01T00:00:00Z'), periodOverageCost: 30 });
    expect(periodSpend(r, at('2026-11-20T00:00:00Z')).spent).toBe(30);
    expect(periodSpend(r, at('2026-12-01T00:00:00Z')).spent).toBe(0);
    expect(periodSpend({ ...r, billingDay: 15 }, at('2026-11-20T00:00:00Z')).spent).toBe(0);
  });
  it('starts a new period at zero and adds only charges inside it', () => {
    const r = row({ periodStart: at('2026-11-01T00:00:00Z'), periodOverageCost: 30 });
    expect(addToPeriod(r, at('2026-11-20T00:00:00Z'), [{ at: at('2026-11-20T00:00:00Z'), amount: 10 }])).toEqual({
      periodStart: at('2026-11-01T00:00:00Z'),
      periodOverageCost: 40,
    });
    expect(addToPeriod(r, at('2026-12-01T00:10:00Z'), [{ at: at('2026-12-01T00:10:00Z'), amount: 10 }])).toEqual({
      periodStart: at('2026-12-01T00:00:00Z'),
      periodOverageCost: 10,
    });
  });
});

describe('passesCap', () => {
  it('refuses only a charge that takes spend past the cap', () => {
    expect(passesCap(20, 10, 30)).toBe(false); // exactly at the cap is allowed
    expect(passesCap(21, 10, 30)).toBe(true);
    expect(passesCap(0.1 + 0.2, 0.7, 1)).toBe(false); // float noise is not a refusal
    expect(passesCap(1000, 10, null)).toBe(false);
    expect(passesCap(30, 0, 30)).toBe(false); // a free seat never passes
  });
});

describe('decideOverage', () => {
  const now = at('2026-11-20T10:00:00Z');
  it('per borrow: every overage seat is charged, the cap refuses past it', () => {
    expect(decideOverage(row(), null, now)).toEqual({ take: true, charge: { amount: 10, kind: 'borrow' }, paidUntil: null });
    const capped = row({ spendCap: 25, periodStart: at('2026-11-01T00:00:00Z'), periodOverageCost: 20 });
    expect(decideOverage(capped, null, now)).toEqual({ take: false, reason: 'spend_cap' });
    // The next period starts at zero.
    expect(decideOverage(capped, null, at('2026-12-01T00:00:00Z')).take).toBe(true);
  });
  it('per seat-hour: a slot within its paid hour is free (never capped), else a new hour', () => {
    const r = row({ overageMode: 'per_seat_hour', spendCap: 0 });
    expect(decideOverage(r, at('2026-11-20T10:30:00Z'), now)).toEqual({ take: true, charge: null, paidUntil: null });
    expect(decideOverage(r, null, now)).toEqual({ take: false, reason: 'spend_cap' });
    const open = row({ overageMode: 'per_seat_hour' });
    expect(decideOverage(open, at('2026-11-20T10:00:00Z'), now)).toEqual({
      take: true,
      charge: { amount: 10, kind: 'seat_hour' },
      paidUntil: new Date(now.getTime() + SEAT_HOUR_MS),
    });
  });
});

describe('slots', () => {
  it('number the seats above commit', () => {
    expect(slotFilled(1, 2)).toBeNull();
    expect(slotFilled(2, 2)).toBe(1);
    expect(slotFilled(4, 2)).toBe(3);
    expect(slotsInUse(1, 2)).toBe(0);
    expect(slotsInUse(5, 2)).toBe(3);
  });

  it('ten borrows and returns in a minute: one paid hour (the slot is filled again within it)', () => {
    const r = row({ overageMode: 'per_seat_hour' });
    let paidUntil: Date | null = null;
    let charges = 0;
    for (let i = 0; i < 10; i++) {
      const d = decideOverage(r, paidUntil, new Date(at('2026-11-20T10:00:00Z').getTime() + i * 6000));
      if (!d.take) throw new Error('refused');
      if (d.charge) charges++;
      paidUntil = d.paidUntil ?? paidUntil;
    }
    expect(charges).toBe(1);
  });

  it('continuing use starts the next hour on the grid, only for slots in use', () => {
    const slots = [slot(1, '2026-11-20T11:00:00Z'), slot(2, '2026-11-20T10:30:00Z'), slot(3, '2026-11-20T09:00:00Z')];
    const due = dueSeatHours(slots, 2, at('2026-11-20T11:00:00Z'));
    expect(due.map((d) => [d.slot.slot, d.hours.map((h) => h.toISOString()), d.paidUntil.toISOString()])).toEqual([
      [1, ['2026-11-20T11:00:00.000Z'], '2026-11-20T12:00:00.000Z'],
      [2, ['2026-11-20T10:30:00.000Z'], '2026-11-20T11:30:00.000Z'],
    ]);
    // Three hours missed: three charges, the grid kept.
    const late = dueSeatHours([slot(1, '2026-11-20T08:00:00Z')], 1, at('2026-11-20T10:15:00Z'));
    expect(late[0]!.hours).toHaveLength(3);
    expect(late[0]!.paidUntil.toISOString()).toBe('2026-11-20T11:00:00.000Z');
    expect(dueSeatHours(slots, 0, at('2026-11-21T00:00:00Z'))).toEqual([]);
  });

  it('hands a slot whose borrow left to the seat that moved down', () => {
    const slots = [slot(1, '2026-11-20T11:00:00Z', 'a'), slot(2, '2026-11-20T11:00:00Z', 'b'), slot(3, '2026-11-20T11:00:00Z', 'c')];
    // a left; 2 slots in use now: slot 1 is charged to c (slot 3 is no longer in use).
    expect(reassignSlots(slots, 2, new Set(['a'])).map((s) => [s.slot, s.borrowId])).toEqual([[1, 'c']]);
    // c itself left: nothing to hand over.
    expect(reassignSlots(slots, 2, new Set(['c']))).toEqual([]);
  });
});
