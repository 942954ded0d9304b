import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { EventPublisher } from '../../src/messaging/event-publisher.service';
import { AMQP_URL, createTestDatabase, deleteAmqpNames, uniqueAmqpNames } from './servers';

/** The whole service, on its own database, exchange and queues, with the sandbox writing to a temp folder. */
export const OPERATOR_TOKEN = 'operator-test-token-0123456789';
export const VIEWER_TOKEN = 'viewer-test-token-0123456789';
/** A booking system that POSTs CloudEvents over HTTP (POST /api/events and nothing else). */
export const PRODUCER_TOKEN = 'producer-test-token-0123456789';
/** The airline app's backend registering devices (PUT/DELETE /api/app-devices and nothing else). */
export const APP_TOKEN = 'app-backend-test-token-0123456789';

export interface TestService {
  app: INestApplication;
  config: AppConfig;
  /** HTTP against the service, as an operator unless told otherwise. */
  http: (as?: Role) => TestAgent;
  publisher: EventPublisher;
  db: DataSource;
  close: () => Promise<void>;
}

export interface TestEnvironment {
  env: Record<string, string>;
  dispose: () => Promise<void>;
}

/** Servers other than the machine's, e.g. private ones (test/support/private-servers.ts) for a test that stops them. */
export interface TestServers {
  /** A migrated database. */
  databaseUrl: string;
  amqpUrl: string;
}

/** A database and broker names for one test file; several service instances may share them (replicas). */
export async function createTestEnvironment(overrides: Record<string, string> = {}, servers?: TestServers): Promise<TestEnvironment> {
  const names = uniqueAmqpNames();
  const amqpUrl = servers?.amqpUrl ?? AMQP_URL;
  const env = {
    DATABASE_URL: servers?.databaseUrl ?? (await createTestDatabase()),
    AMQP_URL: amqpUrl,
    ...names,
    OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'notifier-outbox-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'text',
    DATABASE_POOL_SIZE: '10',
    // On the event loop: a render thread loads the TypeScript sources through ts-node, seconds per thread
    // (test/boarding-pass-threads.int-spec.ts checks the threads make the same passes).
    BOARDING_PASS_THREADS: '0',
    DISPATCH_IDLE_MS: '50',
    AMQP_DELIVERY_LIMIT: '4',
    OPS_API_TOKENS: `operator:${OPERATOR_TOKEN},viewer:${VIEWER_TOKEN},producer:${PRODUCER_TOKEN},app:${APP_TOKEN}`,
    // Flight news goes out at once and timed jobs run only when a test calls them; tests of those override.
    FLIGHT_NEWS_WINDOW_SECONDS: '0',
    URGENT_NEWS_WINDOW_SECONDS: '0',
    SCHEDULER_ENABLED: 'false',
    ...overrides,
  };
  return { env, dispose: () => deleteAmqpNames(names, amqpUrl).catch(() => undefined) };
}

export async function startService(env: Record<string, string>): Promise<TestService> {
  const config = loadConfig({ ...env, PORT: '0' });
  const app = await createApp(config);
  await app.listen(0);
  const publisher = app.get(EventPublisher);
  return {
    app,
    config,
    http: (as = 'operator') => authenticated(app.getHttpServer() as App, as),
    publisher,
    db: app.get(DataSource),
    close: () => app.close(),
  };
}

type Role = 'operator' | 'viewer' | 'producer' | 'app' | 'anonymous';
const TOKENS = { operator: OPERATOR_TOKEN, viewer: VIEWER_TOKEN, producer: PRODUCER_TOKEN, app: APP_TOKEN } as const;

type TestAgent = Pick<ReturnType<typeof request>, 'get' | 'post' | 'put' | 'delete'>;

/** A supertest agent that sends the role's bearer token with every request. */
function authenticated(server: App, as: Role): TestAgent {
  const agent = request(server);
  if (as === 'anonymous') return agent;
  const token = TOKENS[as];
  const withToken = <T extends { set: (name: string, value: string) => T }>(test: T) => test.set('Authorization', `Bearer ${token}`);
  return {
    get: (url: string) => withToken(agent.get(url)),
    post: (url: string) => withToken(agent.post(url)),
    put: (url: string) => withToken(agent.put(url)),
    delete: (url: string) => withToken(agent.delete(url)),
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

/**
 * Publishes an event and waits until the service has applied it (its inbox row). For events that come from
 * different producers in life (a booking, news of its flight), which the pipeline does not order: a test that
 * needs the booking known before the news says so by waiting here.
 */
export async function publishApplied(service: Pick<TestService, 'publisher' | 'db'>, event: { id: string; type: string }, timeoutMs = 30_000): Promise<void> {
  await service.publisher.publish(event.type, event);
  await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, timeoutMs, `event ${event.id} applied`);
}
