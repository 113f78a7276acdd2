// Traffic simulator: engineers borrowing, holding and returning licenses against a running
// Floatline, so that dashboards and alerts have something to show. Bounded in time and in
// requests, loopback only unless told otherwise, with a progress line and a summary.
//
//   npm run simulate -- --duration 120 --users 12 --rate 5
//   npm run simulate -- --help
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';

/** The part of a GraphQL borrowLicense answer the simulator reads. */
interface GraphqlBorrowAnswer {
  data?: { borrowLicense?: { __typename: string; id?: string; reason?: string } };
}

export interface SimulateOptions {
  url: string;
  /** Seconds to run. */
  durationS: number;
  /** Simulated engineers, each borrowing, holding and returning in a loop. */
  users: number;
  /** Upper bound on requests per second, all users together. */
  rate: number;
  /** Stop after this many requests even if time is left. */
  maxRequests: number;
  /** How long a license is held, in seconds (uniform between the two). */
  holdMinS: number;
  holdMaxS: number;
  /** Mean pause between one engineer's actions, in seconds. */
  thinkS: number;
  /** Dashboards left open: GraphQL subscriptions over SSE that follow every pool change. */
  viewers: number;
  /** Show a progress line (a single updating line on a terminal). */
  progress: boolean;
  /** Allow a target that is not on this machine. */
  allowRemote: boolean;
  signal?: AbortSignal;
  print?: (line: string) => void;
}

export interface SimulateSummary {
  requests: number;
  borrowed: number;
  returned: number;
  overage: number;
  denied: Record<string, number>;
  errors: number;
  peakHeld: Record<string, number>;
  frontendErrors: number;
  graphqlCalls: number;
  /** Pool changes the open dashboards received over their subscriptions. */
  liveUpdates: number;
  seconds: number;
}

export const DEFAULTS: Omit<SimulateOptions, 'signal' | 'print'> = {
  url: 'http://localhost:8000',
  durationS: 120,
  users: 12,
  rate: 5,
  maxRequests: 20_000,
  holdMinS: 4,
  holdMaxS: 20,
  thinkS: 2,
  viewers: 2,
  progress: true,
  allowRemote: false,
};

const LIMITS = { durationS: 3600, users: 200, rate: 200, maxRequests: 1_000_000, viewers: 20 };
// cad_tool is the busy one; the small pools run out and into overage quickly.
const TOOL_WEIGHTS: [string, number][] = [
  ['cad_tool', 5],
  ['simulation', 3],
  ['analysis', 2],
];
const FIRST_NAMES = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances', 'alan', 'hedy'];

