// How observed seats are counted (usage.ts), as plain functions: n licenses are n seats from
// check-out to check-in; a feature whose debug log was pushed is counted from the log alone
// (its snapshot-inferred seats would count every seat twice); seats held when the window
// begins count from its start; a check-in with no check-out before it is not a negative seat.
import { describe, expect, it } from 'vitest';
import type { HeldRow, SeatEventRow } from './report-queries.ts';
import { observedSeats, type ObservedWindow } from './usage.ts';

const T0 = Date.parse('2026-03-10T00:00:00Z') / 1000;
const window = (over: Partial<ObservedWindow> = {}): ObservedWindow => ({
  ...{ start: T0, end: T0 + 86_400, dim: 'pool', cellSeconds: null, origin: T0, tool: null },
  ...over,
});
const ev = (origin: string, kind: 'out' | 'in', user: string, licenses: number, hour: number): SeatEventRow => ({
  ...{ source: 'lic', feature: 'CAD', user, origin, kind, licenses },
  at: new Date((T0 + hour * 3600) * 1000),
});
const teams = new Map([['alice', 'cae']]);

describe('observed seats', () => {
  it('counts n licenses as n seats from check-out to check-in', () => {
    const seats = observedSeats(
      window(),
      [],
      [ev('snapshot', 'out', 'alice', 3, 1), ev('snapshot', 'in', 'alice', 3, 3)],
      new Set(),
      teams,
    );
    expect(seats).toMatchObject([{ tool: 'lic/CAD', group: '', seatSeconds: 3 * 2 * 3600, peak: 3 }]);
  });

  it("counts a feature from its debug log alone once one was pushed: the snapshots' copy is not added", () => {
    const both = [
      ev('snapshot', 'out', 'alice', 2, 1),
      ev('log', 'out', 'alice', 2, 1),
      ev('snapshot', 'in', 'alice', 2, 2),
      ev('log', 'in', 'alice', 2, 2),
    ];
    expect(observedSeats(window(), [], both, new Set(['lic/CAD']), teams)[0]!.seatSeconds).toBe(2 * 3600);
    // Without a log, the snapshots' seats; the log's rows of another feature change nothing here.
    expect(
      observedSeats(
        window(),
        [],
        both.filter((e) => e.origin === 'snapshot'),
        new Set(['lic/OTHER']),
        teams,
      )[0]!.seatSeconds,
    ).toBe(2 * 3600);
  });

  it("counts seats held as the window begins from its start, by the holder's team", () => {
    const held: HeldRow[] = [{ source: 'lic', feature: 'CAD', user: 'alice', origin: 'snapshot', held: 1 }];
    const seats = observedSeats(window({ dim: 'team' }), held, [ev('snapshot', 'in', 'alice', 1, 5)], new Set(), teams);
    expect(seats).toMatchObject([{ group: 'cae', seatSeconds: 5 * 3600 }]);
  });

  it('ignores a check-in whose check-out it never saw (a log pushed mid-seat), and maps users in no team to null', () => {
    const seats = observedSeats(
      window({ dim: 'team' }),
      [],
      [ev('log', 'in', 'bob', 4, 1), ev('log', 'out', 'bob', 1, 2), ev('log', 'in', 'bob', 1, 4)],
      new Set(['lic/CAD']),
      teams,
    );
    expect(seats).toMatchObject([{ group: null, seatSeconds: 2 * 3600, peak: 1 }]);
  });
});
