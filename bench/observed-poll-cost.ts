// What polling observed license servers costs the Floatline process: `sources` FlexNet
// sources registered with a command (a fake lmutil, a shell script printing a realistic
// `lines`-line lmstat -a output, every other run with one holder changed so the diff infers
// events), polled every `intervalSeconds` for `seconds`. Floatline runs as its own process on
// SQLite (server/main.ts); its CPU time (user + system, /proc) is read before and after, with
// an idle phase of the same server first so its own timers are not counted as polling.
//
// The claim checked: 50 sources polled every 30 s cost < 5 % of one core. The interval here
// is the shortest the API takes (5 s) so a short run sees many polls; the projection is
// (server CPU per poll) × 50 polls per 30 s. The fake lmutil's own CPU (sh, cat) is the
// children's time, reported apart: a real lmutil's is the vendor's, and spent on a network
// round trip rather than the CPU.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenCpuMsOf, cpuMsOf, startListening, stopChild } from './lib.ts';
import { bigLmstat } from './observed-parse.ts';

export interface ObservedPollArgs {
  sources: number;
  intervalSeconds: number;
  seconds: number;
  idleSeconds: number;
  lines: number;
}

export interface ObservedPollResult extends ObservedPollArgs {
  /** Runs of the command (the fake lmutil counts itself). */
  polls: number;
  /** Server CPU over the polling phase, ms, and over the idle phase scaled to the same length. */
  serverCpuMs: number;
  idleCpuMs: number;
  /** (polling − idle) / polls. */
  cpuMsPerPoll: number;
  /** The fake lmutil's CPU per run (sh + cat), ms: not Floatline's. */
  commandCpuMsPerPoll: number;
  /** cpuMsPerPoll × 50 sources / 30 s, as a share of one core. */
  projectedShareAt30s: number;
  /** Sources down, or with unparsed lines, at the end; poll failures in the server log. */
  errors: number;
  errorSamples: string[];
}

/** The Markdown table of `npm run bench` (bench/run.ts). */
export function observedPollTable(r: ObservedPollResult): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
  return [
    '| # | Observed polling (server runs a fake lmutil per source, SQLite) | Sources | Interval s | Polls (due) | Server CPU ms per poll | Projected: 50 sources every 30 s, share of one core | Errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    `| 13 | ${r.lines}-line lmstat -a, one holder changing every other run, ${r.seconds} s | ${r.sources} | ${r.intervalSeconds} | ${r.polls} (${r.sources * Math.ceil(r.seconds / r.intervalSeconds)}) | ${r.cpuMsPerPoll.toFixed(2)} | ${pct(r.projectedShareAt30s)} | ${r.errors} |`,
    '',
    // Fewer polls than due: the poller starts at most `concurrency` (4) runs per 1 s tick.
    `Polls are the command's runs; "due" is sources × time / interval. The poller starts at most 4 runs per 1 s tick (server/observed/poller.ts), so one process polls at most about 4 sources a second. Each source's first poll (which creates its pools) is counted with the rest. ` +
      `Server CPU ${r.serverCpuMs.toFixed(0)} ms over the polling phase, less ${r.idleCpuMs.toFixed(0)} ms the same server spends idle in as long (measured first, ${r.idleSeconds} s, scaled); ` +
      `the fake lmutil's own CPU (sh + cat, not Floatline's) ${r.commandCpuMsPerPoll.toFixed(2)} ms per run. The aim is under 5 % of one core. ` +
      `CPU time, not wall time: steadier on a busy machine, though a loaded machine still inflates it (caches, scheduling).`,
  ];
}

async function main(args: ObservedPollArgs): Promise<ObservedPollResult> {
  const dir = mkdtempSync(join(tmpdir(), 'floatline-observed-poll-'));
  const counter = join(dir, 'runs');
  const [a, b] = [join(dir, 'a.txt'), join(dir, 'b.txt')];
  const output = bigLmstat(args.lines);
  writeFileSync(a, output);
  writeFileSync(b, output.replace('    user0 ws0-0 ws0-0', '    other ws0-0 ws0-0'));
  writeFileSync(counter, '');
  const lmutil = join(dir, 'lmutil');
  // Builtins only besides cat: the script's own cost stays small and is the children's time.
  writeFileSync(lmutil, `#!/bin/sh\nprintf . >> '${counter}'\ncase $(( $$ % 2 )) in 0) cat '${a}';; *) cat '${b}';; esac\n`);
  chmodSync(lmutil, 0o755);

  const log = join(dir, 'server.log');
  const { child, port } = await startListening(
    ['server/main.ts'],
    { ...process.env, PORT: '0', HOST: '127.0.0.1', LICENSE_DB_PATH: join(dir, 'licenses.db'), LOG_LEVEL: 'info', NODE_ENV: 'production' },
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const pause = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
  try {
    await pause(1); // start-up's own work settles
    const idle0 = cpuMsOf(pid);
    await pause(args.idleSeconds);
    const idlePerSecond = (cpuMsOf(pid) - idle0) / args.idleSeconds;

    for (let i = 0; i < args.sources; i++) {
      const res = await fetch(`${url}/observed/sources`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `lic${i}`,
          kind: 'flexnet',
          command: `${lmutil} lmstat -a -c ${27000 + i}@lic${i}`,
          interval_seconds: args.intervalSeconds,
        }),
      });
      if (res.status !== 201) throw new Error(`registering lic${i}: ${res.status} ${await res.text()}`);
    }
    const cpu0 = cpuMsOf(pid);
    const children0 = childrenCpuMsOf(pid);
    const runs0 = readFileSync(counter).length;
    const t0 = performance.now();
    await pause(args.seconds);
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpuMs = cpuMsOf(pid) - cpu0;
    const polls = readFileSync(counter).length - runs0;
    const commandCpuMs = childrenCpuMsOf(pid) - children0;
    const idleCpuMs = idlePerSecond * elapsed;
    const cpuMsPerPoll = polls > 0 ? Math.max(0, serverCpuMs - idleCpuMs) / polls : Number.NaN;

    const sources = (await (await fetch(`${url}/observed/sources?limit=500`)).json()) as {
      sources: { name: string; server_up: boolean | null; unparsed_lines: number; error: string | null }[];
    };
    // A source not polled yet is no error (it shows in polls against due); one down or misread is.
    const bad = sources.sources.filter((s) => s.server_up === false || s.unparsed_lines > 0);
    const failures = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes('observed_poll_failed'));
    return {
      ...args,
      polls,
      serverCpuMs,
      idleCpuMs,
      cpuMsPerPoll,
      commandCpuMsPerPoll: polls > 0 ? commandCpuMs / polls : Number.NaN,
      projectedShareAt30s: (cpuMsPerPoll * 50) / 30_000,
      errors: bad.length + failures.length,
      errorSamples: [...bad.map((s) => `${s.name}: up=${s.server_up} unparsed=${s.unparsed_lines} ${s.error ?? ''}`), ...failures].slice(
        0,
        5,
      ),
    };
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = JSON.parse(
    process.argv[2] ?? '{"sources":50,"intervalSeconds":5,"seconds":30,"idleSeconds":10,"lines":300}',
  ) as ObservedPollArgs;
  const result = await main(args);
  if (process.argv.includes('--table')) process.stderr.write(`${observedPollTable(result).join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
