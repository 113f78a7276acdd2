// Durations on the command line: `90` or `90s`, `500ms`, `10m`, `1h30m`, `2d`; `forever`
// (or `inf`) where a wait may be endless. A bare number is seconds.

import { LEASE_LIMITS } from '../server/licenses/limits.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

export class DurationError extends Error {}

/** Milliseconds in `text`; Infinity for `forever`/`inf` when `allowForever`. Throws DurationError. */
export function parseDuration(text: string, { allowForever = false } = {}): number {
  const t = text.trim().toLowerCase();
  if (allowForever && (t === 'forever' || t === 'inf' || t === 'infinity')) return Number.POSITIVE_INFINITY;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1_000);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < t.length) {
    const at = PART.lastIndex;
    const m = PART.exec(t);
    if (!m || m.index !== at) throw new DurationError(badDuration(text, allowForever));
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  if (t.length === 0) throw new DurationError(badDuration(text, allowForever));
  return Math.round(total);
}

function badDuration(text: string, allowForever: boolean): string {
  return `"${text}" is not a duration (examples: 30s, 10m, 1h30m, 90${allowForever ? ', forever' : ''})`;
}

/** Whole seconds for a lease, within the bounds the server accepts (checked here so a bad
 *  `--lease` is a usage error naming the option, not the server's refusal of a JSON field). */
export function parseLeaseSeconds(text: string): number {
  const ms = parseDuration(text);
  if (ms < 1_000 || ms % 1_000 !== 0) throw new DurationError(`"${text}" is not a whole number of seconds (examples: 60, 60s, 5m)`);
  const s = ms / 1_000;
  if (s < LEASE_LIMITS.min || s > LEASE_LIMITS.max) {
    throw new DurationError(
      `a lease is ${formatDuration(LEASE_LIMITS.min * 1_000)} to ${formatDuration(LEASE_LIMITS.max * 1_000)}, not ${formatDuration(ms)}`,
    );
  }
  return s;
}

/** `1h 2m 3s`-style text for messages. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  let s = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join(' ');
}
