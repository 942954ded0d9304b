import { CHANNELS, type Channel } from '../vocabulary/notification-types';
import type { MessageCatalogs } from './message-catalogs';
import { factCombinations } from './message-combinations';
import { FOOTER_KEY, GREETING_KEY, MESSAGE_DEFINITIONS } from './message-definitions';
import { countSmsSegments } from './sms-segments';
import type { RenderContext } from '../vocabulary/render-context';
import type { NotificationType } from '../vocabulary/notification-types';
import type { RenderedContent } from './rendered-content';

/** TemplateRenderer.render, passed in (the renderer runs these checks when it loads). */
export type Render = (type: NotificationType, channel: Channel, locale: string, context: RenderContext) => RenderedContent;
import { messengerTemplateProblems } from './messenger-template-rules';
import { templateNameProblems, templateProblems } from './whatsapp-template-rules';
import { keywordProblems } from './wechat-keyword-rules';

/**
 * APNs and FCM both refuse a payload over 4096 bytes; the title and body may take three quarters of it, the
 * rest is the JSON around them and the deep-link data (docs/decisions/0028).
 */
export const PUSH_TEXT_BYTES = 3072;

/**
 * What start-up refuses beyond what the catalog loader checks (keys, parsing, placeholders): any
 * combination of facts, in any catalog, that does not render (on WeChat: a fact no keyword carries); a
 * WhatsApp or Messenger template Meta would refuse; a WeChat keyword value its kind does not allow; an SMS
 * over the segment budget; a push title and body too large for APNs and FCM. Run over every combination with long sample values (fullContext).
 */
export function contentProblems(render: Render, catalogs: MessageCatalogs, smsSegmentBudget: number, channels: readonly Channel[] = CHANNELS): string[] {
  const problems: string[] = [];
  for (const key of lineKeys()) {
    for (const locale of catalogs.locales()) {
      const selectors = catalogs.selectorsOf(locale, 'messages', key);
      // A plural or select inside a line would make the WhatsApp template's words depend on a parameter.
      if (selectors.size > 0) problems.push(`${locale}/messages.json "${key}": plural/select on {${[...selectors].join(', ')}} — put it in a phrase.* message`);
    }
  }
  const combinations = factCombinations();
  for (const locale of catalogs.locales()) {
    for (const { type, facts, context } of combinations) {
      const where = `${type} [${facts.join(', ') || 'no optional facts'}] in ${locale}`;
      for (const channel of channels) {
        try {
          const content = render(type, channel, locale, { ...context, locale });
          if (content.whatsappTemplate) {
            const { name, body, parameters } = content.whatsappTemplate;
            for (const problem of [...templateNameProblems(name), ...templateProblems(body, parameters)]) problems.push(`${where}: WhatsApp template ${problem}`);
          }
          if (channel === 'push' && Buffer.byteLength(`${content.subject ?? ''}${content.text}`, 'utf8') > PUSH_TEXT_BYTES) {
            problems.push(`${where}: push title and body of ${Buffer.byteLength(`${content.subject ?? ''}${content.text}`, 'utf8')} bytes (at most ${PUSH_TEXT_BYTES})`);
          }
          for (const { keyword, value } of content.wechatTemplate?.keywords ?? []) {
            for (const problem of keywordProblems(keyword, value)) problems.push(`${where}: WeChat keyword ${problem}`);
          }
          if (content.messengerTemplate) {
            const { body, parameters } = content.messengerTemplate;
            for (const problem of messengerTemplateProblems(body, parameters)) problems.push(`${where}: Messenger template ${problem}`);
          }
          // Up to 67 UTF-16 units per segment no text can exceed the budget in either encoding; count exactly only past that.
          if (channel === 'sms' && content.text.length > 67 * smsSegmentBudget) {
            const { segments, encoding } = countSmsSegments(content.text);
            if (segments > smsSegmentBudget) problems.push(`${where}: SMS of ${segments} ${encoding} segments (budget ${smsSegmentBudget})`);
          }
        } catch (error) {
          problems.push(`${where}, ${channel}: ${(error as Error).message}`);
        }
      }
    }
  }
  return problems;
}

/** Every key a message body, subject or closing uses (phrases are formatted into values instead). */
function lineKeys(): Set<string> {
  const keys = new Set<string>([GREETING_KEY, FOOTER_KEY]);
  for (const definition of Object.values(MESSAGE_DEFINITIONS)) {
    for (const line of [...definition.subject, ...definition.lines, ...definition.closing]) keys.add(line.key);
  }
  return keys;
}
