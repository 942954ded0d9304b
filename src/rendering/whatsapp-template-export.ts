import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { factCombinations } from './message-combinations';
import type { WhatsAppTemplateContent } from './rendered-content';
import type { TemplateRenderer } from './template-renderer.service';

/**
 * The body of `POST /{WABA-ID}/message_templates`, the call WhatsApp Manager makes to create a template,
 * shaped as the examples of that operation in Meta's OpenAPI document (test/fixtures/whatsapp) are:
 * a BODY component with its text and one example value per parameter, and for the boarding pass a
 * DOCUMENT header whose example is a media handle from Meta's Resumable Upload API.
 */
export interface TemplateCreation {
  name: string;
  language: string;
  category: 'UTILITY';
  components: TemplateCreationComponent[];
}

export type TemplateCreationComponent =
  | { type: 'HEADER'; format: 'DOCUMENT'; example: { header_handle: string[] } }
  | { type: 'BODY'; text: string; example?: { body_text: string[][] } };

/**
 * Stands for the handle of a sample boarding-pass PDF until one is given (`--header-handle`): a handle
 * comes from uploading a file to Meta (Resumable Upload API) and expires, so it cannot be generated here.
 */
export const HEADER_HANDLE_PLACEHOLDER = '<HEADER_HANDLE>';

/**
 * Every template the service can send, as creation payloads: each catalog × each combination of facts a
 * type can tell (factCombinations), rendered exactly as a notification with those facts is rendered, so
 * names, bodies and parameter order are the ones the adapter will send. One payload per (name, language);
 * the example values are the combination's long sample values.
 */
export function templateCreations(renderer: TemplateRenderer, options: { headerHandle?: string } = {}): TemplateCreation[] {
  const seen = new Set<string>();
  const creations: TemplateCreation[] = [];
  for (const locale of renderer.messageCatalogs().locales()) {
    for (const { type, facts, context } of factCombinations()) {
      const template = renderer.render(type, 'whatsapp', locale, { ...context, locale }).whatsappTemplate;
      if (!template) throw new Error(`${type} [${facts.join(', ')}] in ${locale}: no WhatsApp template form was rendered`);
      const key = `${template.name}|${template.language}`;
      if (seen.has(key)) continue;
      seen.add(key);
      creations.push(creationOf(template, options.headerHandle ?? HEADER_HANDLE_PLACEHOLDER));
    }
  }
  return creations;
}

export function creationOf(template: WhatsAppTemplateContent, headerHandle: string): TemplateCreation {
  const body: TemplateCreationComponent = {
    type: 'BODY',
    text: template.body,
    // Meta requires sample values for a body with parameters (and refuses them for one without).
    ...(template.parameters.length > 0 ? { example: { body_text: [[...template.parameters]] } } : {}),
  };
  const header: TemplateCreationComponent[] = template.header === 'document' ? [{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [headerHandle] } }] : [];
  return { name: template.name, language: template.language, category: 'UTILITY', components: [...header, body] };
}

/** The example values of a creation's body, in parameter order. */
export function exampleValues(creation: TemplateCreation): string[] {
  const body = creation.components.find((c) => c.type === 'BODY');
  return body && 'text' in body ? (body.example?.body_text[0] ?? []) : [];
}

export function bodyText(creation: TemplateCreation): string {
  const body = creation.components.find((c) => c.type === 'BODY');
  if (!body || !('text' in body)) throw new Error(`template ${creation.name} (${creation.language}) has no BODY component`);
  return body.text;
}

/** Writes `<dir>/<language>.json` (a JSON array of creation payloads) per WhatsApp language; returns the counts. */
export function writeTemplateCreations(dir: string, creations: readonly TemplateCreation[]): { language: string; count: number; file: string }[] {
  const byLanguage = new Map<string, TemplateCreation[]>();
  for (const creation of creations) byLanguage.set(creation.language, [...(byLanguage.get(creation.language) ?? []), creation]);
  mkdirSync(dir, { recursive: true });
  return [...byLanguage.keys()].sort().map((language) => {
    const list = [...(byLanguage.get(language) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    const file = join(dir, `${language}.json`);
    writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
    return { language, count: list.length, file };
  });
}
