import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import type { DryRun, ReplayJob, ReplayOutcome } from '../api-types';
import { CommandContext, contextOf } from '../context';
import { duration, fields, parseInstant, positiveInt } from '../format';
import { CliIo, UsageError } from '../io';
import { bookingOption, channelOption, flightOption, statusOption, typeOption } from './notifications';

interface ReplayOptions {
  force?: boolean;
  status?: string;
  type?: string;
  channel?: string;
  flight?: string;
  booking?: string;
  errorCode?: string;
  since?: string;
  until?: string;
  dryRun?: boolean;
  confirm?: number;
  wait: boolean;
  job?: string;
  cancel?: string;
  interval: number;
}

const HELP = `
A notification id replays that one notification; filters replay every notification they match, in the
background, with a progress bar until it is done (Ctrl-C stops watching, not the replay; --cancel stops
the replay). Without --status, a replay by filter takes failed notifications only. Only failed and
cancelled notifications are sent again, unless --force (then sent, delivered and read ones too); news
replaced by newer news about the same flight, passengers without consent on the channel any more, and
notifications another running replay holds are skipped: two replays never send one notification twice.
A replay of more than the service's BULK_CONFIRM_ABOVE (1000 by default) notifications needs --confirm
with their exact count: count first with --dry-run. Needs an operator token.

Examples:
  notifier replay 3f2b8c1e-5d7a-4e1b-9c2d-0a1b2c3d4e5f
  notifier replay --status failed --since 2h --dry-run
  notifier replay --channel whatsapp --error-code 131026 --since 2026-12-01T06:00:00Z --until 2026-12-01T09:00:00Z
  notifier replay --flight KL1234-2026-12-01 --type gate-change --force
  notifier replay --status failed --since 1d --confirm 1432        (the count a dry run showed)
  notifier replay --job 9d7c1a52-1f3e-4c0a-8b6e-2f4d5c6b7a8e      (watch a replay started earlier)
  notifier replay --cancel 9d7c1a52-1f3e-4c0a-8b6e-2f4d5c6b7a8e   (stop it; what was queued stays queued)
`;

export function replayCommand(io: CliIo): Command {
  return new Command('replay')
    .description('send notifications again: one by id, or all that match filters (with progress)')
    .argument('[id]', 'notification id (UUID) to replay alone')
    .option('--force', 'also replay notifications that were sent, delivered or read')
    .addOption(statusOption())
    .addOption(typeOption())
    .addOption(channelOption())
    .addOption(flightOption())
    .addOption(bookingOption())
    .option('--error-code <code>', "the provider's error code of the last failure")
    .option('--since <when>', 'created at or after: 30m, 2h, 1d, 1w back, or an RFC 3339 date-time')
    .option('--until <when>', 'created before: same forms as --since')
    .option('--dry-run', 'only count what the filters match')
    .option('--confirm <count>', 'the number of notifications the filters match, as --dry-run counted them (needed above the service\'s limit)', positiveInt('--confirm', 100_000_000))
    .option('--no-wait', 'start the replay and return at once, without the progress bar')
    .option('--job <replayId>', 'watch a replay by filter started earlier')
    .option('--cancel <replayId>', 'cancel a running replay by filter: nothing more of it is queued')
    .addOption(new Option('--interval <ms>', 'how often to poll progress').argParser(positiveInt('--interval', 60_000)).default(500).hideHelp())
    .addHelpText('after', HELP)
    .action(async (id: string | undefined, options: ReplayOptions, command: Command) => {
      const ctx = contextOf(command, io);
      const filters = {
        status: options.status,
        type: options.type,
        channel: options.channel,
        flight: options.flight,
        bookingReference: options.booking,
        errorCode: options.errorCode,
        since: options.since === undefined ? undefined : parseInstant(options.since, '--since'),
        until: options.until === undefined ? undefined : parseInstant(options.until, '--until'),
      };
      const filtered = Object.values(filters).some((v) => v !== undefined);
      if (options.cancel) {
        if (id || filtered || options.job) throw new UsageError('--cancel stops a replay started earlier; give no id, filters or --job with it');
        return cancel(ctx, options.cancel);
      }
      if (options.job) {
        if (id || filtered) throw new UsageError('--job watches a replay started earlier; give no id or filters with it');
        return watch(ctx, await ctx.api.get<ReplayJob>(`api/replays/${encodeURIComponent(options.job)}`), options.interval);
      }
      if (id) {
        if (filtered) throw new UsageError('give either a notification id or filters, not both');
        if (options.dryRun) throw new UsageError('--dry-run counts a replay by filters; to look at one notification use: notifier notifications show <id>');
        if (options.confirm !== undefined) throw new UsageError('--confirm confirms a replay by filters; one notification needs none');
        return replayOne(ctx, id, options.force ?? false);
      }
      if (!filtered) throw new UsageError('give a notification id, or at least one filter (for example --status failed --since 2h); see notifier replay --help');
      if (options.since && options.until && filters.since! >= filters.until!) throw new UsageError('--since must be before --until');
      const body = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      if (options.dryRun) {
        const dry = await ctx.api.post<DryRun>('api/replays', { ...body, dryRun: true });
        if (ctx.json) return ctx.printJson(dry);
        io.out(`dry run: ${dry.matched} notification${dry.matched === 1 ? '' : 's'} match; nothing was replayed\n`);
        if (dry.needsConfirmation) io.out(`that is more than the service replays unconfirmed; to go ahead add: --confirm ${dry.matched}\n`);
        return;
      }
      const job = await ctx.api.post<ReplayJob>('api/replays', {
        ...body,
        ...(options.force ? { force: true } : {}),
        ...(options.confirm !== undefined ? { confirm: options.confirm } : {}),
      });
      if (!options.wait) {
        if (ctx.json) return ctx.printJson(job);
        return io.out(`replay ${job.id} started: ${job.total} notifications match\nfollow it with: notifier replay --job ${job.id}\n`);
      }
      return watch(ctx, job, options.interval);
    });
}

