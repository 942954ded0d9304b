import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { CHANNELS, type Channel, type NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { htmlToText } from './html-text';
import { MessageCatalogs } from './message-catalogs';
import { ARG_CLOSE, ARG_OPEN, composeMessage, finish, type ComposedMessage } from './message-composer';
import { MESSAGE_DEFINITIONS } from './message-definitions';
import type { ArgumentValue } from './message-values';
import type { RenderedContent, RenderedEmail, RenderedText, WhatsAppTemplateContent } from './rendered-content';
import { whatsappLanguage, whatsappParameter } from './whatsapp-template-rules';

export interface TemplateRendererOptions {
  /** Folder holding the channel layouts: email.hbs, whatsapp.hbs, sms.hbs. */
  templatesDir: string;
  /** Folder holding catalogs/<locale>/<namespace>.json. */
  catalogsDir: string;
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

const MARKER = new RegExp(`${ARG_OPEN}(\\d+)${ARG_CLOSE}`, 'g');
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
    this.logger.log(`Loaded ${this.catalogs.locales().length} message catalogs (${this.catalogs.locales().join(', ')}) and ${layouts.size} layouts`);
  }

  messageCatalogs(): MessageCatalogs {
    return this.catalogs;
  }

  render(type: NotificationType, channel: 'email', locale: string, context: RenderContext): RenderedEmail;
  render(type: NotificationType, channel: 'whatsapp' | 'sms', locale: string, context: RenderContext): RenderedText;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent {
    try {
      const message = composeMessage(this.catalogs, type, locale, context, channel);
      if (channel === 'whatsapp') return this.renderWhatsApp(message);
      if (channel === 'email') return this.renderEmail(message);
      const text = this.layout('sms', message, { value: (v) => plain(v), emphasis: (t) => t }).trim();
      return { locale: message.catalogLocale, text };
    } catch (error) {
      throw new Error(`Rendering ${type} for ${channel} in ${locale} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private renderEmail(message: ComposedMessage): RenderedEmail {
    const rtl = message.dir === 'rtl';
    // Flight codes, times and names keep their own direction inside right-to-left text.
    const value = (v: ArgumentValue) => {
      const html = Array.isArray(v) ? v.map((item) => escapeHtml(item)).join('<br>') : escapeHtml(String(v));
      return rtl ? `<bdi>${html}</bdi>` : html;
    };
    const html = this.layout('email', message, { literal: escapeHtml, value, emphasis: (t) => `<strong>${t}</strong>` });
    // The subject becomes a mail header: a line break from passenger data must not start a new header.
    const subject = finish(message.subject, message.values, { value: plain, emphasis: (t) => t }).replace(/\s+/g, ' ').trim();
    return { locale: message.catalogLocale, subject, html, text: htmlToText(html) };
  }

  /**
   * The template form first (arguments as {{1}} … {{n}}), then the text it makes with its parameters:
   * the free-form message inside the 24-hour window and the template outside it carry the same words.
   */
  private renderWhatsApp(message: ComposedMessage): RenderedText {
    const marked = this.layout('whatsapp', message, { value: (_v, index) => `${ARG_OPEN}${index}${ARG_CLOSE}`, emphasis: (t) => `*${t}*` }).trim();
    const parameters: string[] = [];
    const body = marked.replace(MARKER, (_m, index: string) => {
      parameters.push(whatsappParameter(plain(message.values[Number(index)])));
      return `{{${parameters.length}}}`;
    });
    const text = body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1]);
    const definition = MESSAGE_DEFINITIONS[message.type];
    const template: WhatsAppTemplateContent = {
      name: templateName(message.type, message.facts, body),
      language: whatsappLanguage(message.catalogLocale),
      body,
      parameters,
      ...(definition.document ? { header: 'document' as const } : {}),
    };
    return { locale: message.catalogLocale, text, whatsappTemplate: template };
  }

  private layout(
    channel: Channel,
    message: ComposedMessage,
    style: { literal?: (text: string) => string; value: (value: ArgumentValue, index: number) => string; emphasis: (text: string) => string },
  ): string {
    const layout = this.layouts?.get(channel);
    if (!layout) throw new Error('TemplateRenderer.load() has not run');
    const done = (text: string) => finish(text, message.values, style);
    const rtl = message.dir === 'rtl';
    return layout({
      lang: message.catalogLocale,
      dir: message.dir,
      start: rtl ? 'right' : 'left',
      labelPadding: rtl ? '4px 0 4px 16px' : '4px 16px 4px 0',
      subject: finish(message.subject, message.values, { value: plain, emphasis: (t) => t }),
      greeting: done(message.greeting),
      lines: message.lines.map((line) => done(line.text)),
      closing: done(message.closing),
      details: message.details.map((row) => ({ label: done(row.label), value: done(row.value) })),
      footer: done(message.footer),
    });
  }
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
