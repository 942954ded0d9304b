import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RENDERING_CONFIG } from '../config/config-slices';
import { projectPath } from '../config/project-root';
import { RenderingModule } from './rendering.module';
import { TemplateRenderer } from './template-renderer.service';

function withRenderingConfig(catalogsDir: string, smsSegmentBudget = 6) {
  @Global()
  @Module({
    providers: [{ provide: RENDERING_CONFIG.token, useValue: { TEMPLATES_DIR: projectPath('templates'), CATALOGS_DIR: catalogsDir, SMS_SEGMENT_BUDGET: smsSegmentBudget, WECHAT_TEMPLATES_FILE: 'config/wechat-templates.json' } }],
    exports: [RENDERING_CONFIG.token],
  })
  class RenderingConfigModule {}
  return Test.createTestingModule({ imports: [RenderingConfigModule, RenderingModule] }).compile();
}

describe('RenderingModule', () => {
  let dir: string;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalogs-'));
    cpSync(projectPath('catalogs'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped catalogs and layouts on start-up', async () => {
    const app = await withRenderingConfig(dir);
    await app.init();
    expect(app.get(TemplateRenderer).messageCatalogs().locales()).toContain('en');
    await app.close();
  });

  it('refuses to start when a catalog lacks a key English has', async () => {
    const ja = JSON.parse(JSON.stringify(require(join(dir, 'ja', 'messages.json')))) as Record<string, string>;
    delete ja['gate-change.intro'];
    writeFileSync(join(dir, 'ja', 'messages.json'), JSON.stringify(ja));
    const app = await withRenderingConfig(dir);
    await expect(app.init()).rejects.toThrow(/ja\/messages\.json "gate-change\.intro": missing/);
  });

  it('refuses to start when an SMS would take more segments than the budget', async () => {
    const app = await withRenderingConfig(dir, 1);
    await expect(app.init()).rejects.toThrow(/SMS of \d+ (GSM-7|UCS-2) segments \(budget 1\)/);
  });
});
