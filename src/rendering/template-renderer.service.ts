import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { CHANNELS, type Channel, type NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { projectPath } from '../config/project-root';
import { htmlToText } from './html-text';
import { ContentCheckMemo } from './content-check-memo';
import { contentProblems } from './message-checks';
import { MessageCatalogs } from './message-catalogs';
import { ARG_CLOSE, ARG_OPEN, EMPHASIS_CLOSE, EMPHASIS_OPEN, composeMessage, marker, markedWords, type ComposedMessage, type MarkedWords } from './message-composer';
import { MESSAGE_DEFINITIONS } from './message-definitions';
import type { ArgumentValue } from './message-values';
import { messengerLanguage, messengerParameter } from './messenger-template-rules';
import type { RenderedContent, RenderedEmail, RenderedPush, RenderedText, TemplateForm, WhatsAppTemplateContent } from './rendered-content';
import { whatsappLanguage, whatsappParameter } from './whatsapp-template-rules';
import { renderWeChatForm, wechatMappingProblems } from './wechat-template-form';
import { loadWeChatTemplates, type WeChatTemplateMap } from './wechat-templates';

export interface TemplateRendererOptions {
  /** Folder holding the channel layouts: email.hbs, whatsapp.hbs, sms.hbs, messenger.hbs, wechat.hbs, push.hbs. */
  templatesDir: string;
  /** Folder holding catalogs/<locale>/<namespace>.json. */
  catalogsDir: string;
  /** Start-up refuses a catalog whose longest SMS would take more segments than this. */
  smsSegmentBudget: number;
  /** WeChat template ids and keyword mapping per type; config/wechat-templates.json when not given. */
  wechatTemplatesFile?: string;
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
  /** E-mail's buttons: the link's words and its URL (as an argument marker until the values go in). */
  buttons: { label: string; href: string }[];
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
 * (templates/<channel>.hbs, language-free) arranges them. WhatsApp and Messenger text is made from the same
 * template form the approved template has, so the free-form text and the template say the same.
 */
@Injectable()
export class TemplateRenderer implements OnModuleInit {
  private readonly logger = new Logger(TemplateRenderer.name);
  private readonly handlebars = Handlebars.create();
  private readonly catalogs: MessageCatalogs;
  private layouts: ReadonlyMap<Channel, Layout> | undefined;
  private wechatTemplates: WeChatTemplateMap | undefined;
  private readonly shapes = new Map<string, Prepared>();

  private readonly wechatTemplatesFile: string;

  constructor(private readonly options: TemplateRendererOptions) {
    this.wechatTemplatesFile = options.wechatTemplatesFile ?? projectPath('config/wechat-templates.json');
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
    this.wechatTemplates = loadWeChatTemplates(this.wechatTemplatesFile);
    const mapping = wechatMappingProblems(this.wechatTemplates, this.catalogs);
    if (mapping.length > 0) {
      this.layouts = undefined;
      throw new Error(`WeChat templates file ${this.wechatTemplatesFile} does not fit the definitions:\n  - ${mapping.join('\n  - ')}`);
    }
    // WhatsApp, Messenger, SMS, WeChat and push use every line a definition has (WeChat's template form every
    // fact; push the SMS lines under the subject); e-mail adds only the subject and detail rows, which the catalog
    // specs render for every combination.
    // The WeChat mapping decides WeChat's keyword values, so its contents are part of what the memo remembers.
    const wechatMapping = createHash('sha256').update(readFileSync(this.wechatTemplatesFile)).digest('hex');
    const memo = new ContentCheckMemo(
      [this.options.catalogsDir, this.options.templatesDir, __dirname],
      `sms budget ${this.options.smsSegmentBudget}; wechat templates ${wechatMapping}`,
    );
    if (!memo.passedBefore()) {
      const problems = contentProblems(
        (type, channel, locale, context) => this.render(type, channel, locale, context),
        this.catalogs,
        this.options.smsSegmentBudget,
        ['whatsapp', 'sms', 'messenger', 'wechat', 'push'],
      );
      if (problems.length > 0) {
        this.layouts = undefined;
        throw new Error(`Messages are not sendable as written:\n  - ${problems.slice(0, 50).join('\n  - ')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`);
      }
      memo.remember();
    }
    this.logger.log(`Loaded ${this.catalogs.locales().length} message catalogs (${this.catalogs.locales().join(', ')}) and ${layouts.size} layouts`);
  }

  messageCatalogs(): MessageCatalogs {
    return this.catalogs;
  }

  render(type: NotificationType, channel: 'email', locale: string, context: RenderContext): RenderedEmail;
  render(type: NotificationType, channel: 'whatsapp' | 'sms' | 'messenger' | 'wechat', locale: string, context: RenderContext): RenderedText;
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
        return { locale: catalogLocale, text: filledBody(prepared.template, parameters), whatsappTemplate: { ...prepared.template, parameters } };
      }
      if (prepared.kind === 'messenger') {
        const parameters = prepared.args.map((arg) => messengerParameter(plain(value(arg))));
        return { locale: catalogLocale, text: filledBody(prepared.template, parameters), messengerTemplate: { ...prepared.template, parameters } };
      }
      if (prepared.kind === 'text') {
        const text = fill(prepared.text, (arg) => plain(value(arg)));
        if (channel !== 'wechat') return { locale: catalogLocale, text };
        // What the passenger reads is the template form; the text is the same message for the timeline and previews.
        const wechatTemplate = renderWeChatForm(this.requireWeChatTemplates(), this.catalogs, type, locale, context);
        return { locale: catalogLocale, text, wechatTemplate };
      }
      if (prepared.kind === 'push') {
        // A title is one line on the lock screen: a line break from passenger data must not make two.
        return { locale: catalogLocale, subject: oneLine(fill(prepared.title, (arg) => plain(value(arg)))), text: fill(prepared.text, (arg) => plain(value(arg))) };
      }
      return {
        locale: catalogLocale,
        // The subject becomes a mail header: a line break from passenger data must not start a new header.
        subject: oneLine(fill(prepared.subject, (arg) => plain(value(arg)))),
        html: fill(prepared.html, (arg) => (LINK_ARGUMENTS.has(arg) ? linkTarget(value(arg)) : htmlValue(value(arg)))),
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
    // SMS and WeChat: plain text, no emphasis (neither shows any).
    if (channel === 'sms' || channel === 'wechat') return { kind: 'text', text: this.layout(channel, message, words, { emphasis: (t) => t }).trim() };
    // Push: the e-mail's subject line as the title, the SMS-length lines (templates/push.hbs) as the body.
    if (channel === 'push') return { kind: 'push', title: words.subject.replace(EMPHASIS, '$1'), text: this.layout('push', message, words, { emphasis: (t) => t }).trim() };
    if (channel === 'whatsapp') {
      const { args, body } = templateBody(this.layout('whatsapp', message, words, { emphasis: (t) => `*${t}*` }));
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
    if (channel === 'messenger') {
      // Messenger shows a text as written: emphasis is left out rather than sent as literal asterisks.
      const { args, body } = templateBody(this.layout('messenger', message, words, { emphasis: (t) => t }));
      const template = { name: templateName(message.shape.type, message.shape.facts, body), language: messengerLanguage(message.shape.catalogLocale), body, parameters: [] };
      return { kind: 'messenger', args, template };
    }
    // Flight codes, times and names keep their own direction inside right-to-left text.
    const isolate = message.dir === 'rtl' ? (text: string) => text.replace(MARKER, (m) => `<bdi>${m}</bdi>`) : (text: string) => text;
    const html = this.layout('email', message, words, { literal: (text) => isolate(escapeHtml(text)), emphasis: (t) => `<strong>${t}</strong>` });
    return { kind: 'email', subject: words.subject.replace(EMPHASIS, '$1'), html, text: htmlToText(html) };
  }

  private requireWeChatTemplates(): WeChatTemplateMap {
    if (!this.wechatTemplates) throw new Error('TemplateRenderer.load() has not run');
    return this.wechatTemplates;
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
      buttons: words.links.map((link) => ({ label: done(link.label).replace(EMPHASIS, '$1'), href: marker(link.arg) })),
      closing: done(words.closing),
      details: words.details.map((row) => ({ label: done(row.label), value: done(row.value) })),
      footer: done(words.footer),
    });
  }
}

