// JSON of observed sources, pools and events: snake_case like the rest of the REST API.
import type { ObservedEventRecord, ObservedPoolRecord, ObservedSourceRecord } from '../observed/index.ts';

export const sourceJson = (s: ObservedSourceRecord) => ({
  name: s.name,
  kind: s.kind,
  command: s.command,
  interval_seconds: s.intervalSeconds,
  created_at: s.createdAt.toISOString(),
  server_up: s.serverUp,
  error: s.error,
  servers: s.servers.map((x) => ({ host: x.host, up: x.up, master: x.master, version: x.version, error: x.error })),
  daemons: s.daemons.map((d) => ({ name: d.name, up: d.up, version: d.version, error: d.error })),
  last_snapshot_at: s.lastSnapshotAt?.toISOString() ?? null,
  unparsed_lines: s.unparsedLines,
});

export const poolJson = (p: ObservedPoolRecord) => ({
  source: p.source,
  feature: p.feature,
  vendor: p.vendor,
  issued: p.issued,
  in_use: p.inUse,
  reserved: p.reserved,
  expires: p.expires,
  holders: p.holders.map((h) => ({
    user: h.user,
    host: h.host,
    display: h.display,
    started_at: h.startedAt,
    licenses: h.licenses,
    linger_seconds: h.lingerSeconds,
    borrowed: h.borrowed,
  })),
  updated_at: p.updatedAt.toISOString(),
  stale: p.stale,
});

export const eventJson = (e: ObservedEventRecord) => ({
  id: e.id,
  source: e.source,
  feature: e.feature,
  vendor: e.vendor,
  kind: e.kind,
  origin: e.origin,
  user: e.user,
  host: e.host,
  licenses: e.licenses,
  reason: e.reason,
  at: e.at.toISOString(),
});
