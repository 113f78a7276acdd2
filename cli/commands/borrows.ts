// `floatline borrows`: the seats taken now, newest first.
import { Command } from 'commander';
import { asPositiveInt, clientFor, currentUser, type GlobalOptions } from '../options.ts';
import { print, printJson, shortTime, table } from '../output.ts';
import { readPages } from '../paging.ts';

interface BorrowsOptions extends GlobalOptions {
  user?: string;
  mine?: boolean;
  limit: number;
}

export const borrowsCommand = () =>
  new Command('borrows')
    .description("list current borrows, newest first (everyone's unless --user or --mine)")
    .option('--user <name>', "only this user's borrows")
    .option('--mine', "only your borrows (FLOATLINE_USER, else the FLOATLINE_TOKEN's user, else the login name)")
    .option('--limit <n>', 'at most this many rows', asPositiveInt, 1_000)
    .option('--json', 'print the JSON array (the /borrows rows)')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<BorrowsOptions>();
      const client = clientFor(opts);
      const user = opts.user ?? (opts.mine ? await currentUser(process.env.FLOATLINE_USER, client) : undefined);
      const rows = await readPages<'listBorrows'>(client, '/borrows', { user }, opts.limit);
      if (opts.json) return printJson(rows);
      print(
        table(
          ['ID', 'TOOL', 'USER', 'HOST', 'BORROWED', 'LEASE ENDS'],
          rows.map((b) => [b.id, b.tool, b.user, b.host, shortTime(b.borrowed_at), shortTime(b.expires_at)]),
        ),
      );
    });
