import { Module } from '@nestjs/common';
import { TEMPLATES_DIR } from '../config/config.tokens';
import { TemplateRenderer, createTemplateRenderer } from './template-renderer.service';

/**
 * Provides TemplateRenderer. TEMPLATES_DIR must be provided where this module can see it (a global
 * config module); there is deliberately no default, so a mis-wired path fails loudly at start-up.
 * TemplateRenderer.onModuleInit loads every template, so a missing or broken one stops the boot.
 */
@Module({
  providers: [
    {
      provide: TemplateRenderer,
      useFactory: (templatesDir: string) => createTemplateRenderer({ templatesDir }),
      inject: [TEMPLATES_DIR],
    },
  ],
  exports: [TemplateRenderer],
})
export class RenderingModule {}
