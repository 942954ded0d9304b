import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { DeadLetter, DryRun, RedriveOutcome, RedriveSummary } from '../api-types';
import { contextOf } from '../context';
import { positiveInt, table, time } from '../format';
import { CliIo, UsageError } from '../io';

interface ListOptions {
  open?: boolean;
  redriven?: boolean;
  reasonCode?: string;
  type?: string;
  limit: number;
}

interface RedriveOptions {
  reasonCode?: string;
  type?: string;
  all?: boolean;
  event?: string;
  dryRun?: boolean;
  confirm?: number;
}

export function deadLettersCommand(io: CliIo): Command {
  const deadLetters = new Command('dead-letters').description('parked events: list them, re-drive them after a fix');

  deadLetters
    .command('list')
    .description('parked events with the reason each was parked, newest first')
    .option('--open', 'only those not re-driven yet')
    .option('--redriven', 'only those re-driven already')
    .option('--reason-code <code>', 'e.g. unknown-reference, bad-data, bad-json, unknown-type, processing-failed')
    .option('--type <type>', 'CloudEvent type, e.g. checkin.completed')
    .option('--limit <n>', 'how many (1-1000)', positiveInt('--limit', 1000), 100)
    .addHelpText('after', '\nExample:\n  notifier dead-letters list --open --reason-code unknown-reference\n')
    .action(async (options: ListOptions, command: Command) => {
      const ctx = contextOf(command, io);
      if (options.open && options.redriven) throw new UsageError('give --open or --redriven, not both');
      const { items } = await ctx.api.get<{ items: DeadLetter[] }>('api/dead-letters', {
        open: options.open ? true : options.redriven ? false : undefined,
        reasonCode: options.reasonCode,
        type: options.type,
        limit: options.limit,
      });
      if (ctx.json) return ctx.printJson(items);
      if (items.length === 0) return io.out('no dead letters match\n');
      io.out(
        table(
          ['PARKED', 'ID', 'REASON CODE', 'TYPE', 'RE-DRIVEN', 'REASON'],
          items.map((d) => [time(d.parkedAt), d.id, d.reasonCode, d.type, d.redrivenAt ? time(d.redrivenAt) : 'no', d.reason]),
        ),
      );
    });

  deadLetters
    .command('redrive')
    .description('put a parked event (or all open ones matching filters) through validation and processing again')
    .argument('[id]', 'dead letter id (UUID)')
    .option('--reason-code <code>', 're-drive every open dead letter parked for this reason')
    .option('--type <type>', 're-drive every open dead letter of this CloudEvent type')
    .option('--all', 're-drive every open dead letter (needed when no --reason-code or --type is given)')
    .option('--event <file>', 'with an id: a corrected event (JSON file) to process instead of the parked bytes')
    .option('--dry-run', 'only count the open dead letters that match')
    .option('--confirm <count>', "the number that match, as --dry-run counted them (needed above the service's limit)", positiveInt('--confirm', 100_000_000))
    .addHelpText(
      'after',
      '\nAn event that is still broken is parked again with its new reason; one whose re-drive fails (the database,\n' +
        'say) stays open, and re-driving it again is safe. Re-driving more than the service\'s BULK_CONFIRM_ABOVE\n' +
        '(1000 by default) at once needs --confirm with their exact count. Needs an operator token.\n\nExamples:\n' +
        '  notifier dead-letters redrive 0b7f3c2a-9e1d-4f5b-8a6c-7d8e9f0a1b2c\n' +
        '  notifier dead-letters redrive 0b7f3c2a-9e1d-4f5b-8a6c-7d8e9f0a1b2c --event fixed.json\n' +
        '  notifier dead-letters redrive --reason-code unknown-reference\n' +
        '  notifier dead-letters redrive --all --dry-run\n',
    )
    .action(async (id: string | undefined, options: RedriveOptions, command: Command) => {
      const ctx = contextOf(command, io);
      const bulk = options.reasonCode !== undefined || options.type !== undefined || options.all === true;
      if (id) {
        if (bulk) throw new UsageError('give either a dead letter id or --reason-code/--type/--all, not both');
        if (options.dryRun || options.confirm !== undefined) throw new UsageError('--dry-run and --confirm go with --reason-code, --type or --all');
        const event = options.event ? await readEvent(options.event) : undefined;
        const outcome = await ctx.api.post<RedriveOutcome>(`api/dead-letters/${encodeURIComponent(id)}/redrive`, event ? { event } : {});
        if (ctx.json) return ctx.printJson(outcome);
        return io.out(`${id}: ${describe(outcome)}\n`);
      }
      if (!bulk) throw new UsageError('give a dead letter id, or --reason-code, --type or --all; see notifier dead-letters redrive --help');
      if (options.event) throw new UsageError('--event corrects one dead letter; give its id');
      if (options.all && (options.reasonCode !== undefined || options.type !== undefined)) {
        throw new UsageError('--all re-drives every open dead letter; give it without --reason-code or --type');
      }
      const selection = options.all ? { all: true } : { reasonCode: options.reasonCode, type: options.type };
      if (options.dryRun) {
        const dry = await ctx.api.post<DryRun>('api/dead-letters/redrive', { ...selection, dryRun: true });
        if (ctx.json) return ctx.printJson(dry);
        io.out(`dry run: ${dry.matched} open dead letter${dry.matched === 1 ? '' : 's'} match; nothing was re-driven\n`);
        if (dry.needsConfirmation) io.out(`that is more than the service re-drives unconfirmed; to go ahead add: --confirm ${dry.matched}\n`);
        return;
      }
      const result = await ctx.api.post<RedriveSummary>('api/dead-letters/redrive', {
        ...selection,
        ...(options.confirm !== undefined ? { confirm: options.confirm } : {}),
      });
      if (ctx.json) return ctx.printJson(result);
      const parts = Object.entries(result.outcomes).map(([kind, n]) => `${n} ${kind}`);
      io.out(`re-drove ${result.total} dead letter${result.total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}\n`);
    });

  return deadLetters;
}

function describe(outcome: RedriveOutcome): string {
  switch (outcome.kind) {
    case 'applied':
      return `applied (${outcome.type}, ${outcome.notifications} notification${outcome.notifications === 1 ? '' : 's'} planned)`;
    case 'duplicate':
      return `already processed before (${outcome.type}); nothing to do`;
    case 'parked':
      return `still broken, parked again: ${outcome.reasonCode}: ${outcome.reason}`;
    case 'skipped':
      return `skipped: ${outcome.reason}`;
  }
}

async function readEvent(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  });
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new UsageError(`${file} must hold one JSON object (the corrected CloudEvent)`);
}
