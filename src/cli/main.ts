#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { ApiError, explain } from './api-client';
import { auditCommand } from './commands/audit';
import { deadLettersCommand } from './commands/dead-letters';
import { notificationsCommand } from './commands/notifications';
import { replayCommand } from './commands/replay';
import { previewCommand, templatesCommand } from './commands/templates';
import { DEFAULT_URL } from './context';
import { CliIo, EXIT, processIo, UsageError } from './io';

const HELP = `
The service's address and an ops token come from --url/--token or NOTIFIER_URL/NOTIFIER_TOKEN (prefer the
variable for the token: command lines end up in shell history). Viewer tokens read; replays and re-drives
need an operator token. Every command has --help.

Exit status: 0 done, 1 the service refused or failed (the reason is printed), 2 wrong usage.

Examples:
  export NOTIFIER_URL=http://localhost:3000 NOTIFIER_TOKEN=...
  notifier notifications list --status failed
  notifier notifications show <id>
  notifier replay --status failed --since 2h --dry-run
  notifier replay --cancel <replay id>
  notifier dead-letters list --open
  notifier audit --limit 20
  notifier templates
  notifier preview flight-delay whatsapp ja --facts delayed,gate
`;

/** The command tree; built per run so that tests can run it many times in one process. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('notifier')
    .description('Operate the flight-notifier service through its ops API: find, inspect and replay notifications, re-drive parked events, read the audit trail, preview messages in every language.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(add --help for usage)')
    .addOption(new Option('--url <url>', 'base URL of the service').env('NOTIFIER_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'ops API bearer token').env('NOTIFIER_TOKEN'))
    .option('--json', 'print the API answers as JSON instead of tables')
    .addHelpText('after', HELP);
  program.addCommand(notificationsCommand(io));
  program.addCommand(replayCommand(io));
  program.addCommand(deadLettersCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(templatesCommand(io));
  program.addCommand(previewCommand(io));
  // Settings given above reach only commands created by program.command(); these were made apart.
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.copyInheritedSettings(command);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs one command line (without `node` and the script) and resolves to the exit status. */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version were printed already; usage errors too (by commander, with the hint).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiError) {
      io.err(`error: ${explain(error)}\n`);
      return EXIT.failed;
    }
    io.err(`error: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
