// `floatline queue <tool>`: who waits for a seat, in line order.
import { Command } from 'commander';
import { asPositiveInt, clientFor, type GlobalOptions } from '../options.ts';
import { print, printJson, shortTime, table } from '../output.ts';
import { readPages } from '../paging.ts';

interface QueueOptions extends GlobalOptions {
  limit: number;
}

export const queueCommand = () =>
  new Command('queue')
    .description('list the tickets waiting for a seat of a pool, first in line first')
    .argument('<tool>', 'the pool')
    .option('--limit <n>', 'at most this many rows', asPositiveInt, 1_000)
    .option('--json', 'print the JSON array (the /queue?tool= rows)')
    .action(async (tool: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<QueueOptions>();
      const rows = await readPages<'listQueue'>(clientFor(opts), '/queue', { tool }, opts.limit);
      if (opts.json) return printJson(rows);
      print(
        table(
          ['POSITION', 'TICKET', 'USER', 'HOST', 'QUEUED', 'LEASE ENDS'],
          rows.map((t) => [t.position, t.ticket_id, t.user, t.host, shortTime(t.queued_at), shortTime(t.expires_at)]),
        ),
      );
    });
