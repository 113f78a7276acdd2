// `floatline borrow <tool>`: take a seat by hand and print its borrow id. The seat is yours
// to heartbeat (`floatline heartbeat <id>`) and return (`floatline return <id>`).
import { Command, Option } from 'commander';
import { say } from '../errors.ts';
import {
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
import { print, printJson } from '../output.ts';
import { acquireSeat, Interrupted } from '../seat.ts';
import { signalExitCode } from '../exit-codes.ts';

interface BorrowOptions extends GlobalOptions {
  user?: string;
  lease?: number;
  project?: string;
  host?: string;
  idempotencyKey?: string;
  wait?: number | true;
  retryFor: number;
}

export const borrowCommand = () =>
  new Command('borrow')
    .description('borrow a seat and print its id (heartbeat and return it yourself; `floatline run` does both for a job)')
    .argument('<tool>', 'the pool to borrow from')
    .addOption(userOption(USER_DEFAULT))
    .addOption(leaseOption("lease length (5s to 24h); renew it with `floatline heartbeat` (default: the pool's, if any)"))
    .option('--host <name>', 'the host the seat is used on (default: this machine)')
    .addOption(projectOption())
    .option('--idempotency-key <key>', 'a retry with the same key answers the same borrow instead of taking a second seat')
    .addOption(waitOption())
    .addOption(retryOption())
    .addOption(new Option('--json', 'print the borrow JSON instead of its id'))
    .action(async (tool: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<BorrowOptions>();
      const interrupted = new AbortController();
      let received: NodeJS.Signals | undefined;
      const onSignal = (s: NodeJS.Signals) => {
        received ??= s;
        interrupted.abort();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      try {
        const client = clientFor(opts);
        const borrow = await acquireSeat({
          client,
          tool,
          user: await currentUser(opts.user, client, opts.retryFor),
          host: opts.host ?? currentHost(),
          leaseSeconds: opts.lease,
          project: opts.project,
          idempotencyKey: opts.idempotencyKey ?? crypto.randomUUID(),
          waitMs: waitMs(opts.wait),
          retryForMs: opts.retryFor,
          signal: interrupted.signal,
        });
        if (opts.json) printJson(borrow);
        else {
          print(borrow.id);
          if (process.stderr.isTTY && borrow.expires_at)
            say(`lease ends ${borrow.expires_at}: renew it with \`floatline heartbeat ${borrow.id}\``);
        }
      } catch (err) {
        if (err instanceof Interrupted) {
          process.exitCode = signalExitCode(received ?? 'SIGINT');
          return;
        }
        throw err;
      }
    });
