// What a parser makes of one status output (lmstat -a, rlmstat -a): plain data, no I/O.
// Everything here is what the license server printed, normalised; nothing is guessed
// beyond what docs/observed.md describes (holder names with spaces, start-time years).

export type ObservedKind = 'flexnet' | 'rlm';

/** One license server host (a triad lists three). */
export interface ObservedServer {
  host: string;
  up: boolean;
  /** FlexNet marks one server of a triad MASTER. */
  master: boolean;
  version: string | null;
  /** What the output said instead of UP, when it could not be reached. */
  error: string | null;
}

/** A vendor daemon (FlexNet) or ISV server (RLM). */
export interface ObservedDaemon {
  name: string;
  up: boolean;
  version: string | null;
  error: string | null;
}

export interface ObservedHolder {
  user: string;
  host: string;
  display: string;
  /** ISO time; the output gives no year (and no zone): see resolveStart in time.ts. */
  startedAt: string | null;
  /** Seats this holder has of the feature (`…, 16 licenses`). */
  licenses: number;
  /** Seconds a lingering seat stays after the check-in; null when none. */
  lingerSeconds: number | null;
  /** A seat borrowed to a disconnected machine. */
  borrowed: boolean;
}

export interface ObservedReservation {
  count: number;
  /** GROUP, USER, HOST, HOST_GROUP, DISPLAY, INTERNET, PROJECT… as printed. */
  type: string;
  name: string;
}

export interface ObservedFeature {
  feature: string;
  vendor: string | null;
  /** Seats issued; null for an uncounted (node-locked, unlimited) feature. */
  issued: number | null;
  inUse: number;
  reserved: number;
  /** ISO date, 'permanent', or null when the output did not say. */
  expires: string | null;
  holders: ObservedHolder[];
  reservations: ObservedReservation[];
  /** Users waiting in the vendor daemon's queue. */
  queued: number;
  /** A feature line the server reported as an error (e.g. unsupported by the server). */
  error: string | null;
}

export interface ParsedStatus {
  kind: ObservedKind;
  /** At least one license server answered. */
  serverUp: boolean;
  /** Why no server answered (the output's own words), when none did. */
  error: string | null;
  servers: ObservedServer[];
  daemons: ObservedDaemon[];
  features: ObservedFeature[];
  /** Lines no rule recognised: counted, and the first few kept for the log. */
  unparsedLines: number;
  unparsedSamples: string[];
}

/** At most this many unrecognised lines are kept as samples (the count is exact). */
export const MAX_UNPARSED_SAMPLES = 5;
/** A sample line is cut to this many characters. */
export const MAX_SAMPLE_CHARS = 200;

/** Collects what a parser did not understand; never throws. */
export class Unparsed {
  count = 0;
  readonly samples: string[] = [];
  add(line: string): void {
    this.count++;
    if (this.samples.length < MAX_UNPARSED_SAMPLES) this.samples.push(line.trim().slice(0, MAX_SAMPLE_CHARS));
  }
}

/** Splits output into lines whatever the line ends (CRLF from Windows servers, bare CR). */
export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/** A feature's row, started empty; the parser fills it as lines arrive. */
export const emptyFeature = (feature: string, vendor: string | null): ObservedFeature => ({
  feature,
  vendor,
  issued: 0,
  inUse: 0,
  reserved: 0,
  expires: null,
  holders: [],
  reservations: [],
  queued: 0,
  error: null,
});
