import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import {
  CHANNELS,
  NOTIFICATION_TYPES,
  isChannel,
  isNotificationType,
  type Channel,
  type NotificationType,
} from '../vocabulary/notification-types';
import { htmlToText } from './html-text';
import { DEFAULT_LOCALE, canonicalLocale, localeChain } from './locale-fallback';
import type { RenderContext } from '../vocabulary/render-context';
import type { RenderedContent, RenderedEmail, RenderedText } from './rendered-content';
import { TEMPLATE_HELPERS } from './template-helpers';

export interface TemplateRendererOptions {
  /** Folder holding <notification-type>/<channel>.<locale>.hbs. */
  templatesDir: string;
}

/** One loaded template file, for diagnostics. */
export interface LoadedTemplate {
  type: NotificationType;
  channel: Channel;
  locale: string;
  /** Path relative to the templates folder. */
  file: string;
}

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;
type Template = Handlebars.TemplateDelegate<RenderContext>;

interface CompiledTemplate extends LoadedTemplate {
  body: Template;
  /** E-mail only. */
  subject?: Template;
}

const FILE_NAME = /^([a-z]+)\.([A-Za-z0-9_-]+)\.hbs$/;
const EMAIL_FILE = /^Subject:[ \t]*(\S[^\r\n]*)\r?\n[ \t]*\r?\n([\s\S]*)$/;

@Injectable()
export class TemplateRenderer implements OnModuleInit {
  private readonly logger = new Logger(TemplateRenderer.name);
  private readonly templatesDir: string;
  // A private instance: helpers registered here cannot leak into, or be overridden by, other code.
  private readonly handlebars = Handlebars.create();
  private templates: ReadonlyMap<string, CompiledTemplate> | undefined;

  constructor(options: TemplateRendererOptions) {
    this.templatesDir = options.templatesDir;
    this.handlebars.registerHelper({ ...TEMPLATE_HELPERS });
  }

  onModuleInit(): void {
    this.load();
  }

  /** Reads and compiles every template; throws one error listing every problem, so start-up fails. */
  load(): void {
    const templates = new Map<string, CompiledTemplate>();
    const problems: string[] = [];
    for (const typeDir of listEntries(this.templatesDir)) {
      if (!typeDir.isDirectory() || !isNotificationType(typeDir.name)) {
        problems.push(`${typeDir.name}: not a notification type folder (expected one of ${NOTIFICATION_TYPES.join(', ')})`);
        continue;
      }
      for (const entry of listEntries(join(this.templatesDir, typeDir.name))) {
        const file = `${typeDir.name}/${entry.name}`;
        try {
          const template = this.compileFile(typeDir.name, entry.name, entry.isFile());
          const key = templateKey(template.type, template.channel, template.locale);
          if (templates.has(key)) throw new Error(`same template as ${templates.get(key)?.file}`);
          templates.set(key, template);
        } catch (error) {
          problems.push(`${file}: ${errorMessage(error)}`);
        }
      }
    }
    for (const type of NOTIFICATION_TYPES) {
      for (const channel of CHANNELS) {
        if (!templates.has(templateKey(type, channel, DEFAULT_LOCALE))) {
          problems.push(`${type}/${channel}.${DEFAULT_LOCALE}.hbs: missing (type ${type}, channel ${channel} has no English template)`);
        }
      }
    }
    if (problems.length > 0) {
      throw new Error(`Templates in ${this.templatesDir} are not usable:\n  - ${problems.join('\n  - ')}`);
    }
    this.templates = templates;
    this.logger.log(`Loaded ${templates.size} templates from ${this.templatesDir}`);
  }

