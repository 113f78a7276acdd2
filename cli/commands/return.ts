// `floatline return <id>` and `floatline heartbeat <id>`: one call each on a borrow.
import { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../options.ts';
import { print, printJson } from '../output.ts';

export const returnCommand = () =>
  new Command('return')
    .description('return a borrowed seat')
    .argument('<id>', 'the borrow id')
    .option('--json', 'print the server JSON')
    .action(async (id: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { body } = await clientFor(opts).post<'returnLicense'>('/licenses/return', { id });
      if (opts.json) printJson(body);
      else print(`returned ${id} (${body.tool})`);
    });

export const heartbeatCommand = () =>
  new Command('heartbeat')
    .description("renew a borrow's lease; prints when it now ends (exit 78 once it has expired or was revoked)")
    .argument('<id>', 'the borrow id')
    .option('--json', 'print the server JSON')
    .action(async (id: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { body } = await clientFor(opts).post<'renewLease'>('/licenses/heartbeat', { id });
      if (opts.json) printJson(body);
      else print(body.expires_at ?? 'no lease');
    });
