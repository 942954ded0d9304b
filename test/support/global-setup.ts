import { createMigratedDatabase } from './databases';
import { PG_URL, waitForBroker } from './servers';

/**
 * Migrates one template database per run; each test file clones its own database from it
 * (CREATE DATABASE ... TEMPLATE), so files run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const template = `notifier_tpl_${process.pid}_${Date.now()}`;
  process.env.NOTIFIER_TEST_TEMPLATE = template;
  process.env.NOTIFIER_TEST_RUN = `${process.pid}${Date.now().toString(36)}`;
  await createMigratedDatabase(PG_URL, template);
  await waitForBroker();
}
