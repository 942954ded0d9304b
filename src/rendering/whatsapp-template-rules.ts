/**
 * What Meta accepts in a WhatsApp template, checked here rather than discovered in production. Sources:
 * Meta's template documentation as the vendored OpenAPI document names it — the Message Templates guide
 * (https://developers.facebook.com/docs/business-messaging/whatsapp/templates/overview) and the endpoint
 * reference (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/);
 * docs/decisions/0024-whatsapp-templates-from-definitions.md lists each rule with where it is written.
 * Name: lower-case letters, digits and underscores, at most 512 characters. Body text: at most 1,024
 * characters; parameters numbered {{1}} … {{n}} in order without gaps; not starting or ending with a
 * parameter. Parameter values: no new lines or tabs, no more than four consecutive spaces (Meta answers
 * 132018 otherwise), and not empty.
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
