import { DynamicModule, Global, Module } from '@nestjs/common';
import { projectPath } from './project-root';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';
import { BCBP_SIGNING_KEY, TEMPLATES_DIR } from './config.tokens';

export { projectPath };

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
        // A factory: Nest refuses useValue undefined, and no key means unsigned passes.
        { provide: BCBP_SIGNING_KEY, useFactory: () => config.BCBP_SIGNING_KEY },
      ],
      exports: [APP_CONFIG, TEMPLATES_DIR, BCBP_SIGNING_KEY],
    };
  }
}
