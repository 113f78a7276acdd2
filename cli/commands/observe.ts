// `floatline observe <source> [options] -- <command> [args…]`: the push agent for an observed
// FlexNet or RLM license server (../observe.ts).
import { Command, InvalidArgumentError, Option } from 'commander';
import { OBSERVED_LIMITS } from '../../server/observed/records.ts';
import { COMMAND_LIMITS } from '../../server/observed/run-command.ts';
import { formatDuration } from '../duration.ts';
import { say } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { observe } from '../observe.ts';
import { asDuration, clientFor, type GlobalOptions } from '../options.ts';

interface ObserveCommandOptions extends GlobalOptions {
  every: number;
  timeout: number;
  log?: string;
}

const SOURCE_NAME = new RegExp(OBSERVED_LIMITS.namePattern);
const { min, max } = OBSERVED_LIMITS.interval;

/** The snapshot interval: the bounds the server takes for a polled source's interval_seconds. */
export function asInterval(value: string): number {
  const ms = asDuration(value);
  if (ms < min * 1_000 || ms > max * 1_000) {
    throw new InvalidArgumentError(
      `the interval is ${formatDuration(min * 1_000)} to ${formatDuration(max * 1_000)}, not ${formatDuration(ms)}`,
    );
  }
  return ms;
}

const HELP = `
Each run's output (stdout, then stderr; at most ${COMMAND_LIMITS.maxOutputBytes / 1024 / 1024} MiB) goes to
POST /observed/sources/<source>/snapshot as text/plain, and one line per push is printed:
  taken_at=… server_up=true features=12 in_use=31 unparsed_lines=0
The source must be registered first (POST /observed/sources, or the dashboard), usually without a
command. Pushing is an admin's write: set FLOATLINE_TOKEN to an admin token where auth is on.

A failing command or an unreachable server is said on stderr and tried again after the interval,
doubled after each further failure up to 5 minutes; an unknown source or a refused token exits
(${EXIT.refused} / ${EXIT.notAllowed}). SIGINT or SIGTERM stops it cleanly (exit 0).

Examples:
  floatline observe cad-lic --every 30s -- lmutil lmstat -a -c 27000@lic1
  floatline observe cad-lic --every 1m --log /var/log/flexlm/lmgrd.log -- lmutil lmstat -a -c 27000@lic1
  floatline observe rlm-main -- rlmutil rlmstat -a -c 5053@rlmhost`;

export const observeCommand = () =>
  new Command('observe')
    .description('run a FlexNet/RLM status command every interval and push its output to an observed source')
    .usage('<source> [options] -- <command> [args...]')
    .argument('<source>', 'the observed source to push to (registered on the server)')
    .argument('<command...>', 'the status command and its arguments (after --), run without a shell')
    .addOption(new Option('--every <duration>', `how often to run it (${min}s to 24h)`).default(60_000, '60s').argParser(asInterval))
    .addOption(
      new Option('--timeout <duration>', 'kill a run that takes longer than this')
        .default(COMMAND_LIMITS.timeoutMs, formatDuration(COMMAND_LIMITS.timeoutMs))
        .argParser(asDuration),
    )
    .option('--log <file>', "follow this lmgrd debug log (from its end) and push new lines to the source's /log")
    .option('--json', 'print each answer as a JSON line')
    .addHelpText('after', HELP)
    .action(async (source: string, command: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ObserveCommandOptions>();
      if (!SOURCE_NAME.test(source)) {
        cmd.error(`error: "${source}" is not a source name (letters, digits, '.', '_', '-'; at most 64)`, { exitCode: EXIT.usage });
      }
      if (!command[0]) cmd.error('error: missing the command to run', { exitCode: EXIT.usage });
      const stop = new AbortController();
      let received: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        received ??= signal;
        stop.abort();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      say(
        `pushing ${command.join(' ')} to ${source} every ${formatDuration(opts.every)}${opts.log ? `, and new lines of ${opts.log}` : ''}`,
      );
      await observe({
        client: clientFor(opts),
        source,
        command,
        everyMs: opts.every,
        timeoutMs: opts.timeout,
        logFile: opts.log,
        json: Boolean(opts.json),
        signal: stop.signal,
      });
      say(`stopped (${received ?? 'done'})`);
    });
