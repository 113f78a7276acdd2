import { describe, expect, it } from 'vitest';
import { allocateCents } from './allocate.ts';
import { billingPeriod } from './billing-periods.ts';

describe('allocateCents (largest remainder)', () => {
  it('splits 100.00 in three equal parts without losing the last cent', () => {
    // 10000 / 3 = 3333.33 each: the floors make 9999, the one cent left goes to the first (ties by order).
    expect(allocateCents(10_000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });
  it('gives the leftover cents to the largest fractions', () => {
    // exact: 1000 * [0.125, 0.375, 0.5] = 125, 375, 500 — whole, nothing left over.
    expect(allocateCents(1000, [1, 3, 4])).toEqual([125, 375, 500]);
    // exact: 10 * [1/6, 2/6, 3/6] = 1.667, 3.333, 5 → floors 1, 3, 5 = 9; the cent goes to 1.667.
    expect(allocateCents(10, [1, 2, 3])).toEqual([2, 3, 5]);
  });
  it('always adds up to the total', () => {
    for (let n = 1; n < 40; n++) {
      const weights = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) + 0.001 * (i + 1));
      for (const total of [0, 1, 99, 123_457, 50_000_000_01]) {
        const parts = allocateCents(total, weights);
        expect(parts.reduce((a, p) => a + p, 0)).toBe(total);
        const sum = weights.reduce((a, w) => a + w, 0);
        for (const [i, p] of parts.entries()) expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1);
      }
    }
  });
  it('refuses weights that are all zero', () => {
    expect(() => allocateCents(100, [0, 0])).toThrow(RangeError);
  });
});

describe('billingPeriod', () => {
  it('runs from the billing day 00:00 UTC to the same day next month', () => {
    expect(billingPeriod(new Date('2026-11-30T23:00:00Z'), 1)).toEqual({
      start: new Date('2026-11-01T00:00:00Z'),
      end: new Date('2026-12-01T00:00:00Z'),
    });
    expect(billingPeriod(new Date('2026-12-01T00:00:00Z'), 1).start).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(billingPeriod(new Date('2026-01-10T00:00:00Z'), 15)).toEqual({
      start: new Date('2025-12-15T00:00:00Z'),
      end: new Date('2026-01-15T00:00:00Z'),
    });
  });
});
