import { whatsappLanguage, whatsappParameter } from './whatsapp-template-rules';

/**
 * What Meta accepts in a Messenger utility message template, checked here rather than discovered in
 * production (Messenger Platform, "Send a utility message", Common Template Rejection Reasons): parameters
 * are {{1}} … {{n}} in sequence, and a template may neither start nor end with a parameter. The docs give no
 * length limit for a template body; a body-only utility message reaches the person as a basic text message,
 * and the Send API's text is limited to 2,000 characters, so the filled-in message is held to that.
 */
export const MESSENGER_TEXT_MAX = 2000;

/**
 * Meta's template language codes. The utility-message docs show codes ("en", "en_US") but list none of
 * their own; we use the codes of Meta's template language list, the same as for WhatsApp.
 */
export function messengerLanguage(catalogLocale: string): string {
  return whatsappLanguage(catalogLocale);
}

/**
 * A value made fit for a text parameter: one line, single spaces, never empty (the template's words around it
 * are what Meta approved; a parameter that broke the line would change their shape).
 */
export function messengerParameter(value: string): string {
  return whatsappParameter(value);
}

/** Every way a Messenger template body or its parameters break Meta's rules; empty when it is fine. */
export function messengerTemplateProblems(body: string, parameters: readonly string[]): string[] {
  const problems: string[] = [];
  const numbers = [...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
  numbers.forEach((n, i) => {
    if (n !== i + 1) problems.push(`parameter {{${n}}} is out of sequence (expected {{${i + 1}}})`);
  });
  if (/\{\{(?!\d+\}\})/.test(body)) problems.push('body has a placeholder that is not {{<number>}}');
  if (numbers.length !== parameters.length) problems.push(`body has ${numbers.length} parameters, ${parameters.length} values given`);
  if (/^\s*\{\{\d+\}\}/.test(body)) problems.push('body starts with a parameter');
  if (/\{\{\d+\}\}[\s.!。！]*$/.test(body)) problems.push('body ends with a parameter');
  parameters.forEach((value, i) => {
    if (value.trim() === '') problems.push(`parameter ${i + 1} is empty`);
  });
  const filled = body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1] ?? '');
  if (filled.length > MESSENGER_TEXT_MAX) problems.push(`the filled-in message has ${filled.length} characters (at most ${MESSENGER_TEXT_MAX})`);
  return problems;
}
