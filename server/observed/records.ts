// What the observed domain hands its transports: sources with their health, pools as last
// seen, and history events. Plain data; REST and GraphQL shape it.
import type { LogEventKind } from './debug-log.ts';
import type { ObservedDaemon, ObservedHolder, ObservedKind, ObservedServer } from './types.ts';

export interface ObservedSourceRecord {
  name: string;
  kind: ObservedKind;
  command: string | null;
  intervalSeconds: number;
  createdAt: Date;
  /** Null until the first snapshot. */
  serverUp: boolean | null;
  error: string | null;
  servers: ObservedServer[];
  daemons: ObservedDaemon[];
  lastSnapshotAt: Date | null;
  unparsedLines: number;
}

export interface ObservedPoolRecord {
  source: string;
  feature: string;
  vendor: string | null;
  issued: number | null;
  inUse: number;
  reserved: number;
  expires: string | null;
  holders: ObservedHolder[];
  updatedAt: Date;
  stale: boolean;
  /** Set only on live updates: the pool is gone (its source was removed, or the feature left the license file). */
  removed?: boolean;
}

export type ObservedEventKind = LogEventKind;

export interface ObservedEventRecord {
  id: number;
  source: string;
  feature: string;
  vendor: string | null;
  kind: ObservedEventKind;
  /** snapshot: inferred by comparing two snapshots; log: read from the debug log. */
  origin: 'snapshot' | 'log';
  user: string;
  host: string;
  licenses: number;
  reason: string | null;
  at: Date;
}

/** What one snapshot did: the answer to a push, and what the live feed and metrics get. */
export interface SnapshotOutcome {
  source: string;
  takenAt: Date;
  serverUp: boolean;
  features: number;
  inUse: number;
  unparsedLines: number;
  unparsedSamples: string[];
  /** Pools whose numbers, holders or staleness changed, after the snapshot. */
  changed: ObservedPoolRecord[];
  /** Pools that are gone (the feature left the license file). */
  removed: ObservedPoolRecord[];
  events: number;
}

export interface LogOutcome {
  source: string;
  events: number;
  out: number;
  in: number;
  denied: number;
  unsupported: number;
  unparsedLines: number;
}

export const OBSERVED_LIMITS = {
  /** Source names travel in URL paths and metric labels. */
  namePattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  maxCommandLength: 1000,
  interval: { min: 5, max: 86_400 },
  /** Snapshot and log bodies: 4 MiB of text (a 5,000-line lmstat output is about 400 KB). */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Sources one Floatline watches. */
  maxSources: 500,
  /** Pools one snapshot may hold; features beyond are dropped and counted as unparsed. */
  maxFeaturesPerSnapshot: 5000,
  /** Holders kept per pool (the counts stay exact). */
  maxHoldersPerPool: 1000,
  /** Events one log push may record. */
  maxEventsPerLog: 50_000,
} as const;
