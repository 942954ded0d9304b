import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATABASE_CONFIG, DatabaseConfig } from '../config/config-slices';
import { createDataSource } from './data-source';
import { runMigrationsLocked } from './migrator';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [DATABASE_CONFIG.token],
      useFactory: async (config: DatabaseConfig) => {
        const dataSource = createDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
        await dataSource.initialize();
        if (config.MIGRATIONS_RUN) {
          const applied = await runMigrationsLocked(dataSource);
          if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
        }
        return dataSource;
      },
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
