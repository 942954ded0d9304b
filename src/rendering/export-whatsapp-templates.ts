import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { projectPath } from '../config/project-root';
import { createTemplateRenderer } from './template-renderer.service';
import { HEADER_HANDLE_PLACEHOLDER, templateCreations, writeTemplateCreations } from './whatsapp-template-export';

const USAGE = 'usage: npm run templates:export -- [output-folder] [--header-handle=<handle of a sample boarding-pass PDF>]';

/**
 * `npm run templates:export`: the WhatsApp template creation payloads for every catalog and combination
 * of facts, one file per WhatsApp language (var/whatsapp-templates/<language>.json by default), read from
 * the same TEMPLATES_DIR and CATALOGS_DIR the service renders with.
 */
function main(argv: string[]): void {
  const options = argv.filter((a) => a.startsWith('--'));
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = options.filter((o) => !o.startsWith('--header-handle='));
  if (unknown.length > 0 || positional.length > 1) throw new Error(`${unknown.length > 0 ? `unknown option ${unknown[0]}` : 'more than one output folder given'}\n${USAGE}`);
  const headerHandle = options.find((o) => o.startsWith('--header-handle='))?.slice('--header-handle='.length);
  if (headerHandle === '') throw new Error(`--header-handle needs a value\n${USAGE}`);

  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  Logger.overrideLogger(['error', 'warn']);
  const renderer = createTemplateRenderer({
    templatesDir: projectPath(config.TEMPLATES_DIR),
    catalogsDir: projectPath(config.CATALOGS_DIR),
    smsSegmentBudget: config.SMS_SEGMENT_BUDGET,
    wechatTemplatesFile: projectPath(config.WECHAT_TEMPLATES_FILE),
  });
  renderer.load();
  const dir = projectPath(positional[0] ?? 'var/whatsapp-templates');
  const written = writeTemplateCreations(dir, templateCreations(renderer, headerHandle ? { headerHandle } : {}));
  const out = process.stdout;
  out.write(`WhatsApp template creation payloads (POST /{WABA-ID}/message_templates) in ${dir}:\n`);
  for (const { language, count, file } of written) out.write(`  ${language.padEnd(6)} ${String(count).padStart(4)}  ${file}\n`);
  out.write(`  total  ${String(written.reduce((sum, w) => sum + w.count, 0)).padStart(4)} in ${written.length} languages\n`);
  if (!headerHandle) out.write(`The boarding-pass templates' DOCUMENT header example is ${HEADER_HANDLE_PLACEHOLDER}: pass --header-handle=<handle> from Meta's Resumable Upload API.\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
