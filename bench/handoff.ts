// Queue hand-off: a 1-seat pool, a holder, and a waiter in its line subscribed to its
// ticket (GraphQL `queueTicket`, over SSE or graphql-ws). The holder returns its seat; the
// server hands it to the waiter in the return's own transaction and pushes the grant. Per
// round, the time from the return's HTTP response to the waiter's subscription event with
// state GRANTED, on this client's clock (0 when the event beats the response).
// Each round is a new holder, a new ticket and a new subscription; only the hand-off is timed.
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { cpuMsOf, percentile, sortedCopy } from './lib.ts';

export interface HandoffArgs {
  port: number;
  transport: 'sse' | 'ws';
  rounds: number;
  serverPid: number;
  /** A pool with exactly one seat and nobody in it. */
  tool: string;
  /** Untimed rounds first (0 in the smoke run). */
  warmupRounds?: number;
}
export interface HandoffResult {
  transport: 'sse' | 'ws';
  rounds: number;
  /** Rounds whose grant reached the waiter. */
  granted: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Rounds whose event arrived before the return's response (counted as 0 ms). */
  beforeResponse: number;
  /** Server CPU (user + system) per timed round: return, grant, push; plus the untimed borrow, queue and subscribe. */
  serverCpuUsPerRound: number;
  errors: number;
  errorSamples: string[];
}

const args = JSON.parse(process.argv[2]!) as HandoffArgs;
const host = '127.0.0.1';
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let errors = 0;
const errorSamples: string[] = [];
const fail = (what: string) => {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(what);
};

function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host, port: args.port, method: 'POST', path, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => {
          text += c;
        })
        .on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: text });
          }
        });
    });
    req.on('error', reject);
    req.end(data);
  });
}

interface TicketEvent {
  state: string;
  position: number | null;
  borrow: { id: string } | null;
}
/** A subscription to one ticket: every event is handed to onEvent, with its arrival time. */
interface Subscription {
  close(): void;
}
const query = (id: string) => `subscription { queueTicket(id: "${id}") { state position borrow { id } } }`;

function subscribeSse(id: string, onEvent: (t: TicketEvent, at: number) => void): Subscription {
  const socket: Socket = connect(args.port, host);
  let buffer = '';
  let headersSeen = false;
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    socket.write(`GET /graphql?query=${encodeURIComponent(query(id))} HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n\r\n`);
  });
  socket.on('data', (chunk: string) => {
    const at = performance.now();
    buffer += chunk;
    if (!headersSeen) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!buffer.startsWith('HTTP/1.1 200')) fail(`sse: ${buffer.split('\r\n')[0]}`);
      headersSeen = true;
      buffer = buffer.slice(end + 4);
    }
    // Chunked transfer framing aside, each event is "event: next\ndata: {...}\n\n": read
    // the events that are complete, keep the rest for the next chunk.
    const last = buffer.lastIndexOf('\n\n');
    if (last < 0) return;
    const complete = buffer.slice(0, last + 1);
    buffer = buffer.slice(last + 2);
    for (const m of complete.matchAll(/^data: (\{.*\})$/gm)) {
      const payload = JSON.parse(m[1]!) as { data?: { queueTicket: TicketEvent }; errors?: unknown };
      if (payload.data?.queueTicket) onEvent(payload.data.queueTicket, at);
      else if (payload.errors) fail(`sse: ${JSON.stringify(payload.errors).slice(0, 200)}`);
    }
  });
  socket.on('error', (e) => fail(`sse socket: ${e.message}`));
  return { close: () => socket.destroy() };
}

function subscribeWs(id: string, onEvent: (t: TicketEvent, at: number) => void): Subscription {
  const ws = new WebSocket(`ws://${host}:${args.port}/graphql`, 'graphql-transport-ws', { perMessageDeflate: false });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  ws.on('message', (data) => {
    const at = performance.now();
    const msg = JSON.parse(data.toString()) as { type: string; payload?: any };
    if (msg.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: query(id) } }));
    else if (msg.type === 'next' && msg.payload?.data?.queueTicket) onEvent(msg.payload.data.queueTicket, at);
    else if (msg.type === 'next' || msg.type === 'error') fail(`ws: ${JSON.stringify(msg).slice(0, 200)}`);
  });
  ws.on('error', (e) => fail(`ws: ${e.message}`));
  return { close: () => ws.terminate() };
}