type Prepared =
  | { kind: 'whatsapp'; args: string[]; template: WhatsAppTemplateContent }
  | { kind: 'messenger'; args: string[]; template: TemplateForm }
  | { kind: 'text'; text: string }
  | { kind: 'push'; title: string; text: string }
  | { kind: 'email'; subject: string; html: string; text: string };

/** The template form of a laid-out message: each argument becomes the next numbered parameter, in reading order. */
function templateBody(marked: string): { args: string[]; body: string } {
  const args: string[] = [];
  const body = marked.trim().replace(MARKER, (_m, arg: string) => {
    args.push(arg);
    return `{{${args.length}}}`;
  });
  return { args, body };
}

/** The text a template form shows once its parameters are in: the free-form text says exactly the same. */
function filledBody(template: TemplateForm, parameters: readonly string[]): string {
  return template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1]);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function fill(marked: string, value: (arg: string) => string): string {
  return marked.replace(MARKER, (_m, arg: string) => value(arg));
}

/**
 * Arguments that are links: e-mail puts them only in a button's href (templates/email.hbs), so the HTML shows the
 * button's words instead of a 2 kB URL; the text part shows the URL after the words.
 */
const LINK_ARGUMENTS = new Set(['googleWalletUrl', 'appleWalletUrl']);

/** A link's target, only http(s): anything else (javascript:, data:) has no place in a passenger's mail. */
function linkTarget(value: ArgumentValue): string {
  const url = String(value);
  if (!/^https?:\/\/[^\s"'<>]+$/.test(url)) throw new Error('a link must be an http(s) URL without spaces or quotes');
  return escapeHtml(url);
}

function htmlValue(value: ArgumentValue): string {
  return Array.isArray(value) ? value.map((item) => escapeHtml(item)).join('<br>') : escapeHtml(String(value));
}

/**
 * Named by what it tells and by its words: `flight_delay__delayed_gate__3f9a1c`. A change of wording
 * makes a new name, so a message is never sent under a template Meta approved with other words (WhatsApp
 * and Messenger alike: their bodies differ in emphasis, so their names differ too).
 */
export function templateName(type: NotificationType, facts: readonly string[], body: string): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 6);
  return [type.replace(/-/g, '_'), facts.join('_'), hash].filter(Boolean).join('__');
}

/** For unit tests and scripts that run without Nest. */
export function createTemplateRenderer(options: TemplateRendererOptions): TemplateRenderer {
  return new TemplateRenderer(options);
}
