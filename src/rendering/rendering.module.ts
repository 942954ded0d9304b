import { Module } from '@nestjs/common';
import { CATALOGS_DIR, TEMPLATES_DIR } from '../config/config.tokens';
import { TemplateRenderer, createTemplateRenderer } from './template-renderer.service';

/**
 * Provides TemplateRenderer. TEMPLATES_DIR (channel layouts) and CATALOGS_DIR (message catalogs) must be
 * provided where this module can see them (a global config module); there is deliberately no default,
 * so a mis-wired path fails loudly. onModuleInit loads and checks everything, so a broken catalog stops the boot.
 */
@Module({
  providers: [
    {
      provide: TemplateRenderer,
      useFactory: (templatesDir: string, catalogsDir: string) => createTemplateRenderer({ templatesDir, catalogsDir }),
      inject: [TEMPLATES_DIR, CATALOGS_DIR],
    },
  ],
  exports: [TemplateRenderer],
})
export class RenderingModule {}
