// `lmutil lmstat -a` (and the table of `lmstat -i`) as FlexNet Publisher prints it, from
// version 9 to 11.19: license server blocks (one host, or a triad with one line per host),
// vendor daemon states, then one `Users of FEATURE:` block per feature with its totals line,
// reservations and holders. The totals line is the truth for issued and in use; holders
// are listed as the output gives them. Every line either matches a rule or is counted as
// unparsed; nothing here throws.
import {
  emptyFeature,
  splitLines,
  Unparsed,
  type ObservedDaemon,
  type ObservedFeature,
  type ObservedHolder,
  type ObservedServer,
  type ParsedStatus,
} from './types.ts';
import { parseExpiry, parseHeaderTime, startResolver, zoneOffset } from './time.ts';

// `Users of MATLAB:  (Total of 10 licenses issued;  Total of 2 licenses in use)`
const USERS_OF = /^\s*Users of (.+?):\s*\((.*)\)\s*$/;
const TOTALS = /Total of (\d+) licenses? issued;\s*Total of (\d+) licenses? in use/i;
// `"MATLAB" v41, vendor: MLM, expiry: 31-dec-2026` (expiry from 11.x on; 9.x has none)
const DETAIL = /^\s*"([^"]+)" v?(\S*), vendor: ([^,\s]+)(?:, expiry: (\S+))?/;
// `  jdoe ws1 /dev/pts/1 (v41) (lic1/27000 1234), start Mon 12/7 9:58[, 16 licenses][ (linger: 3600)]`
const HOLDER = /^\s+(.+?) \(v?[^()]*\) \(([^()]*)\),? start \w{3} (\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))? (\d{1,2}):(\d{2})(.*)$/;
// Older servers and some vendors put no version in parentheses.
const HOLDER_NO_VERSION = /^\s+(.+?) \(([^()]*\/\d+[^()]*)\),? start \w{3} (\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))? (\d{1,2}):(\d{2})(.*)$/;
const QUEUED = /^\s+.+\) queued for (\d+) licenses?/;
// `  1 RESERVATION for GROUP engineers (lic1/27000)`, `  2 RESERVATIONs for USER jdoe (lic1/27000)`
const RESERVATION = /^\s*(\d+) RESERVATIONs? for (\S+) (.+?)(?: \([^()]*\))?\s*$/i;
const SERVER_STATUS = /^\s*License server status: (.*)$/;
// `lic1: license server UP (MASTER) v11.16.2`, `lic3: license server DOWN`
const SERVER_LINE = /^\s*([^\s:]+): license server (UP|DOWN)\b(?: \(MASTER\))?\s*(?:v(\S+))?/;
const SERVER_ERROR = /^\s*([^\s:]+): (Cannot .*|.*[Ee]rror.*)$/;
const DAEMON_SECTION = /^\s*Vendor daemon status \(on ([^)]*)\):/;
const DAEMON_LINE = /^\s*([\w.-]+): (UP|DOWN)\b\s*(?:v(\S+))?/;
const DAEMON_ERROR = /^\s*([\w.-]+): (.+)$/;
const FATAL =
  /Cannot connect to license server|Cannot find license file|License server machine is down|Cannot read data from license server|lmgrd is not running|Error getting status/i;
// `lmstat -i`: `Feature  Version  #licenses  Vendor  Expires` then rows of the same.
const EXPIRY_HEADER = /^\s*Feature\s+Version\s+#licenses\s+Vendor\s+Expires/i;
const EXPIRY_ROW = /^\s*(\S+)\s+(\S+)\s+(\d+|uncounted)\s+(\S+)\s+(\S+)\s*$/i;

/** Lines that carry nothing a pool needs: banners, section titles, license types. */
const KNOWN = [
  /^\s*$/,
  /^\s*lm(?:util|stat) - Copyright/i,
  /Copyright \(c\)/i,
  /^\s*Flexible License Manager status on/,
  /^\s*\[Detecting lmgrd processes\.\.\.\]/,
  /^\s*License file\(s\) on .*:/,
  /^\s*Feature usage info:/,
  /^\s*vendor_string:/,
  /^\s*(?:floating|nodelocked|uncounted|counted) license/i,
  /^\s*license type:/i,
  /^\s*NOTE: lmstat -i/,
  /^\s*but only reads the license file/,
  /^\s*lmstat -a is recommended/,
  /^\s*_+[\s_]*$/,
  /^\s*-{3,}/,
  /^\s*Flexible License Manager/,
  /^\s*The license server manager \(lmgrd\)/i,
  /^\s*FlexNet Licensing error/i,
  /^\s*FLEXnet Licensing error/i,
  /^\s*For further information, refer to/i,
  /^\s*the FlexNet Licensing documentation/i,
  /^\s*available at "?www\./i,
  /^\s*System Error:/i,
  /^\s*Feature:\s+\S+/,
  /^\s*License path:/i,
  /^\s*Server name:/i,
  /^\s*License server:/i,
];

