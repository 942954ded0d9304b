import { Argument, Command, Option } from 'commander';
import type { NotificationPreviewDto, TemplateCatalogDto, TemplatePreviewDto } from '../../ops/templates/templates.responses';
import { CHANNELS, NOTIFICATION_TYPES } from '../../vocabulary/notification-types';
import { contextOf } from '../context';
import { fields, table } from '../format';
import { UsageError, type CliIo } from '../io';

/** `notifier templates`: what the service can say — types, channels, catalogs — and per type its WhatsApp templates. */
export function templatesCommand(io: CliIo): Command {
  return new Command('templates')
    .description('list the notification types, channels and catalogs the service loaded; with --type, its fact combinations and WhatsApp template names')
    .addOption(new Option('--type <type>', 'show this type’s combinations of facts and their WhatsApp templates').choices(NOTIFICATION_TYPES))
    .option('--locale <locale>', 'with --type: the catalog whose WhatsApp template names to show', 'en')
    .addHelpText('after', '\nExamples:\n  notifier templates\n  notifier templates --type flight-delay --locale ja\n')
    .action(async (options: { type?: string; locale: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const list = await ctx.api.get<TemplateCatalogDto>('api/templates');
      if (ctx.json) return ctx.printJson(list);
      if (options.type) {
        const template = list.templates.find((t) => t.type === options.type);
        if (!list.locales.some((l) => l.code === options.locale)) {
          throw new UsageError(`--locale must be one of the catalogs: ${list.locales.map((l) => l.code).join(', ')}`);
        }
        const rows = (template?.combinations ?? []).map((c) => {
          const whatsapp = c.whatsapp.find((w) => w.locale === options.locale);
          return [c.facts.join(', ') || '(none)', whatsapp?.name, whatsapp?.language];
        });
        return io.out(table(['FACTS', 'WHATSAPP TEMPLATE', 'LANGUAGE'], rows));
      }
      io.out(
        fields([
          ['channels', list.channels.join(', ')],
          ['catalogs', list.locales.map((l) => `${l.code} (${l.name}${l.dir === 'rtl' ? ', rtl' : ''})`).join(', ')],
          ['sms budget', `${list.smsSegmentBudget} segments`],
        ]),
      );
      io.out('\n');
      io.out(
        table(
          ['TYPE', 'COMBINATIONS', 'OPTIONAL FACTS'],
          list.templates.map((t) => [t.type, t.combinations.length, t.lines.filter((l) => l.optional).map((l) => l.fact).join(', ')]),
        ),
      );
    });
}

interface PreviewOptions {
  facts?: string;
  notification?: string;
  locale?: string;
  channel?: string;
  html?: boolean;
}

/** `notifier preview`: one type × channel × catalog for sample facts, or a stored notification in another language. */
export function previewCommand(io: CliIo): Command {
  return new Command('preview')
    .description('render a type for a channel in a catalog with sample facts, or a sent notification in another language or channel; nothing is sent')
    .addArgument(new Argument('[type]', 'notification type').choices(NOTIFICATION_TYPES))
    .addArgument(new Argument('[channel]', 'passenger channel').choices(CHANNELS))
    .argument('[locale]', 'a catalog, e.g. ja or pt-PT (notifier templates lists them)')
    .option('--facts <facts>', 'a combination of optional facts, e.g. delayed,gate (empty for none); default: the one telling the most')
    .option('--notification <id>', 'a notification to render again from its stored facts, instead of sample ones')
    .option('--locale <locale>', "with --notification: the catalog (default: the notification's own locale)")
    .addOption(new Option('--channel <channel>', "with --notification: the channel (default: the notification's own)").choices(CHANNELS))
    .option('--html', 'e-mail: print the HTML body only (to save or open in a browser)')
    .addHelpText(
      'after',
      '\nExamples:\n  notifier preview flight-delay whatsapp ja --facts delayed,gate\n  notifier preview flight-delay email ar --html > delay-ar.html\n' +
        '  notifier preview --notification <id> --locale ko --channel sms\n',
    )
    .action(async (type: string | undefined, channel: string | undefined, locale: string | undefined, options: PreviewOptions, command: Command) => {
      const ctx = contextOf(command, io);
      let preview: TemplatePreviewDto | NotificationPreviewDto;
      if (options.notification) {
        if (type || channel || locale || options.facts !== undefined) {
          throw new UsageError('with --notification give --locale and --channel as options, not a type, channel, locale or --facts');
        }
        preview = await ctx.api.get<NotificationPreviewDto>(`api/notifications/${encodeURIComponent(options.notification)}/preview`, {
          locale: options.locale,
          channel: options.channel,
        });
      } else {
        if (!type || !channel || !locale) throw new UsageError('give a type, a channel and a locale (or --notification <id>)');
        if (options.locale || options.channel) throw new UsageError('--locale and --channel go with --notification; give them as arguments here');
        preview = await ctx.api.get<TemplatePreviewDto>(`api/templates/${type}/${channel}/${encodeURIComponent(locale)}/preview`, { facts: options.facts });
      }
      if (ctx.json) return ctx.printJson(preview);
      if (options.html) return io.out(preview.content.html ? `${preview.content.html}\n` : 'no HTML: only e-mail has an HTML body\n');
      io.out(describe(preview));
    });
}

function describe(p: TemplatePreviewDto | NotificationPreviewDto): string {
  const lines: string[] = [];
  const indent = (text: string) => text.replace(/^/gm, '  ');
  const head = `${p.type} · ${p.channel} · ${p.locale} (catalog ${p.content.locale}, ${p.dir}) · facts: ${p.facts.join(', ') || 'none'}`;
  lines.push('notificationId' in p ? `notification ${p.notificationId} (sent as ${p.sentChannel} in ${p.sentLocale})\n${head}` : head);
  if (p.content.subject) lines.push(`subject:  ${p.content.subject}`);
  const template = p.content.whatsappTemplate;
  if (template) {
    lines.push(`template: ${template.name} (${template.language})${template.header ? `, ${template.header} header` : ''}`);
    lines.push('body:', indent(template.body));
    lines.push('parameters:', ...template.parameters.map((value, i) => `  {{${i + 1}}} ${value}`));
  }
  if (p.sms) lines.push(`sms:      ${p.sms.segments} ${p.sms.encoding} segment(s), budget ${p.sms.budget}`);
  lines.push(p.content.html ? 'text (plain-text part; --html for the HTML):' : 'text:', indent(p.content.text));
  return `${lines.join('\n')}\n`;
}
