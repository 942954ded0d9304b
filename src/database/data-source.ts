import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { MaskedTypeOrmLogger } from './typeorm-logger';
import { SESSION_OPTIONS } from './session-options';

/** One DataSource definition for the service, the migration CLI and the tests. Never synchronize. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Through the service's logger, never TypeORM's console printer: failed queries without their parameters.
    // A logger object decides for itself what to write; TypeORM's `logging` levels apply only to its own printers.
    logger: new MaskedTypeOrmLogger(),
    extra: { max: poolSize, application_name: 'flight-notifier', options: SESSION_OPTIONS },
  });
}
