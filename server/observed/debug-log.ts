// FlexNet's debug log (the lmgrd log file) as vendor daemons write it:
//   `14:07:03 (MLM) OUT: "MATLAB" jdoe@ws1  (3 licenses)`
//   `14:08:10 (MLM) IN: "MATLAB" jdoe@ws1  (INACTIVE)`
//   `14:09:44 (MLM) DENIED: "MATLAB" asmith@ws2  (Licensed number of users already reached. (-4,342))`
//   `14:10:01 (MLM) UNSUPPORTED: "FOO" bob@ws3  (License server system does not support this feature. (-18,327))`
// Lines carry a time but no date: the date comes from the log's own `TIMESTAMP 12/7/2026`
// lines (and `(12/7/2026)` in start-up lines); before any, from `now` (the push). A time
// that runs backwards by more than an hour without a new TIMESTAMP crossed midnight.
import { splitLines, Unparsed } from './types.ts';
import { MAX_LINE_CHARS } from './flexnet.ts';

export type LogEventKind = 'out' | 'in' | 'denied' | 'unsupported';

export interface ObservedLogEvent {
  kind: LogEventKind;
  at: string;
  vendor: string;
  feature: string;
  user: string;
  host: string;
  licenses: number;
  /** DENIED/UNSUPPORTED: the daemon's reason text; IN: why (INACTIVE, SHUTDOWN…) when given. */
  reason: string | null;
}

export interface ParsedLog {
  events: ObservedLogEvent[];
  /** Lines in the OUT/IN/DENIED/UNSUPPORTED shape that could not be read; other log lines are not counted. */
  unparsedLines: number;
  unparsedSamples: string[];
}

const EVENT = /^\s*(\d{1,2}):(\d{2}):(\d{2}) \(([^)\s]+)\) (OUT|IN|DENIED|UNSUPPORTED): "([^"]*)" (.+?)@(\S+)\s*(.*)$/;
const EVENT_LIKE = /\) (?:OUT|IN|DENIED|UNSUPPORTED):/;
const TIMESTAMP = /\bTIMESTAMP (\d{1,2})\/(\d{1,2})\/(\d{4})/;
const START_DATE = /\((\d{1,2})\/(\d{1,2})\/(\d{4})\)\s*$/;
const DAY = 86_400_000;

export function parseDebugLog(text: string, opts: { now: Date }): ParsedLog {
  const unparsed = new Unparsed();
  const events: ObservedLogEvent[] = [];
  const today = opts.now;
  let date = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  let dated = false;
  let lastMs = -1;
  for (const raw of splitLines(text)) {
    if (raw.length > MAX_LINE_CHARS) {
      if (EVENT_LIKE.test(raw.slice(0, 200))) unparsed.add(raw);
      continue;
    }
    const stamp = TIMESTAMP.exec(raw) ?? START_DATE.exec(raw);
    if (stamp) {
      const d = Date.UTC(Number(stamp[3]), Number(stamp[1]) - 1, Number(stamp[2]));
      if (Number.isFinite(d)) {
        date = d;
        dated = true;
        lastMs = -1;
      }
      continue;
    }
    const m = EVENT.exec(raw);
    if (!m) {
      if (EVENT_LIKE.test(raw)) unparsed.add(raw);
      continue;
    }
    const ms = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
    if (ms >= DAY) {
      unparsed.add(raw);
      continue;
    }
    if (lastMs >= 0 && ms + 3_600_000 < lastMs) date += DAY;
    lastMs = ms;
    // Undated lines after `now` (a log pushed just after midnight) belong to the day before.
    let at = date + ms;
    if (!dated && at > today.getTime() + 60_000) at -= DAY;
    const tail = m[9]!.trim();
    const count = /^\((\d+) licenses?\)/.exec(tail) ?? /\[(\d+) licenses?\]/.exec(tail);
    const kind = m[5]!.toLowerCase() as LogEventKind;
    const reason = tail.startsWith('(') && !count ? tail.slice(1, tail.endsWith(')') ? -1 : undefined).slice(0, 300) : null;
    events.push({
      kind,
      at: new Date(at).toISOString(),
      vendor: m[4]!,
      feature: m[6]!,
      user: m[7]!,
      host: m[8]!,
      licenses: count ? Math.max(1, Number(count[1])) : 1,
      reason,
    });
  }
  return { events, unparsedLines: unparsed.count, unparsedSamples: unparsed.samples };
}
