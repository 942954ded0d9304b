import { Logger } from '@nestjs/common';
import { projectPath } from '../../config/project-root';
import { factCombinations } from '../../rendering/message-combinations';
import { createTemplateRenderer } from '../../rendering/template-renderer.service';
import { createMessengerTemplates, messengerTemplateRequests, type MessengerTemplateCreateRequest } from './messenger-template-export';

const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: 6, wechatTemplatesFile: projectPath('config/wechat-templates.json') });

describe('the Messenger template export', () => {
  let requests: MessengerTemplateCreateRequest[];
  beforeAll(() => {
    Logger.overrideLogger(false);
    renderer.load();
    requests = messengerTemplateRequests(renderer);
  });

  it('has one utility template per combination of facts and catalog, with an example value per placeholder', () => {
    const combinations = new Set(factCombinations().map((c) => `${c.type} ${c.facts.join(' ')}`)).size;
    expect(requests).toHaveLength(combinations * renderer.messageCatalogs().locales().length);
    for (const r of requests) {
      expect(r).toMatchObject({ category: 'UTILITY', name: expect.stringMatching(/^[a-z0-9_]+$/), components: [{ type: 'BODY' }] });
      const placeholders = r.components[0].text.match(/\{\{\d+\}\}/g) ?? [];
      expect(r.components[0].example?.body_text[0] ?? []).toHaveLength(placeholders.length);
    }
    expect(new Set(requests.map((r) => `${r.name} ${r.language}`)).size).toBe(requests.length);
  });

  it('names what the adapter sends: a rendered notification’s template is in the export', () => {
    const { type, context } = factCombinations().find((c) => c.type === 'flight-delay' && c.facts.includes('gate')) ?? factCombinations()[0];
    const sent = renderer.render(type, 'messenger', 'ko', { ...context, locale: 'ko' }).messengerTemplate;
    expect(requests.find((r) => r.name === sent?.name && r.language === 'ko')?.components[0].text).toBe(sent?.body);
  });

  it('creates only what the Page lacks, and keeps going past a refusal', async () => {
    const created: string[] = [];
    const client = {
      listTemplates: async () => ({ ok: true as const, value: [{ name: requests[0].name, language: requests[0].language }] }),
      createTemplate: async (body: unknown) => {
        const { name } = body as MessengerTemplateCreateRequest;
        if (name === requests[1].name) return { ok: false as const, failure: { kind: 'http' as const, status: 400, error: { code: 100, message: '(#100) Invalid parameter' } } };
        created.push(name);
        return { ok: true as const, value: { id: '1', status: 'APPROVED' } };
      },
    };
    const outcome = await createMessengerTemplates(client, requests.slice(0, 4));
    expect(outcome.existing).toHaveLength(1);
    expect(outcome.failed).toEqual([{ template: `${requests[1].name} (${requests[1].language})`, problem: '(#100) Invalid parameter' }]);
    expect(outcome.created).toHaveLength(2);
  });
});
