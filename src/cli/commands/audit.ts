import { Command } from 'commander';
import type { AuditEntry } from '../api-types';
import { contextOf } from '../context';
import { detail, positiveInt, table, time } from '../format';
import type { CliIo } from '../io';

export function auditCommand(io: CliIo): Command {
  return new Command('audit')
    .description('the audit trail of operator actions (replays, re-drives, consent changes), newest first')
    .option('--action <action>', 'only this action: replay.one, replay.bulk, dead-letter.redrive, dead-letter.redrive-bulk, consent.change')
    .option('--limit <n>', 'how many (1-1000)', positiveInt('--limit', 1000), 100)
    .addHelpText('after', '\nExample:\n  notifier audit --action replay.bulk --limit 20\n')
    .action(async (options: { action?: string; limit: number }, command: Command) => {
      const ctx = contextOf(command, io);
      const { items } = await ctx.api.get<{ items: AuditEntry[] }>('api/audit', { action: options.action, limit: options.limit });
      if (ctx.json) return ctx.printJson(items);
      if (items.length === 0) return io.out('no audit entries match\n');
      io.out(
        table(
          ['AT', 'ACTOR', 'ACTION', 'TARGET', 'AFFECTED', 'DETAIL'],
          items.map((a) => [time(a.at), a.actor, a.action, a.target, a.affected, detail(a.detail)]),
        ),
      );
    });
}
