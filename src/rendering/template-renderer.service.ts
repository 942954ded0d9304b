import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { CHANNELS, type Channel, type NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { htmlToText } from './html-text';
import { contentProblems } from './message-checks';
import { MessageCatalogs } from './message-catalogs';
import { ARG_CLOSE, ARG_OPEN, EMPHASIS_CLOSE, EMPHASIS_OPEN, composeMessage, markedWords, type ComposedMessage, type MarkedWords } from './message-composer';
import { MESSAGE_DEFINITIONS } from './message-definitions';
import type { ArgumentValue } from './message-values';
import type { RenderedContent, RenderedEmail, RenderedPush, RenderedText, WhatsAppTemplateContent } from './rendered-content';
import { whatsappLanguage, whatsappParameter } from './whatsapp-template-rules';

export interface TemplateRendererOptions {
  /** Folder holding the channel layouts: email.hbs, whatsapp.hbs, sms.hbs, push.hbs. */
  templatesDir: string;
  /** Folder holding catalogs/<locale>/<namespace>.json. */
  catalogsDir: string;
  /** Start-up refuses a catalog whose longest SMS would take more segments than this. */
  smsSegmentBudget: number;
}

type Layout = Handlebars.TemplateDelegate<LayoutData>;
interface LayoutData {
  lang: string;
  dir: 'ltr' | 'rtl';
  start: 'left' | 'right';
  labelPadding: string;
  subject: string;
  greeting: string;
  lines: string[];
  closing: string;
  details: { label: string; value: string }[];
  footer: string;
}

const MARKER = new RegExp(`${ARG_OPEN}([A-Za-z0-9_]+)${ARG_CLOSE}`, 'g');
const EMPHASIS = new RegExp(`${EMPHASIS_OPEN}([\\s\\S]*?)${EMPHASIS_CLOSE}`, 'g');
const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
const plain = (value: ArgumentValue) => (Array.isArray(value) ? value.join('; ') : String(value));

/**
 * Renders a notification for a channel: its definition (src/rendering/message-definitions.ts) says
 * which facts it tells, the catalog of the passenger's language words them, and the channel's layout
 * (templates/<channel>.hbs, language-free) arranges them. WhatsApp text is made from the same template
 * form the approved WhatsApp template has, so the free-form text and the template say the same.
 */
@Injectable()
export class TemplateRenderer implements OnModuleInit {
  private readonly logger = new Logger(TemplateRenderer.name);
  private readonly handlebars = Handlebars.create();
  private readonly catalogs: MessageCatalogs;
  private layouts: ReadonlyMap<Channel, Layout> | undefined;
  private readonly shapes = new Map<string, Prepared>();

  constructor(private readonly options: TemplateRendererOptions) {
    this.catalogs = new MessageCatalogs(options.catalogsDir);
  }

  onModuleInit(): void {
    this.load();
  }

  /** Reads the catalogs and layouts; throws one error listing every problem, so start-up fails. */
  load(): void {
    this.catalogs.load();
    const layouts = new Map<Channel, Layout>();
    for (const channel of CHANNELS) {
      const file = join(this.options.templatesDir, `${channel}.hbs`);
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const options = { strict: true, noEscape: channel !== 'email', knownHelpers: {}, knownHelpersOnly: true };
      try {
        this.handlebars.precompile(source, options);
      } catch (error) {
        throw new Error(`Layout ${file} does not compile: ${(error as Error).message}`);
      }
      layouts.set(channel, this.handlebars.compile<LayoutData>(source, options));
    }
    this.layouts = layouts;
    this.shapes.clear();
    // WhatsApp and SMS use every line a definition has; e-mail adds only the subject and detail rows, and push
    // is the subject and the SMS lines, which the renderer's spec renders for every combination (start-up time).
    const problems = contentProblems((type, channel, locale, context) => this.render(type, channel, locale, context), this.catalogs, this.options.smsSegmentBudget, ['whatsapp', 'sms']);
    if (problems.length > 0) {
      this.layouts = undefined;
      throw new Error(`Messages are not sendable as written:\n  - ${problems.slice(0, 50).join('\n  - ')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`);
    }
    this.logger.log(`Loaded ${this.catalogs.locales().length} message catalogs (${this.catalogs.locales().join(', ')}) and ${layouts.size} layouts`);
  }

  messageCatalogs(): MessageCatalogs {
    return this.catalogs;
  }

  render(type: NotificationType, channel: 'email', locale: string, context: RenderContext): RenderedEmail;
  render(type: NotificationType, channel: 'whatsapp' | 'sms', locale: string, context: RenderContext): RenderedText;
  render(type: NotificationType, channel: 'push', locale: string, context: RenderContext): RenderedPush;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent {
    try {
      const message = composeMessage(this.catalogs, type, locale, context, channel);
      const prepared = this.prepared(channel, message);
      const value = (arg: string): ArgumentValue => {
        const found = message.value(arg);
        if (found === undefined) throw new Error(`{${arg}} is needed by the message but this notification has no value for it`);
        return found;
      };
      const catalogLocale = message.shape.catalogLocale;
      if (prepared.kind === 'whatsapp') {
        const parameters = prepared.args.map((arg) => whatsappParameter(plain(value(arg))));
        const text = prepared.template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1]);
        return { locale: catalogLocale, text, whatsappTemplate: { ...prepared.template, parameters } };
      }
      if (prepared.kind === 'sms') return { locale: catalogLocale, text: fill(prepared.text, (arg) => plain(value(arg))) };
      if (prepared.kind === 'push') {
        // A title is one line on the lock screen: a line break from passenger data must not make two.
        return { locale: catalogLocale, subject: oneLine(fill(prepared.title, (arg) => plain(value(arg)))), text: fill(prepared.text, (arg) => plain(value(arg))) };
      }
      return {
        locale: catalogLocale,
        // The subject becomes a mail header: a line break from passenger data must not start a new header.
        subject: oneLine(fill(prepared.subject, (arg) => plain(value(arg)))),
        html: fill(prepared.html, (arg) => htmlValue(value(arg))),
        text: fill(prepared.text, (arg) => plain(value(arg))),
      };
    } catch (error) {
      throw new Error(`Rendering ${type} for ${channel} in ${locale} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * The words of a shape in a channel's layout, made once: notifications of the same shape differ only
   * in their argument values, which render() puts in. Bounded by the definitions (types × shapes × catalogs).
   */
  private prepared(channel: Channel, message: ComposedMessage): Prepared {
    const key = `${channel}|${message.shape.catalogLocale}|${message.shape.type}|${message.shape.id}`;
    let found = this.shapes.get(key);
    if (!found) {
      found = this.prepare(channel, message);
      this.shapes.set(key, found);
    }
    return found;
  }

  private prepare(channel: Channel, message: ComposedMessage): Prepared {
    const words = markedWords(this.catalogs, message.shape, channel);
    if (channel === 'sms') return { kind: 'sms', text: this.layout('sms', message, words, { emphasis: (t) => t }).trim() };
    // Push: the e-mail's subject line as the title, the SMS-length lines (templates/push.hbs) as the body.
    if (channel === 'push') return { kind: 'push', title: words.subject.replace(EMPHASIS, '$1'), text: this.layout('push', message, words, { emphasis: (t) => t }).trim() };
    if (channel === 'whatsapp') {
      // The template form: each argument becomes the next numbered parameter, in reading order.
      const marked = this.layout('whatsapp', message, words, { emphasis: (t) => `*${t}*` }).trim();
      const args: string[] = [];
      const body = marked.replace(MARKER, (_m, arg: string) => {
        args.push(arg);
        return `{{${args.length}}}`;
      });
      const definition = MESSAGE_DEFINITIONS[message.shape.type];
      return {
        kind: 'whatsapp',
        args,
        template: {
          name: templateName(message.shape.type, message.shape.facts, body),
          language: whatsappLanguage(message.shape.catalogLocale),
          body,
          parameters: [],
          ...(definition.document ? { header: 'document' as const } : {}),
        },
      };
    }
    // Flight codes, times and names keep their own direction inside right-to-left text.
    const isolate = message.dir === 'rtl' ? (text: string) => text.replace(MARKER, (m) => `<bdi>${m}</bdi>`) : (text: string) => text;
    const html = this.layout('email', message, words, { literal: (text) => isolate(escapeHtml(text)), emphasis: (t) => `<strong>${t}</strong>` });
    return { kind: 'email', subject: words.subject.replace(EMPHASIS, '$1'), html, text: htmlToText(html) };
  }

  private layout(channel: Channel, message: ComposedMessage, words: MarkedWords, style: { literal?: (text: string) => string; emphasis: (text: string) => string }): string {
    const layout = this.layouts?.get(channel);
    if (!layout) throw new Error('TemplateRenderer.load() has not run');
    const done = (text: string) => (style.literal ? style.literal(text) : text).replace(EMPHASIS, (_m, inner: string) => style.emphasis(inner));
    const rtl = message.dir === 'rtl';
    return layout({
      lang: message.shape.catalogLocale,
      dir: message.dir,
      start: rtl ? 'right' : 'left',
      labelPadding: rtl ? '4px 0 4px 16px' : '4px 16px 4px 0',
      subject: words.subject.replace(EMPHASIS, '$1'),
      greeting: done(words.greeting),
      lines: words.lines.map(done),
      closing: done(words.closing),
      details: words.details.map((row) => ({ label: done(row.label), value: done(row.value) })),
      footer: done(words.footer),
    });
  }
}

type Prepared =
  | { kind: 'whatsapp'; args: string[]; template: WhatsAppTemplateContent }
  | { kind: 'sms'; text: string }
  | { kind: 'push'; title: string; text: string }
  | { kind: 'email'; subject: string; html: string; text: string };

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function fill(marked: string, value: (arg: string) => string): string {
  return marked.replace(MARKER, (_m, arg: string) => value(arg));
}

function htmlValue(value: ArgumentValue): string {
  return Array.isArray(value) ? value.map((item) => escapeHtml(item)).join('<br>') : escapeHtml(String(value));
}

/**
 * Named by what it tells and by its words: `flight_delay__delayed_gate__3f9a1c`. A change of wording
 * makes a new name, so a message is never sent under a template Meta approved with other words.
 */
export function templateName(type: NotificationType, facts: readonly string[], body: string): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 6);
  return [type.replace(/-/g, '_'), facts.join('_'), hash].filter(Boolean).join('__');
}

/** For unit tests and scripts that run without Nest. */
export function createTemplateRenderer(options: TemplateRendererOptions): TemplateRenderer {
  return new TemplateRenderer(options);
}
