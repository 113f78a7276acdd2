// Times as license servers print them: `Mon 12/7 9:58` (lmstat), `12/07 09:15` (rlmstat),
// `31-dec-2026` (expiry). Start times carry neither year nor zone, so they are resolved
// against the moment the output was taken: the latest such time not after it (a seat
// checked out on 12/31 and seen on 1/2 is last year's). The zone is the license server's:
// when the output's own header says what time it was there, the difference to `now` gives
// the offset (rounded to a quarter hour); without one, UTC is assumed.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;

/** `31-dec-2026` → `2026-12-31`; `permanent`, `1-jan-0` and years 0 → 'permanent'; otherwise null. */
export function parseExpiry(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t === 'permanent' || t === 'perm' || t === 'uncounted') return 'permanent';
  const m = /^(\d{1,2})-([a-z]{3})-(\d{1,4})$/.exec(t);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  let year = Number(m[3]);
  if (month < 0) return null;
  if (year === 0) return 'permanent';
  if (year < 100) year += 2000;
  const day = Number(m[1]);
  if (day < 1 || day > 31) return null;
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Offset (ms) to subtract from a server-local wall time read as UTC to get real UTC. */
export function zoneOffset(serverWallAsUtc: number | null, now: Date): number {
  if (serverWallAsUtc === null || !Number.isFinite(serverWallAsUtc)) return 0;
  const diff = serverWallAsUtc - now.getTime();
  // More than 14 h apart is not a zone: a wrong clock or a stale output. Ignore it.
  if (Math.abs(diff) > 14 * 3_600_000) return 0;
  return Math.round(diff / QUARTER_HOUR) * QUARTER_HOUR;
}

/** FlexNet's header `Flexible License Manager status on Mon 12/7/2026 10:15` → wall time as UTC ms. */
export function parseHeaderTime(line: string): number | null {
  const m = /status on \w+ (\d{1,2})\/(\d{1,2})\/(\d{2,4}) (\d{1,2}):(\d{2})/.exec(line);
  if (!m) return null;
  const year = Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
  return Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]));
}

/**
 * A month/day and time without a year (`12/7 9:58`, optionally `12/7/26`), taken in the
 * server's zone (`offsetMs`), resolved to the latest such moment not more than a day after
 * `now`. Returns an ISO string, or null when the numbers are not a date.
 */
export function resolveStart(
  month: number,
  day: number,
  hour: number,
  minute: number,
  year: number | null,
  now: Date,
  offsetMs: number,
): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const at = (y: number) => Date.UTC(y, month - 1, day, hour, minute) - offsetMs;
  let ms: number;
  if (year !== null) {
    ms = at(year < 100 ? 2000 + year : year);
  } else {
    const y = now.getUTCFullYear();
    ms = at(y);
    if (ms > now.getTime() + DAY) ms = at(y - 1);
  }
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** resolveStart memoised for one parse: holders mostly share a handful of start minutes. */
export function startResolver(now: Date, offsetMs: () => number) {
  const seen = new Map<string, string | null>();
  return (month: number, day: number, hour: number, minute: number, year: number | null): string | null => {
    const key = `${month}/${day}/${year} ${hour}:${minute}`;
    let v = seen.get(key);
    if (v === undefined) {
      v = resolveStart(month, day, hour, minute, year, now, offsetMs());
      if (seen.size < 10_000) seen.set(key, v);
    }
    return v;
  };
}
