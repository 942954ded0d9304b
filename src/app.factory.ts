import { DynamicModule, INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { createHttpServer } from './common/http-edge';
import { RejectNulPipe } from './common/reject-nul.pipe';
import { setupOpenApi } from './ops/dashboard/openapi';
import type { AppConfig } from './config/app-config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Builds the HTTP application; shared by main.ts, the demo and the integration tests (which may wrap
 * AppModule in a module of their own to mount extra controllers).
 */
export async function createApp(config: AppConfig, root: DynamicModule = AppModule.forRoot(config)): Promise<INestApplication> {
  const logger = new ConsoleLogger({
    json: config.LOG_FORMAT === 'json',
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  // rawBody: provider webhooks are signed over the exact bytes they sent.
  // Strict, case-sensitive routing and the hygiene headers (src/common/http-edge.ts).
  const app = await NestFactory.create(root, new ExpressAdapter(createHttpServer(config)), { logger, rawBody: true });
  app.useGlobalPipes(new RejectNulPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  setupOpenApi(app); // /api/docs and /api/docs-json: public routes outside Nest's controllers (see openapi.ts)
  return app;
}
