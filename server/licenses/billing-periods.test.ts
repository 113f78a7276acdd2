import { describe, expect, it } from 'vitest';
import {
  BILLING_DAY_LIMITS,
  billingPeriod,
  inPeriod,
  isBillingDay,
  nextPeriod,
  periodsBetween,
  previousPeriod,
} from './billing-periods.ts';

const d = (iso: string) => new Date(iso);
const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

describe('billingPeriod', () => {
  it('runs from the billing day 00:00 UTC to the same day next month, end exclusive', () => {
    expect(iso(billingPeriod(d('2026-11-15T12:00:00Z'), 1))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(iso(billingPeriod(d('2026-11-15T12:00:00Z'), 15))).toEqual(['2026-11-15T00:00:00.000Z', '2026-12-15T00:00:00.000Z']);
    // One millisecond before the billing day is still the previous period.
    expect(iso(billingPeriod(d('2026-11-14T23:59:59.999Z'), 15))).toEqual(['2026-10-15T00:00:00.000Z', '2026-11-15T00:00:00.000Z']);
    // The first instant of the day opens the new one.
    expect(iso(billingPeriod(d('2026-12-01T00:00:00.000Z'), 1))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('defaults to day 1', () => {
    expect(iso(billingPeriod(d('2026-02-10T00:00:00Z')))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
  });

  it('crosses years both ways', () => {
    expect(iso(billingPeriod(d('2027-01-05T08:00:00Z'), 10))).toEqual(['2026-12-10T00:00:00.000Z', '2027-01-10T00:00:00.000Z']);
    expect(iso(billingPeriod(d('2026-12-31T23:59:59Z'), 1))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(billingPeriod(d('2026-12-20T00:00:00Z'), 20))).toEqual(['2026-12-20T00:00:00.000Z', '2027-01-20T00:00:00.000Z']);
  });

  it('keeps day 28 through February in leap and common years', () => {
    expect(iso(billingPeriod(d('2028-02-29T12:00:00Z'), 28))).toEqual(['2028-02-28T00:00:00.000Z', '2028-03-28T00:00:00.000Z']);
    expect(iso(billingPeriod(d('2027-03-01T00:00:00Z'), 28))).toEqual(['2027-02-28T00:00:00.000Z', '2027-03-28T00:00:00.000Z']);
    // Day 1 in February: 29 days in a leap year, 28 otherwise.
    const leap = billingPeriod(d('2028-02-15T00:00:00Z'), 1);
    const common = billingPeriod(d('2027-02-15T00:00:00Z'), 1);
    expect((leap.end.getTime() - leap.start.getTime()) / 86_400_000).toBe(29);
    expect((common.end.getTime() - common.start.getTime()) / 86_400_000).toBe(28);
  });

  it('refuses days that not every month has (29–31), 0 and fractions', () => {
    for (const day of [0, 29, 30, 31, 1.5, -1, Number.NaN]) expect(() => billingPeriod(d('2026-11-15T00:00:00Z'), day)).toThrow(RangeError);
    expect(() => billingPeriod(new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(isBillingDay(BILLING_DAY_LIMITS.min)).toBe(true);
    expect(isBillingDay(BILLING_DAY_LIMITS.max)).toBe(true);
    expect(isBillingDay(29)).toBe(false);
    expect(isBillingDay('1')).toBe(false);
  });

  it('holds its own start and not its end', () => {
    const p = billingPeriod(d('2026-11-15T00:00:00Z'), 3);
    expect(inPeriod(p.start, p)).toBe(true);
    expect(inPeriod(new Date(p.end.getTime() - 1), p)).toBe(true);
    expect(inPeriod(p.end, p)).toBe(false);
  });
});

describe('previousPeriod / nextPeriod', () => {
  it('tile time with no gap or overlap, for every billing day over four years', () => {
    for (let day = BILLING_DAY_LIMITS.min; day <= BILLING_DAY_LIMITS.max; day++) {
      let p = billingPeriod(d('2026-01-01T00:00:00Z'), day);
      for (let i = 0; i < 48; i++) {
        const next = nextPeriod(p, day);
        expect(next.start.getTime()).toBe(p.end.getTime());
        expect(next.start.getUTCDate()).toBe(day);
        expect(next.start.getUTCHours()).toBe(0);
        expect(iso(previousPeriod(next, day))).toEqual(iso(p));
        p = next;
      }
    }
  });

  it('step across the year', () => {
    const dec = billingPeriod(d('2026-12-15T00:00:00Z'), 1);
    expect(iso(nextPeriod(dec, 1))).toEqual(['2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z']);
    expect(iso(previousPeriod(nextPeriod(dec, 1), 1))).toEqual(iso(dec));
    expect(iso(previousPeriod(billingPeriod(d('2027-01-02T00:00:00Z'), 1), 1))).toEqual(iso(dec));
  });
});

describe('periodsBetween', () => {
  it('lists the periods overlapping a range, oldest first', () => {
    const ps = periodsBetween(d('2026-10-20T00:00:00Z'), d('2027-01-05T00:00:00Z'), 1);
    expect(ps.map((p) => p.start.toISOString().slice(0, 10))).toEqual(['2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01']);
    expect(periodsBetween(d('2026-11-01T00:00:00Z'), d('2026-12-01T00:00:00Z'), 1)).toHaveLength(1);
    expect(periodsBetween(d('2026-11-01T00:00:00Z'), d('2026-11-01T00:00:00Z'), 1)).toEqual([]);
  });

  it('is bounded', () => {
    expect(() => periodsBetween(d('1900-01-01T00:00:00Z'), d('2100-01-01T00:00:00Z'), 1, 100)).toThrow(RangeError);
  });
});
