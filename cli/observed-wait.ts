// `floatline run --observed <source>/<feature>`: start the command when a pool Floatline only
// observes (FlexNet, RLM) shows a free license. Best-effort by nature: the vendor daemon
// decides at check-out, Floatline only watches its last snapshot, so another user can take
// the seat between the snapshot and the tool's own check-out.
//
// It polls GET /observed/pools?source= rather than following the observedPoolChanged GraphQL
// subscription: the CLI is a small fetch-only bundle with no GraphQL, SSE or WebSocket client,
// and a pool changes at most once per snapshot (every 5 s at the fastest, usually 30-60 s) —
// one indexed read of one source's pools every POLL_MS sees a freed seat within a couple of
// seconds of its snapshot, at a cost the server does not notice.
import { InvalidArgumentError } from 'commander';
import { OBSERVED_LIMITS } from '../server/observed/records.ts';
import type { ObservedPoolJson, ObservedSourceJson } from './api.ts';
import { ApiError, type Client, isTransient } from './client.ts';
import { formatDuration } from './duration.ts';
import { CliError, messageFor } from './errors.ts';
import { EXIT, signalExitCode } from './exit-codes.ts';
import { commandExitCode, Signals, startFailure } from './child.ts';
import { Progress } from './progress.ts';
import { sleep } from './timing.ts';

/** How often the pool is read while waiting, ms. */
export const POLL_MS = 2_000;
const PAGE = 500;
const SOURCE_NAME = new RegExp(OBSERVED_LIMITS.namePattern);

export interface ObservedTarget {
  source: string;
  feature: string;
}

/** `<source>/<feature>` (the feature as lmstat names it); a usage error otherwise. */
export function parseObservedTarget(text: string): ObservedTarget {
  const slash = text.indexOf('/');
  const source = slash < 0 ? '' : text.slice(0, slash);
  const feature = slash < 0 ? '' : text.slice(slash + 1);
  if (!source || !feature) throw new InvalidArgumentError(`"${text}" is not <source>/<feature> (example: cad-lic/MATLAB)`);
  if (!SOURCE_NAME.test(source)) {
    throw new InvalidArgumentError(`"${source}" is not a source name (letters, digits, '.', '_', '-'; at most 64)`);
  }
  if (feature.length > 200) throw new InvalidArgumentError('the feature name is longer than 200 characters');
  return { source, feature };
}

/** What the last snapshot says of the feature, for the wait loop and its messages (`text`: one clause, no advice). */
export type PoolState =
  | { kind: 'free'; free: number; text: string }
  | { kind: 'full'; text: string }
  | { kind: 'stale'; text: string }
  | { kind: 'no-snapshot'; text: string }
  | { kind: 'unknown'; text: string };

/**
 * Free = issued − in use − reserved (reserved seats are kept for someone else); an uncounted
 * feature is always free. A stale pool (its server did not answer the last snapshot) is not
 * trusted either way. A feature listed under several vendors is free when any row is.
 */
export function poolState(target: ObservedTarget, pools: ObservedPoolJson[], source: ObservedSourceJson | null | undefined): PoolState {
  const name = `${target.source}/${target.feature}`;
  const rows = pools.filter((p) => p.feature === target.feature);
  if (rows.length === 0) {
    if (source === null) return { kind: 'unknown', text: `no observed source named ${target.source}` };
    if (!source?.last_snapshot_at) return { kind: 'no-snapshot', text: `${target.source} has sent no snapshot yet` };
    if (source.server_up === false && pools.length === 0) {
      return { kind: 'stale', text: `${target.source} is down (${source.error ?? 'no license server answered'})` };
    }
    return { kind: 'unknown', text: `${target.source} has no feature ${target.feature} (its last snapshot lists ${featureList(pools)})` };
  }
  if (rows.every((p) => p.stale)) {
    const why =
      source?.server_up === false
        ? `${target.source} is down (${source.error ?? 'no license server answered'})`
        : 'its server did not answer the last snapshot';
    return { kind: 'stale', text: `${name} is stale: ${why}` };
  }
  const live = rows.filter((p) => !p.stale);
  const free = Math.max(...live.map((p) => (p.issued === null ? Number.POSITIVE_INFINITY : p.issued - p.in_use - p.reserved)));
  if (free > 0) return { kind: 'free', free, text: Number.isFinite(free) ? `${free} free` : 'a free license (uncounted)' };
  const p = live[0]!;
  const reserved = p.reserved > 0 ? `, ${p.reserved} reserved` : '';
  return { kind: 'full', text: `${name} is full (${p.in_use} of ${p.issued} in use${reserved})` };
}

