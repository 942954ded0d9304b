import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { amqpNames, AmqpNames, deleteAmqpNames as deleteNames } from './broker-names';
import { cloneDatabase, databaseOn } from './databases';

/** The servers the integration tests use; the same variables as the service, defaulting to the local ones. */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function databaseUrl(name: string): string {
  return databaseOn(PG_URL, name);
}

export function adminUrl(): string {
  return databaseUrl('postgres');
}

/** The database of every file of this run starts with this (the global teardown drops them by it). */
export function testDatabasePrefix(run = process.env.NOTIFIER_TEST_RUN): string {
  return `notifier_t_${run}_`;
}

/** A fresh, migrated database for one test file, cloned from the run's template (test/support/global-setup.ts). */
export async function createTestDatabase(): Promise<string> {
  const template = process.env.NOTIFIER_TEST_TEMPLATE;
  if (!template) throw new Error('integration tests need the global setup (run them through jest)');
  return cloneDatabase(PG_URL, template, `${testDatabasePrefix()}${randomBytes(4).toString('hex')}`);
}

/** Unique exchange and queue names for one test file, so files never consume each other's events. */
export function uniqueAmqpNames(): AmqpNames {
  return amqpNames(`test.${randomBytes(4).toString('hex')}`);
}

/** Removes what uniqueAmqpNames declared. */
export function deleteAmqpNames(names: AmqpNames, url = AMQP_URL): Promise<void> {
  return deleteNames(names, url);
}

export async function waitForBroker(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await amqplib.connect(AMQP_URL);
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
