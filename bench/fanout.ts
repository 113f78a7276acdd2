// Subscription fan-out: opens N GraphQL subscribers (SSE or WebSocket) in this process,
// then changes the pool with REST borrows/returns and times, per change, from the
// borrow's (or return's) response to the moment the last subscriber has the event.
// Also reports the server's RSS growth per open, idle subscriber.
import { connect, type Socket } from 'node:net';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { cpuMsOf, percentile, rssOf, sortedCopy } from './lib.ts';

export interface FanoutArgs {
  port: number;
  transport: 'sse' | 'ws';
  subscribers: number;
  rounds: number;
  serverPid: number;
  tool: string;
  /** Subscribers opened in each of the two warm-up rounds (0 skips the warm-up: the smoke test). */
  warmupSubscribers?: number;
}
export interface FanoutResult {
  transport: 'sse' | 'ws';
  subscribers: number;
  rounds: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerSubscriber: number;
  openSeconds: number;
  errors: number;
  errorSamples: string[];
  /** Server CPU (user + system) per event delivered to one subscriber, µs. */
  serverCpuUsPerDelivery: number;
}

const args = JSON.parse(process.argv[2]!) as FanoutArgs;
const host = '127.0.0.1';
const query = `subscription { poolChanged(tool: "${args.tool}") { tool borrowed available } }`;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let errors = 0;
const errorSamples: string[] = [];
const fail = (what: string) => {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(what);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function http(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host, port: args.port, method, path, agent, headers: data ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => {
            text += c;
          })
          .on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function openGauge(): Promise<number> {
  const { text } = await http('GET', '/metrics');
  const m = new RegExp(`graphql_subscriptions_open\\{transport="${args.transport}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : -1;
}

async function waitForGauge(want: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await openGauge()) === want) return true;
    await sleep(100);
  }
  return false;
}

// Every subscriber counts the events it has received; a round ends when all N have
// counted `target` events.
interface Sub {
  count: number;
  close(): void;
}
const subs: Sub[] = [];
let target = 0;
let remaining = 0;
let roundDone: (() => void) | null = null;
let lastArrival = 0;
function arrived(sub: Sub, k: number): void {
  const before = sub.count;
  sub.count += k;
  if (before < target && sub.count >= target) {
    remaining--;
    if (remaining === 0) {
      lastArrival = performance.now();
      roundDone?.();
    }
  }
}

const MARK = 'event: next';
function openSse(): Promise<Sub> {
  return new Promise((resolve) => {
    const socket: Socket = connect(args.port, host);
    const sub: Sub = { count: 0, close: () => socket.destroy() };
    let carry = '';
    let headersSeen = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`GET /graphql?query=${encodeURIComponent(query)} HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      if (!headersSeen) {
        headersSeen = true;
        if (!chunk.startsWith('HTTP/1.1 200')) fail(`sse: ${chunk.split('\r\n')[0]}`);
        resolve(sub);
      }
      // Count markers that end inside this chunk (a marker may straddle two chunks).
      const text = carry + chunk;
      let k = 0;
      for (let i = text.indexOf(MARK); i >= 0; i = text.indexOf(MARK, i + 1)) if (i + MARK.length > carry.length) k++;
      carry = text.slice(-(MARK.length - 1));
      if (k) arrived(sub, k);
    });
    socket.on('error', (e) => {
      fail(`sse socket: ${e.message}`);
      resolve(sub);
    });
  });
}

