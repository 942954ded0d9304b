import { writeFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { projectPath } from '../../config/project-root';
import { createTemplateRenderer } from '../../rendering/template-renderer.service';
import { MessengerPlatformClient } from './messenger-platform.client';
import { createMessengerTemplates, messengerTemplateRequests } from './messenger-template-export';

/**
 * `npm run templates:export:messenger` — the Page-owned utility templates the message definitions need, in every
 * catalog, as request bodies for POST /{page-id}/message_templates:
 *   (no option)        writes them as a JSON array to standard output
 *   --out <file>       writes them to a file
 *   --create           creates on the Page (MESSENGER_PAGE_ID, MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_BASE_URL,
 *                      MESSENGER_API_VERSION) those it does not have yet, and reports what it did
 */
async function main(argv: string[]): Promise<number> {
  Logger.overrideLogger(['error']);
  const config = loadConfig();
  const renderer = createTemplateRenderer({
    templatesDir: projectPath(config.TEMPLATES_DIR),
    catalogsDir: projectPath(config.CATALOGS_DIR),
    smsSegmentBudget: config.SMS_SEGMENT_BUDGET,
    wechatTemplatesFile: projectPath(config.WECHAT_TEMPLATES_FILE),
  });
  renderer.load();
  const requests = messengerTemplateRequests(renderer);
  if (argv.includes('--create')) {
    if (!config.MESSENGER_PAGE_ID || !config.MESSENGER_PAGE_ACCESS_TOKEN) {
      process.stderr.write('--create needs MESSENGER_PAGE_ID and MESSENGER_PAGE_ACCESS_TOKEN\n');
      return 2;
    }
    const client = new MessengerPlatformClient({
      baseUrl: config.MESSENGER_BASE_URL,
      apiVersion: config.MESSENGER_API_VERSION,
      pageId: config.MESSENGER_PAGE_ID,
      pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
    const outcome = await createMessengerTemplates(client, requests);
    process.stdout.write(`${outcome.created.length} created, ${outcome.existing.length} already on the Page, ${outcome.failed.length} failed\n`);
    for (const f of outcome.failed) process.stdout.write(`  failed: ${f.template}: ${f.problem}\n`);
    return outcome.failed.length > 0 ? 1 : 0;
  }
  const json = `${JSON.stringify(requests, null, 2)}\n`;
  const out = argv.indexOf('--out');
  if (out !== -1 && argv[out + 1]) {
    writeFileSync(argv[out + 1], json);
    process.stdout.write(`${requests.length} templates written to ${argv[out + 1]}\n`);
  } else {
    process.stdout.write(json);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
