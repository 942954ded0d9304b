import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { Client } from 'pg';

/** The servers the integration tests use; the same variables as the service, defaulting to the local ones. */
const PG_BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function databaseUrl(name: string): string {
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminUrl(): string {
  return databaseUrl('postgres');
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<string> {
  const template = process.env.NOTIFIER_TEST_TEMPLATE;
  if (!template) throw new Error('integration tests need the global setup (run them through jest)');
  const name = `notifier_t_${process.env.NOTIFIER_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

/** Unique exchange and queue names for one test file, so files never consume each other's events. */
export function uniqueAmqpNames(): Record<string, string> {
  const suffix = randomBytes(4).toString('hex');
  return {
    AMQP_EXCHANGE: `test.airline.events.${suffix}`,
    AMQP_QUEUE: `test.notifier.events.${suffix}`,
    AMQP_DEAD_LETTER_EXCHANGE: `test.notifier.dead-letter.${suffix}`,
    AMQP_DEAD_LETTER_QUEUE: `test.notifier.dead-letter.${suffix}`,
  };
}

/** Removes what uniqueAmqpNames declared. */
export async function deleteAmqpNames(names: Record<string, string>, url = AMQP_URL): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(names.AMQP_QUEUE);
    await channel.deleteQueue(names.AMQP_DEAD_LETTER_QUEUE);
    await channel.deleteExchange(names.AMQP_EXCHANGE);
    await channel.deleteExchange(names.AMQP_DEAD_LETTER_EXCHANGE);
    await channel.close();
  } finally {
    await connection.close();
  }
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
