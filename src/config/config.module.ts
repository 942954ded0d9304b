import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { projectPath } from './project-root';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';
import { CONFIG_SLICES, pickSlice } from './config-slices';
import { availableParallelism } from 'node:os';
import { BCBP_SIGNING_KEY, BOARDING_PASS_THREADS, CATALOGS_DIR } from './config.tokens';

export { projectPath };

@Global()
@Module({})
export class ConfigModule {
  /**
   * Pass a ready config (tests, demo) or let it read the environment. Modules inject the slices they need
   * (config-slices.ts); APP_CONFIG, the whole object, stays provided for the app's own wiring and tests.
   */
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    const slices: Provider[] = CONFIG_SLICES.map((slice) => ({ provide: slice.token, useValue: pickSlice(config, slice) }));
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ...slices,
        { provide: CATALOGS_DIR, useValue: projectPath(config.CATALOGS_DIR) },
        // A factory: Nest refuses useValue undefined, and no key means unsigned passes.
        { provide: BCBP_SIGNING_KEY, useFactory: () => config.BCBP_SIGNING_KEY },
        { provide: BOARDING_PASS_THREADS, useValue: config.BOARDING_PASS_THREADS ?? availableParallelism() },
      ],
      exports: [APP_CONFIG, ...CONFIG_SLICES.map((slice) => slice.token), CATALOGS_DIR, BCBP_SIGNING_KEY, BOARDING_PASS_THREADS],
    };
  }
}
