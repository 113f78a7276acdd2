// `floatline status [tool]`: the pools as a table, or the server's JSON with --json.
import { Command } from 'commander';
import { clientFor, type GlobalOptions } from '../options.ts';
import { print, printJson, table } from '../output.ts';

export const statusCommand = () =>
  new Command('status')
    .description('show how many seats each pool (or one) has, holds and can lend')
    .argument('[tool]', 'one pool only')
    .option('--json', 'print the server JSON (/licenses/status, or /licenses/<tool>/status) instead of a table')
    .action(async (tool: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const client = clientFor(opts);
      const path = tool ? `/licenses/${encodeURIComponent(tool)}/status` : '/licenses/status';
      const { body } = await client.get<'getPoolStatus' | 'listPoolStatus'>(path);
      if (opts.json) return printJson(body);
      const pools = Array.isArray(body) ? body : [body];
      const queued = pools.some((p) => p.queued !== undefined);
      print(
        table(
          ['TOOL', 'TOTAL', 'BORROWED', 'AVAILABLE', 'LENDABLE', ...(queued ? ['QUEUED'] : []), 'OVERAGE', 'TOTAL COST'],
          pools.map((p) => [
            p.tool,
            p.total,
            p.borrowed,
            p.available,
            p.lendable ?? null,
            ...(queued ? [p.queued ?? 0] : []),
            `${p.overage}/${p.max_overage}`,
            p.total_cost,
          ]),
        ),
      );
    });
