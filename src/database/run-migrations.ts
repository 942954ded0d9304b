import { Logger } from '@nestjs/common';
import { createServiceLogger } from '../common/masking-logger';
import { loadConfig } from '../config/app-config';
import { createDataSource } from './data-source';
import { runMigrationsLocked } from './migrator';

/** `npm run migration:run`: migrate without starting the service (e.g. a deploy step). */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(createServiceLogger(config.LOG_LEVEL, config.LOG_FORMAT));
  const dataSource = await createDataSource(config.DATABASE_URL).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    new Logger('Migrations').log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  new Logger('Migrations').error(error.message);
  process.exit(1);
});
