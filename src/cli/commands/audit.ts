import { Command } from 'commander';
import type { AuditEntry } from '../api-types';
import { contextOf } from '../context';
import { detail, positiveInt, table, time } from '../format';
import type { CliIo } from '../io';

export function auditCommand(io: CliIo): Command {
  return new Command('audit')
    .description('the audit trail of operator actions (replays, re-drives, consent changes, erasures), done or failed, newest first')
    .option(
      '--action <action>',
      'only this action: replay.one, replay.bulk, replay.cancel, dead-letter.redrive, dead-letter.redrive-bulk, consent.change, booking.erase',
    )
    .option('--failed', 'only actions that failed (refused or broken off; the reason is shown)')
    .option('--limit <n>', 'how many (1-1000)', positiveInt('--limit', 1000), 100)
    .addHelpText('after', '\nExamples:\n  notifier audit --action replay.bulk --limit 20\n  notifier audit --failed\n')
    .action(async (options: { action?: string; failed?: boolean; limit: number }, command: Command) => {
      const ctx = contextOf(command, io);
      const { items } = await ctx.api.get<{ items: AuditEntry[] }>('api/audit', {
        action: options.action,
        outcome: options.failed ? 'failed' : undefined,
        limit: options.limit,
      });
      if (ctx.json) return ctx.printJson(items);
      if (items.length === 0) return io.out('no audit entries match\n');
      io.out(
        table(
          ['AT', 'ACTOR', 'ACTION', 'OUTCOME', 'TARGET', 'AFFECTED', 'DETAIL'],
          items.map((a) => [
            time(a.at),
            a.actor,
            a.action,
            a.outcome,
            a.target,
            a.affected,
            a.outcome === 'failed' ? `${a.reason ?? ''} ${detail(a.detail)}`.trim() : detail(a.detail),
          ]),
        ),
      );
    });
}
