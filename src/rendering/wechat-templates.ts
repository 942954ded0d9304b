import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NOTIFICATION_TYPES, type NotificationType } from '../vocabulary/notification-types';
import { keywordKind } from './wechat-keyword-rules';

/**
 * One way to fill a keyword: told when the message tells every one of `facts` (the definition's optional
 * lines, message-definitions.ts) and every value it needs exists. `arg`: one argument's value (the message
 * values, or a WeChat form of one: WECHAT_ARGUMENTS); `key`: a message of catalogs/<locale>/wechat.json.
 */
const alternative = z
  .object({
    facts: z.array(z.string().regex(/^[a-z_]+$/)).min(1).optional(),
    arg: z.string().regex(/^[A-Za-z]+$/).optional(),
    key: z.string().regex(/^[a-z-]+$/).optional(),
  })
  .strict()
  .refine((a) => (a.arg === undefined) !== (a.key === undefined), 'each alternative has exactly one of arg and key');

const localeMap = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/), z.string().min(1));

const templateSchema = z
  .object({
    /** The template's title as WeChat shows it, per locale: for people reading the file and the timeline. */
    title: localeMap,
    /** The template_id to send, per catalog locale ('en' required: every other language falls back to it). */
    templateIds: localeMap.refine((ids) => 'en' in ids, 'templateIds needs an "en" entry'),
    /** Keyword name → alternatives, in order. */
    keywords: z.record(z.string(), z.array(alternative).min(1)),
  })
  .strict();

const fileSchema = z.object({ $comment: z.unknown().optional(), templates: z.record(z.string(), templateSchema) }).strict();

export type WeChatAlternative = z.infer<typeof alternative>;
export type WeChatTemplateDefinition = z.infer<typeof templateSchema>;
export type WeChatTemplateMap = Readonly<Record<NotificationType, WeChatTemplateDefinition>>;

/**
 * Reads the WeChat template file (WECHAT_TEMPLATES_FILE): the template ids and keyword mapping per
 * notification type. Throws one error listing every problem; facts, arguments and catalog keys are checked
 * against the definitions when the renderer loads (wechatMappingProblems).
 */
export function loadWeChatTemplates(file: string): WeChatTemplateMap {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`WeChat templates file ${file} cannot be read: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`WeChat templates file ${file} is not usable: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const problems: string[] = [];
  for (const type of NOTIFICATION_TYPES) if (!parsed.data.templates[type]) problems.push(`${type}: no template`);
  for (const [type, template] of Object.entries(parsed.data.templates)) {
    if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) problems.push(`${type}: not a notification type`);
    for (const keyword of Object.keys(template.keywords)) {
      if (!keywordKind(keyword)) problems.push(`${type}.${keyword}: not a keyword name WeChat uses (kind and number, e.g. thing3)`);
    }
  }
  if (problems.length > 0) throw new Error(`WeChat templates file ${file} is not usable:\n  - ${problems.join('\n  - ')}`);
  return parsed.data.templates as WeChatTemplateMap;
}