export function isLoopback(url: URL): boolean {
  const h = url.hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

interface Held {
  id: string;
  tool: string;
  user: string;
  until: number;
}

/** Runs the simulation and resolves with its summary; every held license is returned at the end. */
export async function simulate(opts: SimulateOptions): Promise<SimulateSummary> {
  const base = new URL(opts.url);
  if (!isLoopback(base) && !opts.allowRemote) {
    throw new Error(`refusing to send traffic to ${base.host}: not this machine (pass --allow-remote to do it anyway)`);
  }
  const root = base.toString().replace(/\/$/, '');
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const started = Date.now();
  const deadline = started + opts.durationS * 1000;
  const s: SimulateSummary = {
    requests: 0,
    borrowed: 0,
    returned: 0,
    overage: 0,
    denied: {},
    errors: 0,
    peakHeld: {},
    frontendErrors: 0,
    graphqlCalls: 0,
    liveUpdates: 0,
    seconds: 0,
  };
  const held = new Map<string, Held>();
  if (opts.signal) setMaxListeners(0, opts.signal); // one sleeping engineer = one listener
  const heldPerTool = new Map<string, number>();
  const minGapMs = 1000 / opts.rate;
  let nextSlot = Date.now();

  const stopped = () => opts.signal?.aborted || Date.now() >= deadline || s.requests >= opts.maxRequests;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (opts.signal?.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(t);
        opts.signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, Math.min(ms, deadline - Date.now())));
      opts.signal?.addEventListener('abort', done, { once: true });
    });
  // A shared pacing slot keeps all users together under the request rate.
  async function slot(): Promise<boolean> {
    const now = Date.now();
    nextSlot = Math.max(nextSlot + minGapMs, now);
    await sleep(nextSlot - now);
    if (s.requests >= opts.maxRequests) return false;
    s.requests++;
    return true;
  }
  async function call(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    try {
      const res = await fetch(
        `${root}${path}`,
        body === undefined
          ? {}
          : {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            },
      );
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      if (res.status >= 500) s.errors++;
      return { status: res.status, json };
    } catch {
      s.errors++;
      return { status: 0, json: null };
    }
  }
  function track(tool: string, delta: number) {
    const n = (heldPerTool.get(tool) ?? 0) + delta;
    heldPerTool.set(tool, n);
    s.peakHeld[tool] = Math.max(s.peakHeld[tool] ?? 0, n);
  }
  async function borrow(user: string, tool: string, viaGraphql: boolean): Promise<boolean> {
    let id: string | undefined;
    let reason: string | undefined;
    if (viaGraphql) {
      s.graphqlCalls++;
      const r = await call('/graphql', {
        query:
          'mutation($tool:String!,$user:String!){ borrowLicense(tool:$tool,user:$user){ __typename ... on Borrow { id } ... on NoLicenseAvailable { reason } } }',
        variables: { tool, user },
      });
      const out = (r.json as GraphqlBorrowAnswer | null)?.data?.borrowLicense;
      if (out?.__typename === 'Borrow') id = out.id;
      else if (out?.__typename === 'NoLicenseAvailable') reason = String(out.reason).toLowerCase();
      else if (out?.__typename === 'ToolNotFound') reason = 'unknown_tool';
    } else {
      const r = await call('/licenses/borrow', { tool, user });
      if (r.status === 200) id = (r.json as { id?: string } | null)?.id;
      // REST answers 409 for both reasons; tell them apart by what this simulator holds.
      else if (r.status === 409) reason = (heldPerTool.get(tool) ?? 0) >= (totals.get(tool) ?? 0) ? 'exhausted' : 'max_overage';
      else if (r.status === 404) reason = 'unknown_tool';
    }
    if (id) {
      s.borrowed++;
      const commit = commits.get(tool);
      if (commit !== undefined && (heldPerTool.get(tool) ?? 0) >= commit) s.overage++;
      track(tool, 1);
      const holdMs = (opts.holdMinS + Math.random() * (opts.holdMaxS - opts.holdMinS)) * 1000;
      held.set(id, { id, tool, user, until: Date.now() + holdMs });
      return true;
    }
    if (reason) s.denied[reason] = (s.denied[reason] ?? 0) + 1;
    return false;
  }
  async function giveBack(h: Held): Promise<void> {
    held.delete(h.id);
    const r = await call('/licenses/return', { id: h.id });
    if (r.status === 200 || r.status === 404) {
      s.returned += r.status === 200 ? 1 : 0;
      track(h.tool, -1);
    }
  }
  function pickTool(): string {
    const total = TOOL_WEIGHTS.reduce((a, [, w]) => a + w, 0);
    let x = Math.random() * total;
    for (const [tool, w] of TOOL_WEIGHTS) {
      x -= w;
      if (x <= 0) return tool;
    }
    return 'cad_tool';
  }

  // One engineer: think, then borrow (or look at the dashboard), hold, return.
  async function engineer(i: number): Promise<void> {
    const user = `${FIRST_NAMES[i % FIRST_NAMES.length]}.${Math.floor(i / FIRST_NAMES.length) + 1}`;
    const mine = () => [...held.values()].filter((h) => h.user === user);
    await sleep(Math.random() * opts.thinkS * 1000);
    while (!stopped()) {
      const due = mine().find((h) => h.until <= Date.now());
      if (due) {
        if (!(await slot())) break;
        await giveBack(due);
      } else if (mine().length < 2) {
        if (!(await slot())) break;
        const roll = Math.random();
        if (roll < 0.02) {
          await call('/licenses/borrow', { tool: 'cad_tol', user }); // a typo: unknown tool
          s.denied.unknown_tool = (s.denied.unknown_tool ?? 0) + 1;
        } else if (roll < 0.03) {
          s.frontendErrors++;
          await call('/frontend-error', {
            message: 'TypeError: pool is undefined (simulated)',
            source: 'simulate.ts',
            url: `${root}/`,
            userAgent: 'floatline-simulator',
          });
        } else if (roll < 0.1) {
          s.graphqlCalls++;
          await call('/graphql', { query: '{ pools { tool borrowed total overage currentOverageCost } costSummary { total } }' });
        } else {
          // Denied: an engineer waits a while (coffee, another task) before trying again.
          if (!(await borrow(user, pickTool(), Math.random() < 0.3))) await sleep((1 + Math.random() * 3) * opts.thinkS * 1000);
        }
      }
      await sleep(-Math.log(1 - Math.random()) * opts.thinkS * 1000);
    }
  }
  // Commit sizes, to count (approximately: other clients may hold seats too) overage borrows.
  const commits = new Map<string, number>();
  const totals = new Map<string, number>();

  const status = await call('/licenses/status');
  if (status.status !== 200 || !Array.isArray(status.json)) {
    throw new Error(`${root}/licenses/status answered ${status.status || 'nothing'}: is Floatline running there?`);
  }
  for (const p of status.json as { tool: string; commit: number; total: number }[]) {
    commits.set(p.tool, p.commit);
    totals.set(p.tool, p.total);
    heldPerTool.set(p.tool, 0);
  }

  // Open dashboards: each holds a subscription (SSE) until the end and counts what it receives.
  const viewersStop = new AbortController();
  opts.signal?.addEventListener('abort', () => viewersStop.abort(), { once: true });
  async function viewer(): Promise<void> {
    try {
      const res = await fetch(`${root}/graphql`, {
        method: 'POST',
        signal: viewersStop.signal,
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'subscription { poolChanged { tool borrowed total } }' }),
      });
      if (!res.ok || !res.body) return;
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        s.liveUpdates += (decoder.decode(chunk as Uint8Array, { stream: true }).match(/^event: next$/gm) ?? []).length;
      }
    } catch {
      /* aborted at the end, or the server went away */
    }
  }
  const viewers = Array.from({ length: opts.viewers }, () => viewer());

  const isTty = Boolean(process.stdout.isTTY);
  const line = () => {
    const secs = Math.round((Date.now() - started) / 1000);
    const denied = Object.values(s.denied).reduce((a, b) => a + b, 0);
    const now = [...heldPerTool.entries()].map(([t, n]) => `${t}=${n}`).join(' ');
    return `[${String(secs).padStart(4)}s/${opts.durationS}s] requests ${s.requests}  borrowed ${s.borrowed}  returned ${s.returned}  denied ${denied}  held now: ${now}`;
  };
  let ticks = 0;
  const timer = opts.progress
    ? setInterval(() => {
        ticks++;
        if (isTty) process.stdout.write(`\r${line()}\x1b[K`);
        else if (ticks % 5 === 0) print(line());
      }, 1000)
    : undefined;

  try {
    await Promise.all(Array.from({ length: opts.users }, (_, i) => engineer(i)));
  } finally {
    if (timer) clearInterval(timer);
    if (opts.progress && isTty) process.stdout.write(`\r${line()}\x1b[K\n`);
    // Give every seat back, so the pools end as they started; then close the dashboards.
    await Promise.all([...held.values()].map((h) => giveBack(h)));
    viewersStop.abort();
    await Promise.all(viewers);
    s.seconds = Math.round((Date.now() - started) / 100) / 10;
  }
  return s;
}

