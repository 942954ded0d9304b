import { Command, Option } from 'commander';
import { DELIVERY_CHANNELS, NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';
import type { NotificationDetail, NotificationPage } from '../api-types';
import { contextOf } from '../context';
import { detail, fields, positiveInt, table, time, whatsappTemplateLines } from '../format';
import type { CliIo } from '../io';

export const statusOption = () => new Option('--status <status>', 'notification status').choices(NOTIFICATION_STATUSES);
export const typeOption = () => new Option('--type <type>', 'notification type').choices(NOTIFICATION_TYPES);
export const channelOption = () => new Option('--channel <channel>', 'delivery channel').choices(DELIVERY_CHANNELS);
export const flightOption = () => new Option('--flight <flight>', 'flight key, e.g. KL1234-2026-12-01').argParser((v: string) => v.toUpperCase());
export const bookingOption = () => new Option('--booking <reference>', 'booking reference (PNR)').argParser((v: string) => v.toUpperCase());

interface ListOptions {
  status?: string;
  type?: string;
  channel?: string;
  flight?: string;
  booking?: string;
  passenger?: string;
  limit: number;
  cursor?: string;
}

export function notificationsCommand(io: CliIo): Command {
  const notifications = new Command('notifications').description('find notifications and read their timelines');

  notifications
    .command('list')
    .description('list notifications, newest first')
    .addOption(statusOption())
    .addOption(typeOption())
    .addOption(channelOption())
    .addOption(flightOption())
    .addOption(bookingOption())
    .option('--passenger <id>', 'passenger id (with --booking)')
    .option('--limit <n>', 'how many (1-500)', positiveInt('--limit', 500), 50)
    .option('--cursor <cursor>', 'continue after a previous page (printed at its end)')
    .addHelpText('after', '\nExamples:\n  notifier notifications list --status failed --channel whatsapp\n  notifier notifications list --flight KL1234-2026-12-01 --limit 200\n')
    .action(async (options: ListOptions, command: Command) => {
      const ctx = contextOf(command, io);
      const page = await ctx.api.get<NotificationPage>('api/notifications', {
        status: options.status,
        type: options.type,
        channel: options.channel,
        flight: options.flight,
        bookingReference: options.booking,
        passengerId: options.passenger,
        limit: options.limit,
        cursor: options.cursor,
      });
      if (ctx.json) return ctx.printJson(page);
      if (page.items.length === 0) return io.out('no notifications match\n');
      io.out(
        table(
          ['CREATED', 'ID', 'TYPE', 'CHANNEL', 'STATUS', 'BOOKING', 'PAX', 'FLIGHT'],
          page.items.map((n) => [time(n.createdAt), n.id, n.type, n.channel, n.status, n.bookingReference, n.passengerId, n.flight]),
        ),
      );
      io.out(`${page.items.length} shown${page.nextCursor ? `; more with --cursor ${page.nextCursor}` : ''}\n`);
    });

  notifications
    .command('show')
    .description('one notification: recipient, status, last error, content, attachments and its timeline')
    .argument('<id>', 'notification id (UUID)')
    .addHelpText('after', '\nExample:\n  notifier notifications show 3f2b8c1e-5d7a-4e1b-9c2d-0a1b2c3d4e5f\n')
    .action(async (id: string, _options: object, command: Command) => {
      const ctx = contextOf(command, io);
      const n = await ctx.api.get<NotificationDetail>(`api/notifications/${encodeURIComponent(id)}`);
      if (ctx.json) return ctx.printJson(n);
      io.out(
        fields([
          ['id', n.id],
          ['type', n.type],
          ['channel', n.channel],
          ['status', n.status],
          ['booking', `${n.bookingReference} passenger ${n.passengerId}`],
          ['flight', n.flight],
          ['recipient', n.recipient],
          ['locale', n.locale],
          ['attempts', n.attempts],
          ['provider id', n.providerMessageId],
          ['last error', n.lastError ? `${n.lastError.code}: ${n.lastError.message ?? ''}` : null],
          ['created', time(n.createdAt)],
          ['updated', time(n.updatedAt)],
        ]),
      );
      if (n.content) {
        io.out(`\ncontent (${n.content.locale}):\n`);
        if (n.content.subject) io.out(`  Subject: ${n.content.subject}\n`);
        if (n.content.whatsappTemplate) io.out(`${whatsappTemplateLines(n.content.whatsappTemplate)}  text (the template with its parameters):\n`);
        io.out(`${n.content.text.replace(/^/gm, '  ')}\n`);
      }
      if (n.attachments.length) {
        io.out('\nattachments:\n');
        for (const a of n.attachments) io.out(`  ${a.name}  ${a.contentType}  ${a.url}\n`);
      }
      io.out('\ntimeline:\n');
      io.out(table(['AT', 'WHAT', 'DETAIL'], n.timeline.map((t) => [time(t.at), t.kind, detail(t.detail)])));
    });

  return notifications;
}
