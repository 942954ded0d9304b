import { DynamicModule, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { createHttpServer } from './common/http-edge';
import { createServiceLogger } from './common/masking-logger';
import { RejectNulPipe } from './common/reject-nul.pipe';
import { setupOpenApi } from './openapi/openapi';
import type { AppConfig } from './config/app-config';

/**
 * Builds the HTTP application; shared by main.ts, the demo and the integration tests (which may wrap
 * AppModule in a module of their own to mount extra controllers).
 */
export async function createApp(config: AppConfig, root: DynamicModule = AppModule.forRoot(config)): Promise<INestApplication> {
  // Masks every line it writes (src/common/masking-logger.ts); Nest routes every `new Logger()` through it.
  const logger = createServiceLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  // rawBody: provider webhooks are signed over the exact bytes they sent.
  // Strict, case-sensitive routing and the hygiene headers (src/common/http-edge.ts).
  const app = await NestFactory.create<NestExpressApplication>(root, new ExpressAdapter(createHttpServer(config)), { logger, rawBody: true });
  // WeChat pushes XML (text/xml): kept as the raw bytes beside the text, parsed by the WeChat webhook itself.
  app.useBodyParser('text', { type: ['text/xml', 'application/xml'], limit: '64kb' });
  app.useGlobalPipes(new RejectNulPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  setupOpenApi(app); // /api/docs and /api/docs-json: public routes outside Nest's controllers (see openapi.ts)
  return app;
}
