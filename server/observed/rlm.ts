// `rlmutil rlmstat -a` as Reprise RLM prints it: the rlm server's status block, the ISV
// servers table (one row per vendor server: name, port, running, restarts), then for each
// ISV a "license pool status" section (a feature/version line followed by `count: N,
// # reservations: N, inuse: N, exp: DATE` or `UNCOUNTED, inuse: N`) and a "license usage
// status" section (`feature vVER: user@host count/res at MM/DD HH:MM  (handle: N)`).
// The pool lines are the truth for issued and in use; holders come from the usage lines.
// Nothing here throws.
import {
  emptyFeature,
  splitLines,
  Unparsed,
  type ObservedDaemon,
  type ObservedFeature,
  type ObservedServer,
  type ParsedStatus,
} from './types.ts';
import { parseExpiry, startResolver } from './time.ts';
import { MAX_LINE_CHARS, type ParseOptions } from './flexnet.ts';

const RLM_STATUS = /^\s*rlm status on (\S+) \(port (\d+)\)/;
const RLM_VERSION = /^\s*rlm software version v(\S+)/;
const ISV_TABLE = /^\s*ISV servers:/;
const ISV_HEADER = /^\s*Name\s+Port\s+Running\s+Restarts/i;
const ISV_ROW = /^\s*(\S+)\s+(\d+)\s+(Yes|No)\s+(\d+)\s*$/i;
const ISV_STATUS = /^\s*(\S+) (?:ISV server )?status on (\S+) \(port (\d+)\)/;
const POOL_SECTION = /^\s*(\S+) license pool status on/;
const USAGE_SECTION = /^\s*(\S+) license usage status on/;
const POOL_FEATURE = /^\s*(\S+) v(\S+)\s*$/;
const USAGE = /^\s*(\S+) v\S*: (.+?)@(\S+) (\d+)\/(\d+) at (\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2})(.*)$/;
const FATAL = /Error connecting to|Communications error|Connection refused|cannot connect|No route to host|timed out/i;
/** The detail rlmutil prints under a connection error. */
const FATAL_DETAIL = /^\s*Connection attempted to host:/i;

export function parseRlmstat(text: string, opts: ParseOptions): ParsedStatus {
  const unparsed = new Unparsed();
  const servers: ObservedServer[] = [];
  const daemons: ObservedDaemon[] = [];
  const features = new Map<string, ObservedFeature>();
  const fatal: string[] = [];
  const start = startResolver(opts.now, () => 0);
  let section: 'none' | 'status' | 'isv' | 'pool' | 'usage' = 'none';
  let vendor: string | null = null;
  let current: ObservedFeature | null = null;
  const key = (f: string, v: string | null) => `${f}\u0000${v ?? ''}`;
  const featureOf = (name: string, v: string | null) => {
    let f = features.get(key(name, v));
    if (!f) {
      f = emptyFeature(name, v);
      features.set(key(name, v), f);
    }
    return f;
  };

  for (const raw of splitLines(text)) {
    const line = raw.length > MAX_LINE_CHARS ? '' : raw;
    if (line === '' && raw !== '') {
      unparsed.add(raw);
      continue;
    }
    if (/^\s*$/.test(line)) continue;
    // The usage section is most of a busy server's output: try its line first.
    if (section === 'usage') {
      const m = USAGE.exec(line);
      if (m) {
        const f = featureOf(m[1]!, vendor);
        const rest = m[10] ?? '';
        f.holders.push({
          user: m[2]!,
          host: m[3]!,
          display: '',
          startedAt: start(Number(m[6]), Number(m[7]), Number(m[8]), Number(m[9]), null),
          licenses: Math.max(1, Number(m[4])),
          lingerSeconds: null,
          borrowed: /roam/i.test(rest),
        });
        continue;
      }
    }
    let m = RLM_STATUS.exec(line);
    if (m) {
      section = 'status';
      servers.push({ host: m[1]!, up: true, master: false, version: null, error: null });
      continue;
    }
    m = RLM_VERSION.exec(line);
    if (m && servers.length > 0) {
      servers[servers.length - 1]!.version = m[1]!;
      continue;
    }
    if (ISV_TABLE.test(line)) {
      section = 'isv';
      continue;
    }
    if (section === 'isv') {
      if (ISV_HEADER.test(line)) continue;
      m = ISV_ROW.exec(line);
      if (m) {
        const up = m[3]!.toLowerCase() === 'yes';
        daemons.push({ name: m[1]!, up, version: null, error: up ? null : 'ISV server not running' });
        continue;
      }
    }
    m = POOL_SECTION.exec(line);
    if (m) {
      section = 'pool';
      vendor = m[1]!;
      current = null;
      continue;
    }
    m = USAGE_SECTION.exec(line);
    if (m) {
      section = 'usage';
      vendor = m[1]!;
      continue;
    }
    m = ISV_STATUS.exec(line);
    if (m && m[1] !== 'rlm') {
      section = 'status';
      continue;
    }
    if (section === 'pool') {
      m = POOL_FEATURE.exec(line);
      if (m) {
        current = featureOf(m[1]!, vendor);
        continue;
      }
      if (current && /^\s*(?:count|UNCOUNTED|obsolete|soft_limit|min_remove|# reservations|inuse)\b/i.test(line)) {
        applyPoolLine(current, line);
        continue;
      }
    }
    if (FATAL_DETAIL.test(line)) continue;
    if (FATAL.test(line)) {
      fatal.push(line.trim().slice(0, 300));
      continue;
    }
    // Statistics and settings inside a status block; the banner; the license path.
    if (section === 'status' || /rlmutil v\S+ Copyright|Setting license file path|^\s*Reprise/i.test(line)) continue;
    unparsed.add(line);
  }

  // An rlm server that printed its status is up unless the output also says it is not.
  if (fatal.length > 0 && servers.length === 0) servers.push({ host: '', up: false, master: false, version: null, error: fatal[0]! });
  const serverUp = servers.some((s) => s.up);
  return {
    kind: 'rlm',
    serverUp,
    error: serverUp ? null : (fatal[0] ?? 'no rlm server status in the output'),
    servers,
    daemons,
    features: [...features.values()],
    unparsedLines: unparsed.count,
    unparsedSamples: unparsed.samples,
  };
}

/** `count: 10, # reservations: 1, inuse: 2, exp: 31-dec-2026` or `UNCOUNTED, inuse: 0`; one license line adds to the feature. */
function applyPoolLine(f: ObservedFeature, line: string): void {
  if (/^\s*UNCOUNTED/i.test(line)) f.issued = null;
  for (const m of line.matchAll(/(#\s*reservations|count|inuse|exp)\s*:\s*([^,\s]+)/gi)) {
    const name = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    const value = m[2]!;
    if (name === 'count' && f.issued !== null) f.issued += Number(value) || 0;
    else if (name === 'inuse') f.inUse += Number(value) || 0;
    else if (name.startsWith('#')) f.reserved += Number(value) || 0;
    else if (name === 'exp') {
      const e = parseExpiry(value);
      if (e && (f.expires === null || (e !== 'permanent' && (f.expires === 'permanent' || e > f.expires)))) f.expires = e;
    }
  }
}
