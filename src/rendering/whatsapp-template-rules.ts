/**
 * What Meta accepts in a WhatsApp template, checked here rather than discovered in production. Sources:
 * Meta's template documentation as the vendored OpenAPI document names it — the Message Templates guide
 * (https://developers.facebook.com/docs/business-messaging/whatsapp/templates/overview) and the endpoint
 * reference (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/);
 * docs/decisions/0024-whatsapp-templates-from-definitions.md lists each rule with where it is written.
 * Name: lower-case letters, digits and underscores, at most 512 characters. Body text: at most 1,024
 * characters; parameters numbered {{1}} … {{n}} in order without gaps; not starting or ending with a
 * parameter; no two parameters side by side ("{{1}} {{2}}"). Parameter values: no new lines or tabs, no
 * more than four consecutive spaces (Meta answers 132018 otherwise), and not empty.
 */
export const TEMPLATE_BODY_MAX = 1024;
export const TEMPLATE_NAME_MAX = 512;

/** WhatsApp's language codes for our catalogs (Meta's "Supported languages" list). */
const WHATSAPP_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'en_GB',
  nl: 'nl',
  de: 'de',
  fr: 'fr',
  es: 'es',
  it: 'it',
  pt: 'pt_BR',
  'pt-PT': 'pt_PT',
  ja: 'ja',
  'zh-Hans': 'zh_CN',
  ko: 'ko',
  ar: 'ar',
};

export function whatsappLanguage(catalogLocale: string): string {
  const code = WHATSAPP_LANGUAGES[catalogLocale];
  if (!code) throw new Error(`no WhatsApp language code for catalog ${catalogLocale}`);
  return code;
}

/** A value made fit for a text parameter: line breaks and tabs become spaces, runs of spaces one. */
export function whatsappParameter(value: string): string {
  const cleaned = value.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return cleaned === '' ? '-' : cleaned;
}

/** Every way a template body or its parameters break Meta's rules; empty when it is fine. */
export function templateProblems(body: string, parameters: readonly string[]): string[] {
  const problems: string[] = [];
  if (body.length > TEMPLATE_BODY_MAX) problems.push(`body has ${body.length} characters (at most ${TEMPLATE_BODY_MAX})`);
  const numbers = [...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
  numbers.forEach((n, i) => {
    if (n !== i + 1) problems.push(`parameter {{${n}}} is out of order (expected {{${i + 1}}})`);
  });
  if (numbers.length !== parameters.length) problems.push(`body has ${numbers.length} parameters, ${parameters.length} values given`);
  if (/^\s*\{\{\d+\}\}/.test(body)) problems.push('body starts with a parameter');
  if (/\{\{\d+\}\}[\s.!。！]*$/.test(body)) problems.push('body ends with a parameter');
  // Only spaces or WhatsApp's emphasis marks between two parameters: Meta reads them as side by side.
  for (const m of body.matchAll(/\{\{(\d+)\}\}[\s*_~]*\{\{(\d+)\}\}/g)) problems.push(`parameters {{${m[1]}}} and {{${m[2]}}} are side by side`);
  parameters.forEach((value, i) => {
    if (value === '') problems.push(`parameter ${i + 1} is empty`);
    if (/[\r\n\t]/.test(value)) problems.push(`parameter ${i + 1} has a new line or tab`);
    if (/ {5,}/.test(value)) problems.push(`parameter ${i + 1} has more than four consecutive spaces`);
  });
  const filled = body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1] ?? '');
  if (filled.length > TEMPLATE_BODY_MAX) problems.push(`the filled-in body has ${filled.length} characters (at most ${TEMPLATE_BODY_MAX})`);
  return problems;
}

/** A template name Meta accepts: lower-case letters, digits and underscores, 1 to 512 characters. */
export function templateNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9_]+$/.test(name)) problems.push(`name "${name}" has characters other than lower-case letters, digits and underscores`);
  if (name.length > TEMPLATE_NAME_MAX) problems.push(`name has ${name.length} characters (at most ${TEMPLATE_NAME_MAX})`);
  return problems;
}

/**
 * Meta refuses a template with "too many variable parameters relative to the message length" and
 * publishes no ratio. Providers that submit templates for many businesses report the line as words and
 * parameters together at least 3n + 1 for n parameters (Syniverse,
 * https://sdcsupport.syniverse.com/hc/en-us/articles/30569685832471). A guard from that observation, not
 * Meta's rule, and only where words are separated by spaces: Japanese, Chinese or Korean text is not.
 * Returns how many more words a body would need (0 when it passes, or when the guard does not apply).
 */
export function wordsShortOfParameterGuard(body: string, catalogLocale: string): number {
  if (/^(ja|zh|ko|th|lo|km|my)\b/.test(catalogLocale)) return 0;
  const parameters = [...body.matchAll(/\{\{\d+\}\}/g)].length;
  if (parameters === 0) return 0;
  const words = body.split(/\s+/).filter((token) => /[\p{L}\p{N}]|\{\{/u.test(token)).length;
  return Math.max(0, 3 * parameters + 1 - words);
}
