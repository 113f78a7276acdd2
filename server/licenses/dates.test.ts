import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates.ts';

describe('parseIsoDate', () => {
  it('reads dates and date-times in 1970–9999, UTC unless an offset is given', () => {
    expect(parseIsoDate('2026-11-01')?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseIsoDate('2026-11-01T10:20:30Z')?.toISOString()).toBe('2026-11-01T10:20:30.000Z');
    expect(parseIsoDate('2026-11-01T10:20:30.123Z')?.toISOString()).toBe('2026-11-01T10:20:30.123Z');
    expect(parseIsoDate('2026-11-01T10:20')?.toISOString()).toBe('2026-11-01T10:20:00.000Z');
    expect(parseIsoDate('2026-11-01T10:20:00+02:00')?.toISOString()).toBe('2026-11-01T08:20:00.000Z');
    expect(parseIsoDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoDate('1970-01-01')?.getTime()).toBe(0);
    expect(parseIsoDate('9999-12-31T23:59:59Z')).not.toBeNull();
  });

  it('refuses what new Date() would bend', () => {
    for (const bad of [
      '0001-01-01',
      '0099-05-05',
      '1000-03-05',
      '1969-12-31',
      '2026-02-30',
      '2025-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-11-01T24:00:00Z',
      '2026-11-01T10:60Z',
      '5',
      '1700000000000',
      'yesterday',
      'not-a-date',
      '2026-11-01junk',
      '+012026-11-01',
      '',
    ]) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
  });
});
