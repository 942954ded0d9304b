import { Module } from '@nestjs/common';
import { RENDERING_CONFIG, type RenderingConfig } from '../config/config-slices';
import { projectPath } from '../config/project-root';
import { TemplateRenderer, createTemplateRenderer } from './template-renderer.service';

/**
 * Provides TemplateRenderer over the channel layouts (TEMPLATES_DIR) and message catalogs (CATALOGS_DIR).
 * onModuleInit loads and checks everything, so a broken catalog or an unsendable message stops the boot.
 */
@Module({
  providers: [
    {
      provide: TemplateRenderer,
      useFactory: (config: RenderingConfig) =>
        createTemplateRenderer({
          templatesDir: projectPath(config.TEMPLATES_DIR),
          catalogsDir: projectPath(config.CATALOGS_DIR),
          smsSegmentBudget: config.SMS_SEGMENT_BUDGET,
          wechatTemplatesFile: projectPath(config.WECHAT_TEMPLATES_FILE),
        }),
      inject: [RENDERING_CONFIG.token],
    },
  ],
  exports: [TemplateRenderer],
})
export class RenderingModule {}
