import { INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { RejectNulPipe } from './common/reject-nul.pipe';
import { setupOpenApi } from './ops/dashboard/openapi';
import type { AppConfig } from './config/app-config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the HTTP application; shared by main.ts, the demo and the integration tests. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const logger = new ConsoleLogger({
    json: config.LOG_FORMAT === 'json',
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  // rawBody: provider webhooks are signed over the exact bytes they sent.
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, rawBody: true });
  app.useGlobalPipes(new RejectNulPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  setupOpenApi(app); // /api/docs and /api/docs-json, open without a token (see src/ops/dashboard/openapi.ts)
  return app;
}
