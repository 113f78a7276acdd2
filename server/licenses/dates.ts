// One strict reading of dates for every door (REST queries, GraphQL's DateTime scalar,
// statement periods, audit filters). `new Date(text)` accepts far too much: numbers, "0099"
// read as 1999, February 30th rolled into March, years before anything here existed.

/** What the error messages promise. */
export const DATE_FORMAT_HINT =
  'an ISO-8601 date or date-time from 1970 to 9999, e.g. 2026-11-01 or 2026-11-01T00:00:00Z (a real calendar day)';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The instant a date text names, or null unless it is strictly ISO-8601 in 1970–9999 on a
 *  real calendar day with a real time of day. No offset means UTC. */
export function parseIsoDate(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null; // day 0 of the next month: this month's last
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const [h, mm] = [Number(z[2]), Number(z[3])];
    if (h > 23 || mm > 59) return null;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return new Date(at);
}
