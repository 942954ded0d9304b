import { loadConfig } from '../../src/config/app-config';
import { projectPath } from '../../src/config/project-root';
import { fullContext } from '../../src/rendering/message-combinations';
import { createTemplateRenderer, type TemplateRenderer } from '../../src/rendering/template-renderer.service';
import type { NotificationType } from '../../src/vocabulary/notification-types';
import type { RenderContext } from '../../src/vocabulary/render-context';

let renderer: TemplateRenderer | undefined;

/**
 * The WhatsApp template (name and language) a notification is sent as, rendered from the shipped definitions
 * and catalogs the way the service renders it. Names are made from the facts told and the words (templateName()),
 * so tests ask for them instead of writing them down. Without a context: the type told with every fact, which for
 * a type without optional facts (booking confirmation) is every notification of that type.
 */
export function whatsappTemplateOf(type: NotificationType, locale: string, context: RenderContext = fullContext(type, locale)): { name: string; language: string } {
  if (!renderer) {
    renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: loadConfig({}).SMS_SEGMENT_BUDGET });
    renderer.load();
  }
  const template = renderer.render(type, 'whatsapp', locale, { ...context, type, locale }).whatsappTemplate;
  if (!template) throw new Error(`${type} in ${locale} has no WhatsApp template form`);
  return { name: template.name, language: template.language };
}
