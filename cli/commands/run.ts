// `floatline run <tool> [options] -- <command> [args…]`: the job wrapper (../run.ts).
import { Command, Option } from 'commander';
import { EXIT } from '../exit-codes.ts';
import {
  asDuration,
  clientFor,
  currentHost,
  currentUser,
  type GlobalOptions,
  leaseOption,
  projectOption,
  retryOption,
  USER_DEFAULT,
  userOption,
  waitMs,
  waitOption,
} from '../options.ts';
import { type ObservedTarget, parseObservedTarget, runWhenObservedFree } from '../observed-wait.ts';
import { type OnLost, runJob } from '../run.ts';

interface RunCommandOptions extends GlobalOptions {
  user?: string;
  lease: number;
  project?: string;
  host?: string;
  wait?: number | true;
  retryFor: number;
  onLost: OnLost;
  killGrace: number;
  verbose?: boolean;
  observed?: ObservedTarget;
}

const RUN_HINT = '(the command goes after "--": floatline run <tool> [options] -- <command> [args...])';

const EXIT_CODES = `
Exit codes:
  the command's own     it ran and exited (0-255)
  128+N                 it (or floatline) was ended by signal N: 130 SIGINT, 143 SIGTERM
  ${EXIT.usage}                     bad usage (unknown flag, missing argument, bad duration)
  ${EXIT.refused}                    the server refused the request (unknown tool, bad value)
  ${EXIT.unavailable}                    the server could not be reached (after --retry-for)
  ${EXIT.noSeat}                    no seat free and no --wait: the command did not run
  ${EXIT.waitExpired}                    --wait ran out (or the queue ticket was lost): the command did not run
  ${EXIT.notAllowed}                    the server refused the token (FLOATLINE_TOKEN)
  ${EXIT.leaseLost}                    the lease was lost (revoked, or expired in an outage) and the command was stopped
  ${EXIT.notFound} / ${EXIT.cannotExecute}             the command was not found / could not be executed

With --observed <source>/<feature> no seat is borrowed: the command starts when that observed
FlexNet or RLM pool's last snapshot shows a free license (issued - in use - reserved > 0).
Best-effort: the license server decides at check-out; Floatline only watches. An unknown source
or feature exits ${EXIT.refused}; a full (or stale) pool without --wait exits ${EXIT.noSeat}.

Examples:
  floatline run cad_tool -- make -j8
  floatline run simulation --wait 10m --lease 2m -- ./solve.sh input.dat
  FLOATLINE_URL=http://licenses:8000 floatline run analysis --wait -- python analyse.py
  floatline run --observed cad-lic/MATLAB --wait 30m -- matlab -batch run_model`;

export const runCommand = () =>
  new Command('run')
    .description('run a command while holding a seat: borrow, heartbeat while it runs, return when it ends')
    .usage('<tool> [options] -- <command> [args...]\n       floatline run --observed <source>/<feature> [options] -- <command> [args...]')
    // Both optional for commander: with --observed there is no tool (the checks are in the action).
    .argument('[tool]', 'the pool to borrow from')
    .argument('[command...]', 'the command and its arguments (after --)')
    .addOption(userOption(USER_DEFAULT))
    .addOption(leaseOption('lease length (5s to 24h); heartbeats renew it every third of it').default(60, '60s'))
    .option('--host <name>', 'the host the seat is used on (default: this machine)')
    .addOption(projectOption())
    .addOption(waitOption())
    .addOption(retryOption())
    .addOption(
      new Option('--on-lost <action>', 'when the lease is lost: kill = stop the command (SIGTERM), warn = let it run')
        .choices(['kill', 'warn'])
        .default('kill'),
    )
    .addOption(
      new Option('--kill-grace <duration>', 'after SIGTERM for a lost lease, SIGKILL the command this much later')
        .default(10_000, '10s')
        .argParser(asDuration),
    )
    .option('-v, --verbose', 'say on stderr when the seat is taken and returned')
    .addOption(
      new Option(
        '--observed <source>/<feature>',
        'borrow nothing: start when this observed FlexNet/RLM pool shows a free license (best-effort)',
      ).argParser(parseObservedTarget),
    )
    .configureOutput({
      // `floatline run tool make -j8` reads -j8 as floatline's: say where the command goes.
      outputError: (text, write) => write(text.includes('unknown option') ? `${text}${RUN_HINT}\n` : text),
    })
    .addHelpText('after', EXIT_CODES)
    .action(async (tool: string | undefined, command: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<RunCommandOptions>();
      if (opts.observed) {
        // No tool: every word after "--" is the command (commander hands the first one over as `tool`).
        const argv = tool === undefined ? command : [tool, ...command];
        // A tool before "--" leaves fewer words after "--" than the command has.
        const dashes = process.argv.indexOf('--');
        if (tool !== undefined && dashes >= 0 && process.argv.length - dashes - 1 < argv.length) {
          cmd.error(`error: --observed borrows no tool: drop "${tool}" (floatline run --observed <source>/<feature> -- <command>)`, {
            exitCode: EXIT.usage,
          });
        }
        if (!argv[0]) cmd.error("error: missing required argument 'command'", { exitCode: EXIT.usage });
        process.exitCode = await runWhenObservedFree({
          client: clientFor(opts),
          target: opts.observed,
          waitMs: waitMs(opts.wait),
          command: argv,
        });
        return;
      }
      if (tool === undefined) cmd.error("error: missing required argument 'tool'", { exitCode: EXIT.usage });
      if (command.length === 0) cmd.error("error: missing required argument 'command'", { exitCode: EXIT.usage });
      if (!command[0]) cmd.error('error: missing the command to run', { exitCode: EXIT.usage });
      const client = clientFor(opts);
      process.exitCode = await runJob({
        client,
        tool,
        user: await currentUser(opts.user, client, opts.retryFor),
        host: opts.host ?? currentHost(),
        leaseSeconds: opts.lease,
        project: opts.project,
        waitMs: waitMs(opts.wait),
        retryForMs: opts.retryFor,
        onLost: opts.onLost,
        killGraceMs: opts.killGrace,
        command,
        verbose: Boolean(opts.verbose),
      });
    });
