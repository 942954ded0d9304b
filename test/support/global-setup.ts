import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source';
import { runMigrationsLocked } from '../../src/database/migrator';
import { adminUrl, databaseUrl, waitForBroker } from './servers';

/**
 * Migrates one template database per run; each test file clones its own database from it
 * (CREATE DATABASE ... TEMPLATE), so files run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const template = `notifier_tpl_${process.pid}_${Date.now()}`;
  process.env.NOTIFIER_TEST_TEMPLATE = template;
  process.env.NOTIFIER_TEST_RUN = `${process.pid}${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = await createDataSource(databaseUrl(template), 2).initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  await waitForBroker();
}
