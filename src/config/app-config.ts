import { z } from 'zod';
import { CHANNELS, NOTIFICATION_TYPES } from '../notifications/notification-types';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.enum(values)));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every environment variable the service reads, with defaults that point at the local servers.
 * The only place that looks at process.env (design: config/ is the one reader).
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/notifier'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  MIGRATIONS_RUN: z.stringbool().default(true),
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default('amqp://guest:guest@127.0.0.1:5672'),
  AMQP_CONNECTION_NAME: z.string().min(1).default('flight-notifier'),
  AMQP_EXCHANGE: z.string().min(1).default('airline.events'),
  AMQP_QUEUE: z.string().min(1).default('notifier.events'),
  AMQP_DEAD_LETTER_EXCHANGE: z.string().min(1).default('notifier.dead-letter'),
  AMQP_DEAD_LETTER_QUEUE: z.string().min(1).default('notifier.events.dead-letter'),
  AMQP_PREFETCH: int(1, 10000).default(64),
  /** Quorum queue delivery limit: a message redelivered this often is parked, not retried forever. */
  AMQP_DELIVERY_LIMIT: int(2, 1000).default(10),
  CONSUMER_ENABLED: z.stringbool().default(true),
  MAX_EVENT_BYTES: int(1024, 16 * 1024 * 1024).default(256 * 1024),
  TEMPLATES_DIR: z.string().min(1).default('templates'),
  OUTBOX_DIR: z.string().min(1).default('var/outbox'),
  PUBLIC_BASE_URL: z.url().optional(),
  DISPATCHER_ENABLED: z.stringbool().default(true),
  DISPATCH_BATCH_SIZE: int(1, 5000).default(200),
  DISPATCH_CONCURRENCY: int(1, 1000).default(50),
  DISPATCH_IDLE_MS: int(5, 60000).default(100),
  /** A claim older than this is assumed to belong to a dead replica and is taken back. */
  DISPATCH_CLAIM_TIMEOUT_S: int(5, 3600).default(120),
  DISPATCH_MAX_ATTEMPTS: int(1, 100).default(8),
  DELAY_THRESHOLD_MINUTES: int(1, 24 * 60).default(15),
  FIRST_CHANNEL_ONLY_TYPES: csv(NOTIFICATION_TYPES).default([]),
  CHANNEL_WHATSAPP: z.enum(['sandbox']).default('sandbox'),
  CHANNEL_SMS: z.enum(['sandbox']).default('sandbox'),
  CHANNEL_EMAIL: z.enum(['sandbox']).default('sandbox'),
});

export type AppConfig = z.infer<typeof schema>;
export const APP_CONFIG = Symbol('APP_CONFIG');
export const ADAPTER_SETTING: Record<(typeof CHANNELS)[number], keyof AppConfig> = {
  whatsapp: 'CHANNEL_WHATSAPP',
  sms: 'CHANNEL_SMS',
  email: 'CHANNEL_EMAIL',
};

export class ConfigError extends Error {}

/** Parses and checks the environment; throws one error naming every missing or bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
}