export function formatSummary(s: SimulateSummary): string {
  const denied =
    Object.entries(s.denied)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ') || 'none';
  const peaks =
    Object.entries(s.peakHeld)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ') || 'none';
  return [
    `Simulation finished after ${s.seconds}s`,
    `  requests          ${s.requests}`,
    `  borrows           ${s.borrowed} (about ${s.overage} in overage)`,
    `  returns           ${s.returned}`,
    `  denials           ${denied}`,
    `  peak seats held   ${peaks}`,
    `  GraphQL calls     ${s.graphqlCalls}`,
    `  live updates      ${s.liveUpdates} (pool changes pushed to the open dashboards)`,
    `  frontend errors   ${s.frontendErrors} (simulated)`,
    `  server errors     ${s.errors} (5xx or no answer)`,
  ].join('\n');
}

const HELP = `Usage: npm run simulate -- [options]
  --url URL           Floatline to talk to (default ${DEFAULTS.url})
  --duration SECONDS  how long to run (default ${DEFAULTS.durationS}, at most ${LIMITS.durationS})
  --users N           simulated engineers (default ${DEFAULTS.users}, at most ${LIMITS.users})
  --rate N            at most N requests per second in total (default ${DEFAULTS.rate}, at most ${LIMITS.rate})
  --max-requests N    stop after N requests (default ${DEFAULTS.maxRequests})
  --hold MIN-MAX      seconds a license is held (default ${DEFAULTS.holdMinS}-${DEFAULTS.holdMaxS})
  --think SECONDS     mean pause between an engineer's actions (default ${DEFAULTS.thinkS})
  --viewers N         open dashboards following pool changes over SSE (default ${DEFAULTS.viewers})
  --quiet             no progress line
  --allow-remote      allow a URL that is not this machine`;

