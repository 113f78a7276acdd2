// The Host allow-list: the defence against DNS rebinding. A page on evil.example whose
// name is re-pointed at this server's address reaches it as same-origin in the browser, so
// the cross-site guard (cross-site.ts) cannot tell it apart; only the Host header it sends
// ("evil.example:8000") gives it away. Every request and WebSocket upgrade is checked here
// before anything else runs, in every AUTH_MODE.
//
// Allowed without configuration: `localhost` and `*.localhost` (browsers resolve those to
// loopback themselves), the host of PUBLIC_URL, and any IP-literal Host (127.0.0.1, [::1],
// a pod address): a rebinding attack always needs a domain name, and Kubernetes probes and
// scrapers send the pod IP. Everything else must be listed in ALLOWED_HOSTS.
import { isIP } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** One ALLOWED_HOSTS entry: a name (or `*.` suffix) with an optional port. */
export interface HostPattern {
  /** Lower-case name without a trailing dot; for a wildcard, the suffix after `*.`. */
  name: string;
  wildcard: boolean;
  /** null: any port. */
  port: string | null;
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Parses one entry (`example.com`, `example.com:8443`, `*.example.com`); null if malformed. */
export function parseHostPattern(raw: string): HostPattern | null {
  const m = /^(\*\.)?([^:]+)(?::(\d{1,5}))?$/.exec(raw.trim().toLowerCase());
  if (!m) return null;
  const name = m[2]!.replace(/\.$/, '');
  if (name === '' || !name.split('.').every((l) => LABEL.test(l))) return null;
  if (m[3] !== undefined && Number(m[3]) > 65535) return null;
  return { name, wildcard: m[1] !== undefined, port: m[3] ?? null };
}

/** Splits a Host header into a lower-case name (no brackets, no trailing dot) and port. */
function splitHost(host: string): { name: string; port: string | null } | null {
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h);
  if (bracketed) return { name: bracketed[1]!, port: bracketed[2] ?? null };
  const m = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return null;
  return { name: m[1]!.replace(/\.$/, ''), port: m[2] ?? null };
}

function matches(p: HostPattern, name: string, port: string | null): boolean {
  if (p.port !== null && p.port !== port) return false;
  return p.wildcard ? name.endsWith(`.${p.name}`) : name === p.name;
}

export interface AllowedHostsOptions {
  /** ALLOWED_HOSTS, parsed. */
  allowedHosts: readonly HostPattern[];
  /** PUBLIC_URL: its host is allowed (with any port: a proxy may forward to another). */
  publicUrl?: string;
}

/** Whether a Host header may be served. A missing Host (HTTP/1.0) is allowed: browsers
 *  always send one, so no rebinding page can omit it. */
export function hostAllowed(opts: AllowedHostsOptions): (host: string | undefined) => boolean {
  const patterns: HostPattern[] = [
    { name: 'localhost', wildcard: false, port: null },
    { name: 'localhost', wildcard: true, port: null },
    ...opts.allowedHosts,
  ];
  if (opts.publicUrl) patterns.push({ name: new URL(opts.publicUrl).hostname.replace(/^\[|\]$/g, ''), wildcard: false, port: null });
  return (host) => {
    if (host === undefined) return true;
    const h = splitHost(host);
    if (!h) return false;
    if (isIP(h.name) !== 0) return true;
    return patterns.some((p) => matches(p, h.name, h.port));
  };
}

/** The 421 answer's JSON body: says which variable to set. */
export function misdirectedBody(host: string): string {
  return JSON.stringify({
    detail: `Host ${JSON.stringify(host.slice(0, 200))} is not served here: add it to ALLOWED_HOSTS (comma-separated host names, optional :port, *.example.com wildcards) or set PUBLIC_URL`,
  });
}

/** Answers 421 Misdirected Request to a request for a host not allowed; true if it did. */
export function refuseMisdirected(allowed: (host: string | undefined) => boolean, req: IncomingMessage, res: ServerResponse): boolean {
  const host = req.headers.host;
  if (allowed(host)) return false;
  const body = misdirectedBody(host ?? '');
  res.writeHead(421, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
  return true;
}

/** The same for a WebSocket upgrade (graphql-ws runs mutations too); true if it refused. */
export function refuseMisdirectedUpgrade(allowed: (host: string | undefined) => boolean, req: IncomingMessage, socket: Duplex): boolean {
  const host = req.headers.host;
  if (allowed(host)) return false;
  const body = misdirectedBody(host ?? '');
  socket.end(
    `HTTP/1.1 421 Misdirected Request\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return true;
}
