// Splitting money into parts that add up to the cent (largest-remainder, or Hamilton's,
// method): each part gets the whole cents of its exact share, and the cents left over go
// one each to the parts with the largest fractions (ties: the earlier part). Rounding each
// part on its own could lose or add a cent; this never does.

/** `totalCents` (a whole number >= 0) split in proportion to `weights` (>= 0, not all 0). */
export function allocateCents(totalCents: number, weights: number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (weights.length === 0) return [];
  if (!(sum > 0)) throw new RangeError('allocateCents needs a positive weight');
  const exact = weights.map((w) => (totalCents * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = totalCents - parts.reduce((a, p) => a + p, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  // Float error can leave `left` a little off the count of fractions; it is whole cents by construction.
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length, left++) parts[order[k]!.i]! -= 1;
  return parts;
}

/** Money (in currency units, as stored) to whole cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);
export const fromCents = (cents: number): number => cents / 100;