async function replayOne(ctx: CommandContext, id: string, force: boolean): Promise<void> {
  const outcome = await ctx.api.post<ReplayOutcome>(`api/notifications/${encodeURIComponent(id)}/replay`, force ? { force: true } : {});
  if (ctx.json) return ctx.printJson(outcome);
  if (outcome.outcome === 'replayed') {
    ctx.io.out(`replayed ${id} (it was ${outcome.previousStatus}); it is queued to be sent again\n`);
  } else {
    ctx.io.out(`skipped ${id}: ${outcome.reason}\n`);
  }
}

async function cancel(ctx: CommandContext, replayId: string): Promise<void> {
  const job = await ctx.api.post<ReplayJob>(`api/replays/${encodeURIComponent(replayId)}/cancel`, {});
  if (ctx.json) return ctx.printJson(job);
  ctx.io.out(`replay ${job.id} cancelled: ${job.replayed} replayed and ${job.skipped} skipped of ${job.total}; nothing more of it is queued\n`);
}

/** Polls the job, drawing a progress bar on a terminal, and prints the summary once it is done. */
async function watch(ctx: CommandContext, started: ReplayJob, intervalMs: number): Promise<void> {
  const { io } = ctx;
  if (!ctx.json) io.out(`replay ${started.id}: ${started.total} notification${started.total === 1 ? '' : 's'} match\n`);
  const bar = new SingleBar({
    stream: io.progress,
    format: 'replaying [{bar}] {percentage}% | {value}/{total} | replayed {replayed}, skipped {skipped} | {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    barsize: 30,
    etaBuffer: 20,
  });
  bar.start(Math.max(started.total, 1), 0, { replayed: 0, skipped: 0 });
  let stopped = false;
  const interrupt = () => {
    stopped = true;
  };
  process.once('SIGINT', interrupt);
  let job = started;
  try {
    while (!stopped) {
      bar.setTotal(Math.max(job.total, 1));
      bar.update(job.replayed + job.skipped, { replayed: job.replayed, skipped: job.skipped });
      if (job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      job = await ctx.api.get<ReplayJob>(`api/replays/${encodeURIComponent(job.id)}`);
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    bar.stop();
  }
  if (ctx.json) return ctx.printJson(job);
  if (stopped) {
    io.out(`stopped watching; replay ${job.id} goes on in the service (${job.replayed + job.skipped}/${job.total} so far)\n`);
    io.out(`follow it again with: notifier replay --job ${job.id}\n`);
    return;
  }
  const took = job.finishedAt ? new Date(job.finishedAt).getTime() - new Date(job.createdAt).getTime() : 0;
  const ended = job.status === 'cancelled' ? `cancelled by ${job.cancelledBy ?? 'an operator'} after` : 'done in';
  io.out(`\nreplay ${job.id} ${ended} ${duration(Math.max(0, took))}\n`);
  io.out(
    fields([
      ['matched', job.total],
      ['replayed', `${job.replayed}  (queued to be sent again)`],
      ['skipped', `${job.skipped}  (not replayable: already sent without --force, superseded, no consent, held by another replay, …)`],
      ['by', job.requestedBy],
    ]),
  );
}
