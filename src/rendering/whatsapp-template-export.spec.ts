import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { loadWhatsAppSpec, WhatsAppRequestValidator, type Operation } from '../../test/support/whatsapp-openapi';
import { projectPath } from '../config/project-root';
import { factCombinations } from './message-combinations';
import { createTemplateRenderer } from './template-renderer.service';
import { bodyText, exampleValues, HEADER_HANDLE_PLACEHOLDER, templateCreations, writeTemplateCreations, type TemplateCreation } from './whatsapp-template-export';
import { templateNameProblems, templateProblems, whatsappLanguage } from './whatsapp-template-rules';

/** The example in Meta's document closest to ours: a UTILITY template with a DOCUMENT header and a text body. */
const META_EXAMPLE = 'Create template w/ document header, text body, a phone number button, and a URL button';

/** The keys of a JSON value and of everything in it, as paths (`components[].example.body_text[][]`), with the type at each. */
function shapeOf(value: unknown, path = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, into);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, into);
  else into.add(`${path}: ${typeof value}`);
  return into;
}

describe('WhatsApp template creation payloads (npm run templates:export)', () => {
  const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: loadConfig({}).SMS_SEGMENT_BUDGET, wechatTemplatesFile: projectPath(loadConfig({}).WECHAT_TEMPLATES_FILE) });
  let creations: TemplateCreation[];
  let createTemplate: Operation;
  const validator = new WhatsAppRequestValidator();

  beforeAll(() => {
    Logger.overrideLogger(false);
    renderer.load();
    creations = templateCreations(renderer);
    const found = validator.findOperation('post', '/v23.0/102290129340398/message_templates');
    if (!found) throw new Error("Meta's document has no POST /{Version}/{WABA-ID}/message_templates");
    createTemplate = found;
  });

  it("conform to the request schema of POST /{WABA-ID}/message_templates in Meta's OpenAPI document", () => {
    expect(createTemplate.pathTemplate).toBe('/{Version}/{WABA-ID}/message_templates');
    const refused = creations.flatMap((c) => validator.validate(createTemplate, 'application/json', c).map((e) => `${c.name} (${c.language}): ${e}`));
    expect(refused).toEqual([]);
    // The schema is checked, not merely present: a wrongly typed payload is refused.
    expect(validator.validate(createTemplate, 'application/json', { ...creations[0], name: 42 })).not.toEqual([]);
    expect(validator.validate(createTemplate, 'application/json', { ...creations[0], components: { type: 'BODY' } })).not.toEqual([]);
  });

  it("are shaped like Meta's own example of a UTILITY template with a document header", () => {
    // The operation's schema, made from Meta's examples, types fields but leaves most of them open: the
    // example itself says which fields a HEADER and a BODY component have, and of which type.
    const post = loadWhatsAppSpec().paths['/{Version}/{WABA-ID}/message_templates'].post as {
      requestBody: { content: Record<string, { examples: Record<string, { value: { category: string; components: { type: string }[] } }> }> };
    };
    const example = post.requestBody.content['application/json'].examples[META_EXAMPLE].value;
    expect(example.category).toBe('UTILITY');
    const allowed = shapeOf({ ...example, components: example.components.filter((c) => c.type === 'HEADER' || c.type === 'BODY') });
    const extra = creations.flatMap((c) => [...shapeOf(c)].filter((path) => !allowed.has(path)).map((path) => `${c.name}: ${path}`));
    expect(extra).toEqual([]);
    const boardingPass = creations.find((c) => c.components.some((component) => component.type === 'HEADER'));
    expect(shapeOf(boardingPass)).toEqual(allowed);
  });

  it('follow Meta’s template rules with their example values', () => {
    const problems = creations.flatMap((c) => {
      const body = bodyText(c);
      const values = exampleValues(c);
      return [...templateNameProblems(c.name), ...templateProblems(body, values)].map((p) => `${c.name} (${c.language}): ${p}`);
    });
    expect(problems).toEqual([]);
    for (const c of creations) {
      expect(c.category).toBe('UTILITY');
      // One example row with a value for each parameter, as Meta asks of a body with parameters.
      const parameters = bodyText(c).match(/\{\{\d+\}\}/g)?.length ?? 0;
      expect(exampleValues(c)).toHaveLength(parameters);
      const header = c.components.find((component) => component.type === 'HEADER');
      if (header) expect(header).toEqual({ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [HEADER_HANDLE_PLACEHOLDER] } });
    }
  });

  it('are one per combination of facts and catalog, unique by name and language, never two with the same body', () => {
    const locales = renderer.messageCatalogs().locales();
    const keys = creations.map((c) => `${c.name}|${c.language}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Meta refuses a template worded like an existing one: distinct facts must make distinct bodies.
    const bodies = creations.map((c) => `${c.language}|${bodyText(c)}`);
    expect(new Set(bodies).size).toBe(bodies.length);
    for (const locale of locales) {
      expect(creations.filter((c) => c.language === whatsappLanguage(locale))).toHaveLength(factCombinations().length);
    }
  });

  it('are written one file per WhatsApp language, as JSON arrays of the payloads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whatsapp-templates-'));
    try {
      const written = writeTemplateCreations(dir, creations);
      expect(written.map((w) => w.language)).toEqual(renderer.messageCatalogs().locales().map(whatsappLanguage).sort());
      for (const { language, count, file } of written) {
        const read = JSON.parse(readFileSync(file, 'utf8')) as TemplateCreation[];
        expect(read).toHaveLength(count);
        expect(read.every((c) => c.language === language)).toBe(true);
        expect(read).toEqual(expect.arrayContaining(creations.filter((c) => c.language === language)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