function openWs(): Promise<Sub> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${host}:${args.port}/graphql`, 'graphql-transport-ws', { perMessageDeflate: false });
    const sub: Sub = { count: 0, close: () => ws.terminate() };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"connection_ack"')) {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve(sub);
      } else if (text.includes('"next"')) {
        arrived(sub, 1);
      } else if (!text.includes('"ping"') && !text.includes('"pong"')) {
        fail(`ws: ${text.slice(0, 200)}`);
      }
    });
    ws.on('error', (e) => {
      fail(`ws: ${e.message}`);
      resolve(sub);
    });
  });
}

// Warm the path up, as a server that has been running is: open a few hundred
// subscribers and deliver them some changes (the first deliveries run cold code and
// compile the document; without this the first measured round was the p99, ~2x the
// next worst), then close them, which also gets start-up garbage collected. Then let
// the server settle and take its idle RSS.
const WARM_CHANGES = 10;
const WARM_SUBSCRIBERS = args.warmupSubscribers ?? 200;
for (let round = 0; round < (WARM_SUBSCRIBERS > 0 ? 2 : 0); round++) {
  const warm = await Promise.all(Array.from({ length: WARM_SUBSCRIBERS }, args.transport === 'sse' ? openSse : openWs));
  await waitForGauge(WARM_SUBSCRIBERS, 10_000);
  for (let c = 0; c < WARM_CHANGES / 2; c++) {
    const borrow = await http('POST', '/licenses/borrow', { tool: args.tool, user: 'fanout-warmup' });
    if (borrow.status !== 200) fail(`warm-up borrow ${borrow.status} ${borrow.text.slice(0, 200)}`);
    await sleep(50);
    if (borrow.status === 200) await http('POST', '/licenses/return', { id: (JSON.parse(borrow.text) as { id: string }).id });
    await sleep(50);
  }
  for (const s of warm) s.close();
  await waitForGauge(0, 10_000);
}
if (WARM_SUBSCRIBERS > 0) await sleep(500); // let the server settle after the warm-up
const rssBeforeBytes = rssOf(args.serverPid);
const openStarted = performance.now();
const open = args.transport === 'sse' ? openSse : openWs;
const BATCH = 250;
for (let i = 0; i < args.subscribers; i += BATCH) {
  const batch = await Promise.all(Array.from({ length: Math.min(BATCH, args.subscribers - i) }, open));
  subs.push(...batch);
}
if (!(await waitForGauge(args.subscribers, 30_000))) fail(`only ${await openGauge()} of ${args.subscribers} subscriptions open`);
const openSeconds = (performance.now() - openStarted) / 1000;
await sleep(500);
const rssAfterBytes = rssOf(args.serverPid);

// Each round is one pool change: a borrow, then a return, alternately.
const latencies: number[] = [];
let delivered = 0;
let heldId: string | undefined;
const cpu0 = cpuMsOf(args.serverPid);
for (let r = 0; r < args.rounds; r++) {
  target = r + 1;
  remaining = subs.filter((s) => s.count < target).length;
  lastArrival = performance.now();
  const all = new Promise<boolean>((resolve) => {
    if (remaining === 0) return resolve(true);
    const timer = setTimeout(() => {
      roundDone = null;
      resolve(false);
    }, 10_000);
    roundDone = () => {
      clearTimeout(timer);
      roundDone = null;
      resolve(true);
    };
  });
  const change =
    heldId === undefined
      ? await http('POST', '/licenses/borrow', { tool: args.tool, user: 'fanout' })
      : await http('POST', '/licenses/return', { id: heldId });
  const responded = performance.now();
  if (change.status !== 200) fail(`change ${change.status} ${change.text.slice(0, 200)}`);
  heldId = heldId === undefined ? (JSON.parse(change.text) as { id: string }).id : undefined;
  const ok = await all;
  if (!ok) fail(`round ${r}: ${remaining} of ${args.subscribers} subscribers got no event within 10 s`);
  delivered += args.subscribers - remaining;
  // Events can reach the last subscriber before the borrow's response reaches its client.
  if (ok) latencies.push(Math.max(0, lastArrival - responded));
  await sleep(20);
}
const serverCpuUsPerDelivery = ((cpuMsOf(args.serverPid) - cpu0) * 1000) / Math.max(delivered, 1);
if (heldId !== undefined) await http('POST', '/licenses/return', { id: heldId });

for (const s of subs) s.close();
if (!(await waitForGauge(0, 30_000))) fail('subscriptions still open 30 s after their clients left');
const sorted = sortedCopy(latencies);
const result: FanoutResult = {
  transport: args.transport,
  subscribers: args.subscribers,
  rounds: args.rounds,
  delivered,
  expected: args.rounds * args.subscribers,
  p50Ms: percentile(sorted, 50),
  p99Ms: percentile(sorted, 99),
  maxMs: sorted[sorted.length - 1] ?? NaN,
  rssBeforeBytes,
  rssAfterBytes,
  bytesPerSubscriber: (rssAfterBytes - rssBeforeBytes) / args.subscribers,
  openSeconds,
  errors,
  errorSamples,
  serverCpuUsPerDelivery,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