  /** What load() found, sorted by type, channel and locale. */
  listTemplates(): LoadedTemplate[] {
    return [...this.loadedTemplates().values()]
      .map(({ type, channel, locale, file }) => ({ type, channel, locale, file }))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  render(type: NotificationType, channel: 'email', locale: string, context: RenderContext): RenderedEmail;
  render(type: NotificationType, channel: 'whatsapp' | 'sms', locale: string, context: RenderContext): RenderedText;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent;
  render(type: NotificationType, channel: Channel, locale: string, context: RenderContext): RenderedContent {
    const template = this.resolve(type, channel, locale);
    const data = { ...context, locale: formattingLocale(context.locale, template.locale) };
    try {
      const body = template.body(data);
      if (!template.subject) return { locale: template.locale, text: body.trim() };
      // The subject becomes a mail header: a line break from passenger data must not start a new header.
      const subject = template.subject(data).replace(/\s+/g, ' ').trim();
      return { locale: template.locale, subject, html: body, text: htmlToText(body) };
    } catch (error) {
      throw new Error(`Rendering ${template.file} failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  private resolve(type: NotificationType, channel: Channel, locale: string): CompiledTemplate {
    const templates = this.loadedTemplates();
    for (const candidate of localeChain(locale)) {
      const template = templates.get(templateKey(type, channel, candidate));
      if (template) return template;
    }
    // load() guarantees an English template for every known pair, so only a bad type or channel gets here.
    throw new Error(`No template for type ${String(type)}, channel ${String(channel)}`);
  }

  private loadedTemplates(): ReadonlyMap<string, CompiledTemplate> {
    if (!this.templates) throw new Error('TemplateRenderer.load() has not run');
    return this.templates;
  }

  private compileFile(type: NotificationType, fileName: string, isFile: boolean): CompiledTemplate {
    const match = FILE_NAME.exec(fileName);
    const channel = match?.[1] ?? '';
    if (!isFile || !match || !isChannel(channel)) {
      throw new Error(`not a template: expected <channel>.<locale>.hbs with channel one of ${CHANNELS.join(', ')}`);
    }
    const locale = canonicalLocale(match[2]);
    if (!locale) throw new Error(`"${match[2]}" is not a BCP 47 locale`);
    const file = `${type}/${fileName}`;
    // Strip a byte-order mark some editors add, or "Subject:" would not be the first thing in an e-mail.
    const source = readFileSync(join(this.templatesDir, file), 'utf8').replace(/^\uFEFF/, '');
    const common = { type, channel, locale, file };
    if (channel !== 'email') return { ...common, body: this.compile(source, true) };
    const email = EMAIL_FILE.exec(source);
    if (!email) throw new Error('an e-mail template starts with "Subject: <text>", then one blank line, then the HTML');
    return { ...common, subject: this.compile(email[1], true), body: this.compile(email[2], false) };
  }

  private compile(source: string, plainText: boolean): Template {
    const options: CompileOptions = {
      // A misspelt variable throws at render instead of sending a message with a hole in it.
      strict: true,
      // Plain-text channels show "&" as "&", not "&amp;".
      noEscape: plainText,
      // A misspelt helper name fails at load rather than at the first send.
      knownHelpers: Object.fromEntries(Object.keys(TEMPLATE_HELPERS).map((name) => [name, true])),
      knownHelpersOnly: true,
    };
    // compile() is lazy; precompile() surfaces syntax errors now, while loading.
    this.handlebars.precompile(source, options);
    return this.handlebars.compile<RenderContext>(source, options);
  }
}

/** For unit tests and scripts that run without Nest. */
export function createTemplateRenderer(options: TemplateRendererOptions): TemplateRenderer {
  return new TemplateRenderer(options);
}

function templateKey(type: string, channel: string, locale: string): string {
  return `${type}/${channel}.${locale}`;
}

// Dot files (.gitkeep, .DS_Store) are tooling litter, not templates.
function listEntries(dir: string) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Dates follow the passenger's own locale where the template speaks their language (nl-BE reading nl),
 * but a fallback template is formatted in its own language: no German weekday inside an English sentence.
 */
export function formattingLocale(passengerLocale: string, templateLocale: string): string {
  const language = (tag: string) => tag.split('-')[0].toLowerCase();
  return language(passengerLocale) === language(templateLocale) ? passengerLocale : templateLocale;
}
