// The load generator: autocannon in its own process, so it never shares the server's
// event loop. One scenario per run, bounded in time (duration) and in requests
// (maxRequests). Every response's status (and, for GraphQL, its result type) is
// checked; latencies are kept exactly (autocannon's own histogram rounds to whole ms).
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { cpuMsOf, percentile, sortedCopy } from './lib.ts';

export type Scenario = 'get' | 'graphql-status' | 'rest-cycle' | 'graphql-cycle' | 'heartbeat';

export interface LoadArgs {
  url: string;
  scenario: Scenario;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  maxRequests: number;
  path?: string;
  tool?: string;
  /** The leased borrow the `heartbeat` scenario renews (every connection renews it). */
  borrowId?: string;
  /** When given, the server's CPU time per request is measured too (robust to a busy machine). */
  serverPid?: number;
  /** AUTH_MODE=required rows: sent on every request (`Bearer <API token>`). */
  authorization?: string;
  /** rest-cycle over several pools: each borrow takes the next pool of the list. */
  tools?: string[];
  /** Where to write every latency (Float64 ms): loads run side by side merge them for exact percentiles. */
  latenciesFile?: string;
}

export interface LoadResult {
  requests: number;
  cycles: number;
  seconds: number;
  requestsPerSecond: number;
  cyclesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorSamples: string[];
  /** Server CPU (user + system) per completed request, µs; NaN without serverPid. */
  serverCpuUsPerRequest: number;
}

const jsonOnly = { 'content-type': 'application/json' };

type Ctx = { id?: string };
type Req = autocannon.Request & { onResponse?: (status: number, body: string, context: Ctx) => void };

function plan(args: LoadArgs, check: (ok: boolean, what: string) => void, cycleDone: () => void): Req[] {
  const tool = args.tool ?? 'cad_tool';
  const json = args.authorization ? { ...jsonOnly, authorization: args.authorization } : jsonOnly;
  switch (args.scenario) {
    case 'get':
      return [{ method: 'GET', path: args.path ?? '/', ...(args.authorization ? { headers: { authorization: args.authorization } } : {}) }];
    case 'graphql-status':
      return [
        {
          method: 'POST',
          path: '/graphql',
          headers: json,
          body: JSON.stringify({
            query: `{ pool(tool: "${tool}") { tool total borrowed available commit maxOverage overage inCommit commitPrice overagePricePerLicense currentOverageCost totalCost } }`,
          }),
          onResponse: (status, body) => check(status === 200 && body.includes('"pool":{"tool"'), `status ${status} ${body.slice(0, 200)}`),
        },
      ];
    case 'rest-cycle': {
      const tools = args.tools ?? [tool];
      let next = 0;
      return [
        {
          method: 'POST',
          path: '/licenses/borrow',
          headers: json,
          body: JSON.stringify({ tool, user: 'bench' }),
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ tool: tools[next++ % tools.length], user: 'bench' }) }),
          onResponse: (status, body, ctx) => {
            ctx.id = status === 200 ? (JSON.parse(body) as { id: string }).id : undefined;
            check(status === 200 && !!ctx.id, `borrow ${status} ${body.slice(0, 200)}`);
          },
        },
        {
          method: 'POST',
          path: '/licenses/return',
          headers: json,
          setupRequest: (req, ctx: Ctx) => ({ ...req, body: JSON.stringify({ id: ctx.id ?? 'missing-borrow' }) }),
          onResponse: (status, body, ctx) => {
            ctx.id = undefined;
            check(status === 200, `return ${status} ${body.slice(0, 200)}`);
            if (status === 200) cycleDone();
          },
        },
      ];
    }
    case 'heartbeat':
      return [
        {
          method: 'POST',
          path: '/licenses/heartbeat',
          headers: json,
          body: JSON.stringify({ id: args.borrowId }),
          onResponse: (status, body) =>
            check(status === 200 && body.includes('"expires_at":"'), `heartbeat ${status} ${body.slice(0, 200)}`),
        },
      ];
    case 'graphql-cycle':
      return [
        {
          method: 'POST',
          path: '/graphql',
          headers: json,
          body: JSON.stringify({
            query:
              'mutation B($tool: String!, $user: String!) { borrowLicense(tool: $tool, user: $user) { __typename ... on Borrow { id } } }',
            variables: { tool, user: 'bench' },
          }),
          onResponse: (status, body, ctx) => {
            const r =
              status === 200
                ? (JSON.parse(body) as { data?: { borrowLicense?: { __typename: string; id?: string } } }).data?.borrowLicense
                : undefined;
            ctx.id = r?.__typename === 'Borrow' ? r.id : undefined;
            check(!!ctx.id, `borrow ${status} ${body.slice(0, 200)}`);
          },
        },
        {
          method: 'POST',
          path: '/graphql',
          headers: json,
          setupRequest: (req, ctx: Ctx) => ({
            ...req,
            body: JSON.stringify({
              query: 'mutation R($id: ID!) { returnLicense(id: $id) { __typename ... on ReturnedLicense { pool { borrowed } } } }',
              variables: { id: ctx.id ?? 'missing-borrow' },
            }),
          }),
          onResponse: (status, body, ctx) => {
            ctx.id = undefined;
            const ok = status === 200 && body.includes('"__typename":"ReturnedLicense"');
            check(ok, `return ${status} ${body.slice(0, 200)}`);
            if (ok) cycleDone();
          },
        },
      ];
  }
}

function once(args: LoadArgs, seconds: number, record: boolean): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies = new Float64Array(args.maxRequests);
    let n = 0;
    let cycles = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const fail = (what: string) => {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(what);
    };
    const check = (ok: boolean, what: string) => {
      if (!ok) fail(what);
    };
    const instance = autocannon(
      {
        url: args.url,
        connections: args.connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        requests: plan(args, check, () => {
          cycles++;
        }),
      } as autocannon.Options,
      (err) => {
        if (err) return reject(err);
        const elapsed = (performance.now() - started) / 1000;
        const cpuMs = args.serverPid ? cpuMsOf(args.serverPid) - cpu0 : NaN;
        const sorted = sortedCopy(latencies.subarray(0, n));
        if (record && args.latenciesFile)
          writeFileSync(args.latenciesFile, Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength));
        resolve({
          requests: n,
          cycles,
          seconds: elapsed,
          requestsPerSecond: n / elapsed,
          cyclesPerSecond: cycles / elapsed,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          errors,
          errorSamples,
          serverCpuUsPerRequest: (cpuMs * 1000) / n,
        });
      },
    );
    const started = performance.now();
    const cpu0 = args.serverPid ? cpuMsOf(args.serverPid) : NaN;
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (n < latencies.length) latencies[n] = ms;
      n++;
      // Plain GETs have no onResponse hook: their status is checked here.
      if (args.scenario === 'get' && (status < 200 || status > 299)) fail(`status ${status}`);
      if (n >= args.maxRequests) instance.stop();
    });
    instance.on('reqError', (e: Error) => fail(`request error: ${e.message}`));
    void record;
  });
}

const args = JSON.parse(process.argv[2]!) as LoadArgs;
if (args.warmupSeconds > 0) await once(args, args.warmupSeconds, false);
const result = await once(args, args.seconds, true);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
