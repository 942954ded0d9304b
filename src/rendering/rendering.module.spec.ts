import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CHANNELS, NOTIFICATION_TYPES } from '../vocabulary/notification-types';
import { RenderingModule } from './rendering.module';
import { TEMPLATES_DIR } from '../config/config.tokens';
import { TemplateRenderer } from './template-renderer.service';

function moduleWithTemplatesDir(templatesDir: string) {
  @Global()
  @Module({ providers: [{ provide: TEMPLATES_DIR, useValue: templatesDir }], exports: [TEMPLATES_DIR] })
  class TemplatesDirModule {}
  return Test.createTestingModule({ imports: [TemplatesDirModule, RenderingModule] }).compile();
}

describe('RenderingModule', () => {
  let dir: string;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'templates-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the templates from TEMPLATES_DIR on start-up', async () => {
    for (const type of NOTIFICATION_TYPES) {
      mkdirSync(join(dir, type));
      for (const channel of CHANNELS) {
        writeFileSync(join(dir, type, `${channel}.en.hbs`), channel === 'email' ? 'Subject: s\n\n<p>b</p>' : 'b');
      }
    }
    const app = await moduleWithTemplatesDir(dir);
    await app.init();
    expect(app.get(TemplateRenderer).listTemplates()).toHaveLength(NOTIFICATION_TYPES.length * CHANNELS.length);
    await app.close();
  });

  it('fails start-up when a template is missing', async () => {
    const app = await moduleWithTemplatesDir(dir);
    await expect(app.init()).rejects.toThrow(/booking-confirmation\/whatsapp\.en\.hbs: missing/);
  });
});
