import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { EventPublisher } from '../../src/messaging/event-publisher';
import { AMQP_URL, createTestDatabase, deleteAmqpNames, uniqueAmqpNames } from './servers';

/** The whole service, on its own database, exchange and queues, with the sandbox writing to a temp folder. */
export interface TestService {
  app: INestApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  publisher: EventPublisher;
  db: DataSource;
  close: () => Promise<void>;
}

export interface TestEnvironment {
  env: Record<string, string>;
  dispose: () => Promise<void>;
}

/** A database and broker names for one test file; several service instances may share them (replicas). */
export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const names = uniqueAmqpNames();
  const env = {
    DATABASE_URL: await createTestDatabase(),
    AMQP_URL,
    ...names,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'notifier-outbox-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'text',
    DATABASE_POOL_SIZE: '5',
    DISPATCH_IDLE_MS: '50',
    AMQP_DELIVERY_LIMIT: '4',
    ...overrides,
  };
  return { env, dispose: () => deleteAmqpNames(names).catch(() => undefined) };
}

export async function startService(env: Record<string, string>): Promise<TestService> {
  const config = loadConfig({ ...env, PORT: '0' });
  const app = await createApp(config);
  await app.listen(0);
  const publisher = app.get(EventPublisher);
  return {
    app,
    config,
    http: () => request(app.getHttpServer() as App),
    publisher,
    db: app.get(DataSource),
    close: () => app.close(),
  };
}

/** Polls until `probe` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function count(db: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
  return rows[0].n;
}