function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function parseOptions(argv: string[]): SimulateOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      duration: { type: 'string' },
      users: { type: 'string' },
      rate: { type: 'string' },
      'max-requests': { type: 'string' },
      hold: { type: 'string' },
      think: { type: 'string' },
      viewers: { type: 'string' },
      quiet: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [holdMin, holdMax] = (values.hold ?? `${DEFAULTS.holdMinS}-${DEFAULTS.holdMaxS}`).split('-');
  const o: SimulateOptions = {
    url: values.url ?? process.env.FLOATLINE_URL ?? DEFAULTS.url,
    durationS: num('duration', values.duration, DEFAULTS.durationS, 1, LIMITS.durationS),
    users: Math.round(num('users', values.users, DEFAULTS.users, 1, LIMITS.users)),
    rate: num('rate', values.rate, DEFAULTS.rate, 0.1, LIMITS.rate),
    maxRequests: Math.round(num('max-requests', values['max-requests'], DEFAULTS.maxRequests, 1, LIMITS.maxRequests)),
    holdMinS: num('hold', holdMin, DEFAULTS.holdMinS, 0, 3600),
    holdMaxS: num('hold', holdMax ?? holdMin, DEFAULTS.holdMaxS, 0, 3600),
    thinkS: num('think', values.think, DEFAULTS.thinkS, 0, 600),
    viewers: Math.round(num('viewers', values.viewers, DEFAULTS.viewers, 0, LIMITS.viewers)),
    progress: !values.quiet,
    allowRemote: Boolean(values['allow-remote']),
  };
  if (o.holdMaxS < o.holdMinS) throw new Error('--hold MIN-MAX needs MIN ≤ MAX');
  try {
    new URL(o.url);
  } catch {
    throw new Error(`--url is not a URL: "${o.url}"`);
  }
  return o;
}

async function main(): Promise<void> {
  let opts: SimulateOptions | 'help';
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`simulate: ${(e as Error).message}\n\n${HELP}\n`);
    process.exit(2);
  }
  if (opts === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (!isLoopback(new URL(opts.url)) && !opts.allowRemote) {
    process.stderr.write(
      `simulate: refusing to send traffic to ${new URL(opts.url).host}: not this machine (pass --allow-remote to do it anyway)\n`,
    );
    process.exit(2);
  }
  const ac = new AbortController();
  process.once('SIGINT', () => {
    process.stdout.write('\nstopping: returning every held license…\n');
    ac.abort();
  });
  process.once('SIGTERM', () => ac.abort());
  process.stdout.write(
    `Simulating ${opts.users} engineers against ${opts.url} for ${opts.durationS}s (≤ ${opts.rate} req/s, ≤ ${opts.maxRequests} requests)\n`,
  );
  try {
    const summary = await simulate({ ...opts, signal: ac.signal });
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (summary.requests > 0 && summary.errors === summary.requests) process.exit(1);
  } catch (e) {
    process.stderr.write(`simulate: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await main();
}