/** Resolves with the first event that satisfies `want` (and its arrival time), or null after 10 s. */
function waiter() {
  let want: ((t: TicketEvent) => boolean) | null = null;
  let settle: ((v: { ticket: TicketEvent; at: number } | null) => void) | null = null;
  const seen: { ticket: TicketEvent; at: number }[] = [];
  return {
    onEvent(ticket: TicketEvent, at: number) {
      seen.push({ ticket, at });
      if (want?.(ticket)) settle?.({ ticket, at });
    },
    next(pred: (t: TicketEvent) => boolean): Promise<{ ticket: TicketEvent; at: number } | null> {
      const already = seen.find((s) => pred(s.ticket));
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), 10_000);
        want = pred;
        settle = (v) => {
          clearTimeout(timer);
          want = null;
          resolve(v);
        };
      });
    },
  };
}

async function round(): Promise<number | null> {
  const holder = await post('/licenses/borrow', { tool: args.tool, user: 'holder' });
  if (holder.status !== 200) {
    fail(`holder borrow ${holder.status} ${JSON.stringify(holder.json).slice(0, 200)}`);
    return null;
  }
  const queued = await post('/licenses/borrow', { tool: args.tool, user: 'waiter', queue: true });
  if (queued.status !== 202) {
    fail(`waiter borrow ${queued.status} ${JSON.stringify(queued.json).slice(0, 200)}`);
    await post('/licenses/return', { id: holder.json.id });
    return null;
  }
  const events = waiter();
  const sub = (args.transport === 'sse' ? subscribeSse : subscribeWs)(queued.json.ticket_id, events.onEvent);
  try {
    // The subscription is live once it has said where the ticket stands.
    const first = await events.next(() => true);
    if (first?.ticket.state !== 'WAITING' || first.ticket.position !== 1) {
      fail(`first ticket event: ${JSON.stringify(first?.ticket ?? 'none within 10 s')}`);
      await post('/licenses/return', { id: holder.json.id });
      return null;
    }
    const grant = events.next((t) => t.state !== 'WAITING');
    const back = await post('/licenses/return', { id: holder.json.id });
    const responded = performance.now();
    if (back.status !== 200) fail(`return ${back.status} ${JSON.stringify(back.json).slice(0, 200)}`);
    const got = await grant;
    if (got?.ticket.state !== 'GRANTED' || !got.ticket.borrow) {
      fail(`grant: ${JSON.stringify(got?.ticket ?? 'no event within 10 s')}`);
      return null;
    }
    const returned = await post('/licenses/return', { id: got.ticket.borrow.id });
    if (returned.status !== 200) fail(`waiter return ${returned.status}`);
    const ms = got.at - responded;
    if (ms < 0) beforeResponse++;
    return Math.max(0, ms);
  } finally {
    sub.close();
  }
}

let beforeResponse = 0;
for (let i = 0; i < (args.warmupRounds ?? 0); i++) await round();
beforeResponse = 0;
const warmupErrors = errors;
const latencies: number[] = [];
const cpu0 = cpuMsOf(args.serverPid);
for (let i = 0; i < args.rounds; i++) {
  const ms = await round();
  if (ms !== null) latencies.push(ms);
}
const serverCpuUsPerRound = ((cpuMsOf(args.serverPid) - cpu0) * 1000) / args.rounds;
const sorted = sortedCopy(latencies);
const result: HandoffResult = {
  transport: args.transport,
  rounds: args.rounds,
  granted: latencies.length,
  p50Ms: percentile(sorted, 50),
  p99Ms: percentile(sorted, 99),
  maxMs: sorted[sorted.length - 1] ?? NaN,
  beforeResponse,
  serverCpuUsPerRound,
  errors,
  errorSamples: warmupErrors ? [`${warmupErrors} in warm-up`, ...errorSamples] : errorSamples,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
