import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

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
    logging: ['error'],
    extra: { max: poolSize, application_name: 'flight-notifier' },
  });
}
