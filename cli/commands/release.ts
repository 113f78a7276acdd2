// `floatline release <id> --reason …`: an admin takes a seat back (POST /licenses/revoke).
// The holder's next heartbeat answers 410; `floatline run` then stops its command.
import { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../options.ts';
import { print, printJson } from '../output.ts';

interface ReleaseOptions extends GlobalOptions {
  reason: string;
}

export const releaseCommand = () =>
  new Command('release')
    .description("force-release someone's seat (admin): the seat is freed now and the holder's next heartbeat is refused")
    .argument('<id>', 'the borrow id')
    .requiredOption('--reason <text>', 'why (shown to the holder and kept in the history)')
    .option('--json', 'print the server JSON')
    .action(async (id: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ReleaseOptions>();
      const { body } = await clientFor(opts).post<'revokeBorrow'>('/licenses/revoke', { id, reason: opts.reason });
      if (opts.json) printJson(body);
      else print(`released ${id} (${body.tool}, held by ${body.user})`);
    });
