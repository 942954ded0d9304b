import { readFileSync } from 'node:fs';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { WHATSAPP_CONFIG, WhatsAppConfig, InjectConfig } from '../../config/config-slices';
import { projectPath } from '../../config/config.module';
import { NOTIFICATION_TYPES, type NotificationType } from '../../vocabulary/notification-types';
import { canonicalLocale, DEFAULT_LOCALE, localeChain } from '../../rendering/locale-fallback';
import type { RenderContext } from '../../vocabulary/render-context';
import { TEMPLATE_HELPERS } from '../../rendering/template-helpers';
import { formattingLocale } from '../../rendering/template-renderer.service';

/** One approved template in one language, as config/whatsapp-templates.json describes it. */
const entrySchema = z
  .object({
    /** Template name as approved in WhatsApp Manager: lower case, digits, underscores. */
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and underscores'),
    /** WhatsApp language code: en_GB, nl, pt_BR … */
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$/, 'a WhatsApp language code such as en_GB or nl'),
    /** The template's media header: a document made from the notification's PDF attachment. */
    header: z.object({ type: z.literal('document') }).strict().optional(),
    /** The approved body with its {{1}} … {{n}} placeholders; checked against the number of parameters. */
    approvedText: z.string().min(1).max(1024),
    /** One Handlebars expression over the RenderContext per placeholder, in order. */
    body: z.array(z.string().min(1)).max(100),
  })
  .strict();

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    templates: z.record(z.enum(NOTIFICATION_TYPES), z.record(z.string(), entrySchema)),
  })
  .strict();

type TemplateEntry = z.infer<typeof entrySchema>;
type Expression = Handlebars.TemplateDelegate<RenderContext>;

/** A template ready to fill: which one to ask Meta for, and the body parameters for a context. */
export interface ResolvedWhatsAppTemplate {
  type: NotificationType;
  /** The locale key it was found under ('nl', 'en' …), after fallback. */
  locale: string;
  name: string;
  language: string;
  header?: { type: 'document' };
  /** Body parameter values, in placeholder order, cleaned to what Meta accepts. */
  bodyParameters(context: RenderContext): string[];
}

interface CompiledTemplate {
  entry: TemplateEntry;
  locale: string;
  body: Expression[];
}

/** Meta rejects text parameters with new lines, tabs or more than four spaces in a row, and empty ones. */
export function cleanParameter(value: string): string {
  const cleaned = value.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return cleaned === '' ? '-' : cleaned;
}

function placeholderCount(text: string): number {
  const numbers = new Set([...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1])));
  for (let n = 1; n <= numbers.size; n++) {
    if (!numbers.has(n)) throw new Error(`placeholders must be {{1}} … {{${numbers.size}}} without gaps`);
  }
  return numbers.size;
}

/**
 * Loads and compiles the approved-template table. Parameter expressions run on a Handlebars instance of
 * their own (strict, no escaping, only the renderer's helpers), each compiled once.
 */
export function compileWhatsAppTemplates(json: unknown, source = 'whatsapp templates'): Map<string, CompiledTemplate> {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${source} is not usable:\n  - ${problems.join('\n  - ')}`);
  }
  const handlebars = Handlebars.create();
  handlebars.registerHelper({ ...TEMPLATE_HELPERS });
  const options = {
    strict: true,
    noEscape: true,
    knownHelpers: Object.fromEntries(Object.keys(TEMPLATE_HELPERS).map((name) => [name, true])),
    knownHelpersOnly: true,
  };
  const cache = new Map<string, Expression>();
  const compiled = new Map<string, CompiledTemplate>();
  const problems: string[] = [];
  for (const type of NOTIFICATION_TYPES) {
    const byLocale = parsed.data.templates[type];
    for (const [key, entry] of Object.entries(byLocale)) {
      const where = `templates.${type}.${key}`;
      const locale = canonicalLocale(key);
      if (!locale) {
        problems.push(`${where}: "${key}" is not a BCP 47 locale`);
        continue;
      }
      try {
        const expected = placeholderCount(entry.approvedText);
        if (expected !== entry.body.length) {
          throw new Error(`approvedText has ${expected} placeholders but body has ${entry.body.length} expressions`);
        }
        const body = entry.body.map((expression, i) => {
          let fn = cache.get(expression);
          if (!fn) {
            try {
              handlebars.precompile(expression, options); // syntax and unknown helpers fail now, not at the first send
            } catch (error) {
              throw new Error(`body[${i}]: ${(error as Error).message}`);
            }
            fn = handlebars.compile<RenderContext>(expression, options);
            cache.set(expression, fn);
          }
          return fn;
        });
        compiled.set(`${type}/${locale}`, { entry, locale, body });
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    if (!compiled.has(`${type}/${DEFAULT_LOCALE}`) && !problems.some((p) => p.startsWith(`templates.${type}.`))) {
      problems.push(`templates.${type}: missing the "${DEFAULT_LOCALE}" entry every type needs`);
    }
  }
  if (problems.length > 0) throw new Error(`${source} is not usable:\n  - ${problems.join('\n  - ')}`);
  return compiled;
}

/** The approved templates of config/whatsapp-templates.json (WHATSAPP_TEMPLATES_FILE), by type and locale. */
@Injectable()
export class WhatsAppTemplates implements OnModuleInit {
  private readonly logger = new Logger(WhatsAppTemplates.name);
  private readonly file: string;
  private templates?: Map<string, CompiledTemplate>;

  constructor(@InjectConfig(WHATSAPP_CONFIG) private readonly config: Pick<WhatsAppConfig, 'WHATSAPP_TEMPLATES_FILE' | 'CHANNEL_WHATSAPP'>) {
    this.file = projectPath(config.WHATSAPP_TEMPLATES_FILE);
  }

  /** With the Cloud API configured, a broken table stops the start instead of failing each send. */
  onModuleInit(): void {
    if (this.config.CHANNEL_WHATSAPP === 'whatsapp-cloud') this.load();
  }

  load(): void {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read WhatsApp templates ${this.file}: ${(error as Error).message}`);
    }
    this.templates = compileWhatsAppTemplates(json, this.file);
    this.logger.log(`Loaded ${this.templates.size} WhatsApp templates from ${this.file}`);
  }

  /** The template for a type in the passenger's locale, falling back nl-NL → nl → en. */
  resolve(type: NotificationType, locale: string): ResolvedWhatsAppTemplate {
    if (!this.templates) this.load();
    return resolveIn(this.templates as Map<string, CompiledTemplate>, type, locale);
  }
}

export function resolveIn(templates: ReadonlyMap<string, CompiledTemplate>, type: NotificationType, locale: string): ResolvedWhatsAppTemplate {
  for (const candidate of localeChain(locale)) {
    const found = templates.get(`${type}/${candidate}`);
    if (!found) continue;
    const { entry, body } = found;
    return {
      type,
      locale: found.locale,
      name: entry.name,
      language: entry.language,
      ...(entry.header ? { header: entry.header } : {}),
      bodyParameters: (context) => {
        // Dates follow the passenger's locale where the template speaks their language, as in the renderer.
        const data = { ...context, locale: formattingLocale(context.locale, found.locale) };
        return body.map((fn, i) => {
          try {
            return cleanParameter(fn(data));
          } catch (error) {
            throw new Error(`WhatsApp template ${entry.name} (${entry.language}) parameter ${i + 1}: ${(error as Error).message}`);
          }
        });
      },
    };
  }
  throw new Error(`no WhatsApp template for ${type}`);
}