/** A longer line is counted as unparsed without being matched (bounds the regex work per line). */
export const MAX_LINE_CHARS = 2000;

export interface ParseOptions {
  /** When the output was taken: resolves start times that print no year. */
  now: Date;
}

/** Parses `lmstat -a` (optionally followed by `lmstat -i`'s table). Never throws. */
export function parseLmstat(text: string, opts: ParseOptions): ParsedStatus {
  const unparsed = new Unparsed();
  const servers: ObservedServer[] = [];
  const daemons: ObservedDaemon[] = [];
  const features = new Map<string, ObservedFeature>();
  const expiries = new Map<string, string>();
  const fatal: string[] = [];
  let offset = 0;
  const start = startResolver(opts.now, () => offset);
  let section: 'none' | 'servers' | 'daemons' | 'features' | 'expiry' = 'none';
  let current: ObservedFeature | null = null;
  /** Per `Users of` block: the totals as printed (the truth), merged into the feature at its end. */
  let block: { issued: number | null; inUse: number; error: string | null } | null = null;

  const featureKey = (name: string, vendor: string | null) => `${name}\u0000${vendor ?? ''}`;
  const flush = () => {
    if (!current || !block) return;
    // A feature listed by two license server blocks (two license files): the pools add up.
    const key = featureKey(current.feature, current.vendor);
    const seen = features.get(key);
    if (seen && seen !== current) {
      seen.issued = seen.issued === null || block.issued === null ? null : seen.issued + block.issued;
      seen.inUse += block.inUse;
      seen.holders.push(...current.holders);
      seen.reservations.push(...current.reservations);
      seen.reserved += current.reserved;
      seen.queued += current.queued;
      seen.expires ??= current.expires;
    } else {
      current.issued = block.issued;
      current.inUse = block.inUse;
      current.error = block.error;
      features.set(key, current);
    }
    current = null;
    block = null;
  };

  for (const line of splitLines(text.length > 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) {
    if (line.length > MAX_LINE_CHARS) {
      unparsed.add(line);
      continue;
    }
    let m = USERS_OF.exec(line);
    if (m) {
      flush();
      section = 'features';
      const inside = m[2]!;
      const totals = TOTALS.exec(inside);
      const only = daemons.length === 1 ? daemons[0]!.name : null;
      current = emptyFeature(m[1]!.trim(), only);
      if (totals) block = { issued: Number(totals[1]), inUse: Number(totals[2]), error: null };
      else if (/uncounted/i.test(inside)) block = { issued: null, inUse: 0, error: null };
      else block = { issued: 0, inUse: 0, error: inside.replace(/^Error:\s*/i, '').slice(0, 200) };
      continue;
    }
    if (section === 'features' && current) {
      m = DETAIL.exec(line);
      if (m) {
        if (m[1] === current.feature) {
          current.vendor = m[3]!;
          if (m[4]) current.expires = parseExpiry(m[4]) ?? current.expires;
        }
        continue;
      }
      m = HOLDER.exec(line) ?? HOLDER_NO_VERSION.exec(line);
      if (m) {
        current.holders.push(holderOf(m, start));
        continue;
      }
      m = QUEUED.exec(line);
      if (m) {
        current.queued += Number(m[1]);
        continue;
      }
      m = RESERVATION.exec(line);
      if (m) {
        const count = Number(m[1]);
        current.reservations.push({ count, type: m[2]!.toUpperCase(), name: m[3]! });
        current.reserved += count;
        continue;
      }
    }
    m = SERVER_STATUS.exec(line);
    if (m) {
      flush();
      section = 'servers';
      continue;
    }
    m = DAEMON_SECTION.exec(line);
    if (m) {
      flush();
      section = 'daemons';
      continue;
    }
    if (EXPIRY_HEADER.test(line)) {
      flush();
      section = 'expiry';
      continue;
    }
    if (section === 'servers') {
      m = SERVER_LINE.exec(line);
      if (m) {
        servers.push({
          host: m[1]!,
          up: m[2] === 'UP',
          master: /\(MASTER\)/.test(line),
          version: m[3] ?? null,
          error: m[2] === 'DOWN' ? 'license server DOWN' : null,
        });
        continue;
      }
      m = SERVER_ERROR.exec(line);
      if (m && !/^\s*Error getting status/i.test(line)) {
        servers.push({ host: m[1]!, up: false, master: false, version: null, error: m[2]!.trim().slice(0, 300) });
        continue;
      }
    }
    if (section === 'daemons') {
      m = DAEMON_LINE.exec(line);
      if (m) {
        daemons.push({ name: m[1]!, up: m[2] === 'UP', version: m[3] ?? null, error: m[2] === 'DOWN' ? 'vendor daemon DOWN' : null });
        continue;
      }
      m = DAEMON_ERROR.exec(line);
      if (m) {
        daemons.push({ name: m[1]!, up: false, version: null, error: m[2]!.trim().slice(0, 300) });
        continue;
      }
    }
    m = section === 'expiry' ? EXPIRY_ROW.exec(line) : null;
    if (m) {
      const expires = parseExpiry(m[5]!);
      if (expires) expiries.set(featureKey(m[1]!, m[4]!), expires);
      continue;
    }
    if (FATAL.test(line)) {
      fatal.push(
        line
          .trim()
          .replace(/^Error getting status:\s*/i, '')
          .slice(0, 300),
      );
      continue;
    }
    if (/^\s*Flexible License Manager status on/.test(line)) offset = zoneOffset(parseHeaderTime(line), opts.now);
    if (KNOWN.some((re) => re.test(line))) continue;
    unparsed.add(line);
  }
  flush();

  for (const f of features.values()) {
    const e = expiries.get(featureKey(f.feature, f.vendor ?? '')) ?? (f.vendor === null ? findExpiry(expiries, f.feature) : undefined);
    if (e && (f.expires === null || f.expires === 'permanent')) f.expires = e;
  }
  const serverUp = servers.some((s) => s.up) || (servers.length === 0 && features.size > 0 && fatal.length === 0);
  const error = serverUp
    ? null
    : (fatal[0] ?? servers.find((s) => s.error)?.error ?? (features.size === 0 ? 'no license server status in the output' : null));
  return {
    kind: 'flexnet',
    serverUp,
    error,
    servers,
    daemons,
    features: [...features.values()],
    unparsedLines: unparsed.count,
    unparsedSamples: unparsed.samples,
  };
}

function findExpiry(expiries: Map<string, string>, feature: string): string | undefined {
  for (const [key, value] of expiries) if (key.startsWith(`${feature}\u0000`)) return value;
  return undefined;
}

/** `user host display…`: names may hold spaces. See splitNames. */
function holderOf(m: RegExpExecArray, start: ReturnType<typeof startResolver>): ObservedHolder {
  const { user, host, display } = splitNames(m[1]!);
  const rest = m[8] ?? '';
  const count = /(\d+) licenses?/.exec(rest);
  const linger = /linger:\s*(\d+)(\s*\/\s*\d+)?/.exec(rest);
  return {
    user,
    host,
    display,
    startedAt: start(Number(m[3]), Number(m[4]), Number(m[6]), Number(m[7]), m[5] ? Number(m[5]) : null),
    licenses: count ? Math.max(1, Number(count[1])) : 1,
    lingerSeconds: linger ? Number(linger[1]) : null,
    borrowed: /borrow/i.test(rest) || Boolean(linger?.[2]),
  };
}

/**
 * lmstat prints `user host display` separated by single spaces, and any of them may hold
 * spaces (Windows user names, `John Smith`). The display is most often the host again or
 * derived from it (`ws1`, `ws1:0.0`): when such a pair is found, what stands before it is
 * the user. Otherwise the first word is the user, the second the host, the rest the display.
 */
export function splitNames(text: string): { user: string; host: string; display: string } {
  const t = text.trim().split(' ');
  if (t.length >= 3) {
    for (let i = 1; i < t.length - 1; i++) {
      const h = t[i]!;
      const d = t[i + 1]!;
      if (h !== '' && (d === h || d.startsWith(`${h}:`) || d.toLowerCase() === h.toLowerCase())) {
        return { user: t.slice(0, i).join(' '), host: h, display: t.slice(i + 1).join(' ') };
      }
    }
    return { user: t[0]!, host: t[1]!, display: t.slice(2).join(' ') };
  }
  return { user: t[0] ?? '', host: t[1] ?? '', display: '' };
}