const featureList = (pools: ObservedPoolJson[]): string => {
  if (pools.length === 0) return 'no features';
  const names = [...new Set(pools.map((p) => p.feature))];
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
};

export interface ObservedWaitOptions {
  client: Client;
  target: ObservedTarget;
  /** Wait this long for a free license (ms; Infinity = forever); absent = do not wait. */
  waitMs?: number;
  /** Aborted by SIGINT/SIGTERM: stop watching. */
  signal: AbortSignal;
  pollMs?: number;
}

/**
 * Resolves when the pool shows a free license; throws CliError when the source or feature is
 * unknown (EXIT.refused), when it is full without --wait (EXIT.noSeat) or --wait ran out
 * (EXIT.waitExpired). Returns false when interrupted.
 */
export async function waitForObservedSeat(o: ObservedWaitOptions): Promise<boolean> {
  const name = `${o.target.source}/${o.target.feature}`;
  const progress = new Progress();
  const started = Date.now();
  const deadline = started + (o.waitMs ?? 0);
  let last: PoolState | undefined;
  try {
    for (;;) {
      if (o.signal.aborted) return false;
      let state: PoolState;
      try {
        state = await readState(o.client, o.target);
      } catch (err) {
        if (!isTransient(err) || o.waitMs === undefined) throw err;
        state = { kind: 'stale', text: `cannot read ${name} (${messageFor(err)})` };
      }
      if (state.kind === 'unknown') throw new CliError(EXIT.refused, state.text);
      if (state.kind === 'free') {
        if (last) {
          progress.done(
            `${name} shows ${state.text} after ${formatDuration(Date.now() - started)}; starting the command (best-effort: the license server decides at check-out)`,
          );
        }
        return true;
      }
      if (o.waitMs === undefined) {
        throw new CliError(EXIT.noSeat, `${state.text} (add --wait 10m to wait for a free license, or --wait to wait forever)`);
      }
      progress.show(`${state.text}; ${state.kind === 'full' ? 'watching for a free license' : 'waiting'}`);
      last = state;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new CliError(EXIT.waitExpired, `no free ${name} license within ${formatDuration(o.waitMs)} (${state.text})`);
      }
      await sleep(Math.min(o.pollMs ?? POLL_MS, left), o.signal);
    }
  } finally {
    progress.done();
  }
}

/** The feature's state from the source's pools, reading the source itself only when the pools do not settle it. */
async function readState(client: Client, target: ObservedTarget): Promise<PoolState> {
  const pools = await sourcePools(client, target.source);
  const rows = pools.filter((p) => p.feature === target.feature);
  const settled = rows.length > 0 && rows.some((p) => !p.stale);
  return poolState(target, pools, settled ? undefined : await findSource(client, target.source));
}

async function sourcePools(client: Client, source: string): Promise<ObservedPoolJson[]> {
  const pools: ObservedPoolJson[] = [];
  let after: string | undefined;
  do {
    const q = new URLSearchParams({ source, limit: String(PAGE), ...(after ? { after } : {}) });
    const reply = await client.get<'listObservedPools'>(`/observed/pools?${q}`);
    pools.push(...reply.body.pools);
    after = reply.headers.get('x-next-after') ?? undefined;
  } while (after && pools.length < OBSERVED_LIMITS.maxFeaturesPerSnapshot);
  return pools;
}

/** The source by name, or null when none has it (the list is paged by name, at most maxSources long). */
async function findSource(client: Client, name: string): Promise<ObservedSourceJson | null> {
  let after: string | undefined;
  do {
    const q = new URLSearchParams({ limit: String(PAGE), ...(after ? { after } : {}) });
    let reply: Awaited<ReturnType<typeof client.get<'listObservedSources'>>>;
    try {
      reply = await client.get<'listObservedSources'>(`/observed/sources?${q}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null; // a server without observed sources
      throw err;
    }
    const hit = reply.body.sources.find((s) => s.name === name);
    if (hit) return hit;
    after = reply.headers.get('x-next-after') ?? undefined;
  } while (after);
  return null;
}

/**
 * Waits for a free license of the observed pool, then runs the command (no seat is taken:
 * nothing to heartbeat or give back). Resolves with floatline's exit code.
 */
export async function runWhenObservedFree(o: Omit<ObservedWaitOptions, 'signal'> & { command: string[] }): Promise<number> {
  const signals = new Signals();
  const free = await waitForObservedSeat({ ...o, signal: signals.interrupted.signal });
  if (!free || signals.received) return signalExitCode(signals.received ?? 'SIGINT');
  const { exited } = signals.start(o.command, { FLOATLINE_OBSERVED: `${o.target.source}/${o.target.feature}` });
  const end = await exited;
  return startFailure(end, o.command[0]!) ?? commandExitCode(end, signals.received);
}
