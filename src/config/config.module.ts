import { isAbsolute, resolve } from 'node:path';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { findProjectRoot } from '../events/event-schemas';
import { TEMPLATES_DIR } from '../rendering/rendering.tokens';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';

/** Relative folders in the configuration are taken from the project root, not from wherever the process started. */
export function projectPath(path: string): string {
  return isAbsolute(path) ? path : resolve(findProjectRoot(), path);
}

@Global()
@Module({})
export class ConfigModule {
  /** Pass a ready config (tests, demo) or let it read the environment. */
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: TEMPLATES_DIR, useValue: projectPath(config.TEMPLATES_DIR) },
      ],
      exports: [APP_CONFIG, TEMPLATES_DIR],
    };
  }
}
