import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { createServiceLogger } from './common/masking-logger';
import { RejectNulPipe } from './common/reject-nul.pipe';
import { setupOpenApi } from './ops/dashboard/openapi';
import type { AppConfig } from './config/app-config';

/** Builds the HTTP application; shared by main.ts, the demo and the integration tests. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  // Masks every line it writes (src/common/masking-logger.ts); Nest routes every `new Logger()` through it.
  const logger = createServiceLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  // rawBody: provider webhooks are signed over the exact bytes they sent.
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, rawBody: true });
  app.useGlobalPipes(new RejectNulPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  setupOpenApi(app); // /api/docs and /api/docs-json, open without a token (see src/ops/dashboard/openapi.ts)
  return app;
}
