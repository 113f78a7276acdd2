// Reports read a busy hour's seat history a slice at a time and integrate it as it comes
// (server/licenses/seat-history.ts), so that no read holds the event loop for long. Fed whole
// or cut into pieces anywhere — between two changes of the same instant too — the integrator
// must answer exactly the same: on random histories (seeded, so a failure repeats) with
// levels already held, ends with no start, changes before the window and after its end,
// every dimension, one cell or chart cells.
import { describe, expect, it } from 'vitest';
import { byTimeEndsFirst, integrate, integrator, SEAT_DIMS, type Integration, type SeatChange } from '../server/licenses/seat-hours.ts';
import { seededRandom } from './helpers/seeded-random.ts';

const BASE = 1_765_000_800; // on the hour

function history(seed: number): Integration {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const users = ['ann', 'bo', 'cy', 'di', 'ed'];
  const teams = ['red', 'blue', null];
  const span = 3600 * (1 + Math.floor(r() * 3));
  const changes: SeatChange[] = [];
  const n = 20 + Math.floor(r() * 400);
  for (let i = 0; i < n; i++) {
    // Whole seconds half the time, so that several changes share an instant.
    const t = BASE + (r() < 0.5 ? Math.floor(r() * span) : Math.round(r() * span * 1000) / 1000);
    const d = r() < 0.5 ? 1 : -1;
    const end = d === 1 ? null : pick(['returned', 'expired', 'revoked'] as const);
    changes.push({ t, tool: pick(['cad', 'sim']), user: pick(users), team: pick(teams), project: pick(['p1', null]), d, end });
  }
  changes.sort(byTimeEndsFirst);
  const dims = r() < 0.3 ? SEAT_DIMS : [pick(SEAT_DIMS)];
  const start = BASE + Math.floor(r() * 1800);
  const end = start + 600 + r() * (span - 600);
  const cellSeconds = r() < 0.3 ? null : pick([60, 300, 900, 3600]);
  const levels = [
    { tool: 'cad', dim: 'pool' as const, grp: '', level: Math.floor(r() * 3) },
    { tool: 'sim', dim: 'team' as const, grp: 'red', level: Math.floor(r() * 3) },
    { tool: 'cad', dim: 'user' as const, grp: 'ann', level: Math.floor(r() * 2) },
  ];
  return { dims, base: BASE, start, end, cellSeconds, origin: BASE - 120, levels, changes };
}

describe('the seat integrator fed in slices', () => {
  it('answers exactly what it answers fed the whole history, wherever the history is cut', () => {
    let cells = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const x = history(seed);
      const whole = integrate(x);
      cells += whole.reduce((a, g) => a + g.cells.size, 0);
      const r = seededRandom(seed * 7919);
      for (let round = 0; round < 3; round++) {
        const fed = integrator(x);
        for (let i = 0; i < x.changes.length; ) {
          const size = Math.floor(r() * 40); // empty slices too: a quiet stretch of history
          fed.feed(x.changes.slice(i, i + size));
          i += size;
        }
        expect(fed.finish(), `seed ${seed}, round ${round}`).toStrictEqual(whole);
      }
    }
    // The histories are not empty answers compared with empty answers.
    expect(cells).toBeGreaterThan(3000);
  });
});
