import { factCombinations } from '../../rendering/message-combinations';
import type { TemplateRenderer } from '../../rendering/template-renderer.service';
import type { MessengerPlatformClient } from './messenger-platform.client';

/**
 * A Page-owned utility template as POST /{page-id}/message_templates creates it (Messenger Platform, "Send a
 * utility message": name, language, category UTILITY, components with a BODY and, when it has parameters, an
 * example of their values in `example.body_text`).
 */
export interface MessengerTemplateCreateRequest {
  name: string;
  language: string;
  category: 'UTILITY';
  components: [{ type: 'BODY'; text: string; example?: { body_text: [string[]] } }];
}

/**
 * Every utility template the message definitions can need, in every catalog: each combination of facts a
 * type can tell (message-combinations.ts) rendered for Messenger; the example values are that combination's
 * sample facts. Names are content-addressed, so the list is the same set the adapter sends by.
 */
export function messengerTemplateRequests(renderer: TemplateRenderer): MessengerTemplateCreateRequest[] {
  const requests = new Map<string, MessengerTemplateCreateRequest>();
  for (const locale of renderer.messageCatalogs().locales()) {
    for (const { type, context } of factCombinations()) {
      const template = renderer.render(type, 'messenger', locale, { ...context, locale }).messengerTemplate;
      if (!template) throw new Error(`${type} in ${locale}: no Messenger template form`);
      const key = `${template.name} ${template.language}`;
      if (requests.has(key)) continue;
      requests.set(key, {
        name: template.name,
        language: template.language,
        category: 'UTILITY',
        components: [{ type: 'BODY', text: template.body, ...(template.parameters.length > 0 ? { example: { body_text: [template.parameters] } } : {}) }],
      });
    }
  }
  return [...requests.values()];
}

export interface ExportOutcome {
  created: string[];
  existing: string[];
  failed: { template: string; problem: string }[];
}

/** Creates on the Page the templates it does not have yet (by name and language); one failure does not stop the rest. */
export async function createMessengerTemplates(client: Pick<MessengerPlatformClient, 'listTemplates' | 'createTemplate'>, requests: readonly MessengerTemplateCreateRequest[]): Promise<ExportOutcome> {
  const listed = await client.listTemplates('templates-export');
  if (!listed.ok) throw new Error(`cannot list the Page's templates: ${JSON.stringify(listed.failure)}`);
  const have = new Set(listed.value.map((t) => `${t.name} ${t.language}`));
  const outcome: ExportOutcome = { created: [], existing: [], failed: [] };
  for (const request of requests) {
    const label = `${request.name} (${request.language})`;
    if (have.has(`${request.name} ${request.language}`)) {
      outcome.existing.push(label);
      continue;
    }
    const created = await client.createTemplate(request, 'templates-export');
    if (created.ok) outcome.created.push(label);
    else outcome.failed.push({ template: label, problem: created.failure.kind === 'http' ? (created.failure.error?.message ?? `HTTP ${created.failure.status}`) : created.failure.kind });
  }
  return outcome;
}
