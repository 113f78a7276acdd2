// The `floatline` command line: parse with commander, run one command, exit with a
// documented code (exit-codes.ts). Bundled by scripts/build-cli.mjs into dist/cli/floatline.mjs
// so a start loads one file and no TypeScript tooling.
import { Command, CommanderError } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { borrowCommand } from './commands/borrow.ts';
import { borrowsCommand } from './commands/borrows.ts';
import { observeCommand } from './commands/observe.ts';
import { queueCommand } from './commands/queue.ts';
import { releaseCommand } from './commands/release.ts';
import { heartbeatCommand, returnCommand } from './commands/return.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { exitCodeFor, messageFor, say } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import { serverOption } from './options.ts';

const ENVIRONMENT = `
Environment:
  FLOATLINE_URL     the server (default http://localhost:8000); --server wins
  FLOATLINE_USER    who borrows (default: FLOATLINE_TOKEN's user, else the login name); --user wins
  FLOATLINE_TOKEN   sent as "Authorization: Bearer <token>" when set

Run \`floatline <command> --help\` for a command's options, and \`floatline run --help\` for the exit codes.`;

export function program(): Command {
  const cli = new Command('floatline')
    .description('Borrow floating licenses from a Floatline server, run jobs under them, and push FlexNet/RLM status to it.')
    .version(pkg.version, '-V, --version')
    .addOption(serverOption())
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .addHelpText('after', ENVIRONMENT);
  for (const command of [
    runCommand(),
    statusCommand(),
    borrowCommand(),
    returnCommand(),
    heartbeatCommand(),
    borrowsCommand(),
    queueCommand(),
    releaseCommand(),
    observeCommand(),
  ]) {
    cli.addCommand(command.exitOverride().configureHelp({ showGlobalOptions: true }));
  }
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // commander has printed its message (or the help) already.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    say(messageFor(err));
    return exitCodeFor(err);
  }
}

process.exit(await main(process.argv));
