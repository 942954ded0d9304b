import { z } from 'zod';
import { NOTIFICATION_TYPES } from '../vocabulary/notification-types';
import { OTEL_VARIABLES } from './otel-config';
import type { OpsRole } from '../vocabulary/ops-roles';

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.enum(values)));

/** Group commit's defaults (docs/decisions/0038, 0055, 0058): two lanes on two cores, of 256 booking events or one flight's news. */
const DEFAULT_INGEST_LANES = 2;
const DEFAULT_INGEST_BATCH_SIZE = 256;
/** Two full batches waiting behind the two in hand, so a lane that commits has its next batch at once. */
export const DEFAULT_AMQP_PREFETCH = DEFAULT_INGEST_LANES * DEFAULT_INGEST_BATCH_SIZE * 2;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A variable holding JSON, checked against `shape`. */
const json = <T extends z.ZodType>(shape: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(shape);

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
  AMQP_PREFETCH: int(1, 10000).default(DEFAULT_AMQP_PREFETCH),
  /** Quorum queue delivery limit: a message redelivered this often is parked, not retried forever. */
  AMQP_DELIVERY_LIMIT: int(2, 1000).default(10),
  CONSUMER_ENABLED: z.stringbool().default(true),
  /**
   * Group commit: transactions the consumer runs at once, and the most one of them applies, by weight: an event 1, a
   * flight's news the whole bound, so it goes alone (docs/decisions/0030, 0055, 0058).
   */
  INGEST_LANES: int(1, 64).default(DEFAULT_INGEST_LANES),
  INGEST_BATCH_SIZE: int(1, 1000).default(DEFAULT_INGEST_BATCH_SIZE),
  /** On SIGTERM: stop taking work, finish or return what is in flight, and exit within this time. */
  SHUTDOWN_TIMEOUT_MS: int(1_000, 600_000).default(25_000),
  MAX_EVENT_BYTES: int(1024, 16 * 1024 * 1024).default(256 * 1024),
  TEMPLATES_DIR: z.string().min(1).default('templates'),
  CATALOGS_DIR: z.string().min(1).default('catalogs'),
  /** The longest SMS any message may make, in segments; start-up refuses catalogs that exceed it. */
  SMS_SEGMENT_BUDGET: int(1, 10).default(6),
  OUTBOX_DIR: z.string().min(1).default('var/outbox'),
  DISPATCHER_ENABLED: z.stringbool().default(true),
  /**
   * Most notifications one claim takes. A claim costs PostgreSQL about the same whatever it takes, and 500 holds
   * a 300-passenger flight's news on one channel in one claim (docs/decisions/0037).
   */
  DISPATCH_BATCH_SIZE: int(1, 5000).default(500),
  DISPATCH_CONCURRENCY: int(1, 1000).default(50),
  /** Dispatcher loops per channel and replica: while one waits on PostgreSQL, another renders and sends. */
  DISPATCH_LOOPS: int(1, 16).default(4),
  DISPATCH_IDLE_MS: int(5, 60000).default(100),
  /**
   * Notifications per channel that planning may store already claimed for this replica's lanes and hand over in
   * memory, saving the claim's write (docs/decisions/0048); default DISPATCH_LOOPS × DISPATCH_BATCH_SIZE, what the
   * lanes claim in one round. 0: every notification is stored pending and claimed.
   */
  DISPATCH_HANDOFF: int(0, 100_000).optional(),
  /** A claim older than this is assumed to belong to a dead replica and is taken back. */
  DISPATCH_CLAIM_TIMEOUT_S: int(5, 3600).default(120),
  DISPATCH_MAX_ATTEMPTS: int(1, 100).default(8),
  /** A send in doubt with no report or lookup to settle it is sent again after this long (docs/decisions/0015). */
  IN_DOUBT_RESEND_AFTER_SECONDS: int(1, 7 * 24 * 3600).default(600),
  /**
   * A provider is asked about a send in doubt (Twilio's Messages list) once the doubt is this old: a request our
   * client gave up on may still reach the provider after it, and a list asked too early misses it (decision 0050).
   */
  IN_DOUBT_LOOKUP_AFTER_SECONDS: int(0, 3600).default(60),
  DELAY_THRESHOLD_MINUTES: int(1, 24 * 60).default(15),
  FIRST_CHANNEL_ONLY_TYPES: csv(NOTIFICATION_TYPES).default([]),
  CHANNEL_WHATSAPP: z.enum(['sandbox', 'whatsapp-cloud']).default('sandbox'),
  CHANNEL_SMS: z.enum(['sandbox', 'twilio']).default('sandbox'),
  CHANNEL_EMAIL: z.enum(['sandbox', 'smtp']).default('sandbox'),
  CHANNEL_MESSENGER: z.enum(['sandbox', 'messenger-platform']).default('sandbox'),
  CHANNEL_WECHAT: z.enum(['sandbox', 'wechat-official-account']).default('sandbox'),
  /** Where providers reach us (status callbacks, attachment links); no trailing slash. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  /** Retryable failures stop being retried once a notification is this old. */
  DELIVERY_MAX_AGE_MINUTES: int(1, 7 * 24 * 60).default(24 * 60),
  PROVIDER_TIMEOUT_MS: int(100, 120_000).default(10_000),

  WHATSAPP_BASE_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/).optional(),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_RATE_PER_SECOND: int(1, 10_000).default(80),
  /** Meta's pair limit: at most one message to the same WhatsApp user this often. */
  WHATSAPP_PAIR_INTERVAL_MS: int(0, 60_000).default(6_000),

  MESSENGER_BASE_URL: z.url().default('https://graph.facebook.com'),
  MESSENGER_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v25.0'),
  /** The Facebook Page that sends (the Send API's /{page-id}/messages). */
  MESSENGER_PAGE_ID: z.string().regex(/^\d+$/).optional(),
  MESSENGER_PAGE_ACCESS_TOKEN: z.string().min(1).optional(),
  MESSENGER_APP_SECRET: z.string().min(1).optional(),
  MESSENGER_VERIFY_TOKEN: z.string().min(1).optional(),
  /**
   * Notifications per second for the Page, all replicas together. Meta allows 300 Send API calls per second per
   * Page for text; a notification takes up to three (attachment upload, text, file), hence 100.
   */
  MESSENGER_RATE_PER_SECOND: int(1, 10_000).default(100),
  /** Least time between two messages to the same person (Meta limits messages to one thread but names no number). */
  MESSENGER_PAIR_INTERVAL_MS: int(0, 60_000).default(1_000),

  /** The Official Account's AppID (wx + 16 hex) and AppSecret: what the token endpoint takes. */
  WECHAT_APP_ID: z.string().regex(/^wx[0-9a-f]{16}$/, 'an Official Account AppID: wx and 16 hex digits').optional(),
  WECHAT_APP_SECRET: z.string().min(1).optional(),
  /** The Token set in the Official Account's server configuration: event pushes are signed with it. */
  WECHAT_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '3 to 32 letters or digits, as the Official Account platform takes it').optional(),
  WECHAT_BASE_URL: z.url().default('https://api.weixin.qq.com'),
  /** Template sends per second across all replicas; WeChat publishes a daily quota only (docs/decisions/0027). */
  WECHAT_RATE_PER_SECOND: int(1, 10_000).default(20),
  /** At most one message to the same WeChat user this often (WeChat's rules forbid frequent same-kind messages). */
  WECHAT_RECIPIENT_INTERVAL_MS: int(0, 600_000).default(6_000),
  /** The access token is refreshed this long before WeChat says it expires (WeChat keeps the old one valid 5 minutes). */
  WECHAT_TOKEN_REFRESH_MARGIN_SECONDS: int(0, 3_600).default(300),
  /** Template ids and keyword data per notification type and locale (docs/decisions/0027). */
  WECHAT_TEMPLATES_FILE: z.string().min(1).default('config/wechat-templates.json'),

  TWILIO_BASE_URL: z.url().default('https://api.twilio.com'),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().min(1).optional(),
  SMS_RATE_PER_SECOND: int(1, 10_000).default(30),

  /** The passenger's app: `fcm-apns` sends to each registered device through FCM (android) and APNs (ios). */
  CHANNEL_PUSH: z.enum(['sandbox', 'fcm-apns']).default('sandbox'),
  FCM_PROJECT_ID: z.string().regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/, 'must be a Firebase project id').optional(),
  /** The Firebase service account's key file (JSON) as downloaded; its private key signs the OAuth2 JWT grant. */
  FCM_SERVICE_ACCOUNT: json(
    z.looseObject({
      client_email: z.email(),
      private_key: z.string().includes('PRIVATE KEY'),
      private_key_id: z.string().min(1).optional(),
    }),
  ).optional(),
  FCM_BASE_URL: z.url().default('https://fcm.googleapis.com'),
  FCM_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  APNS_KEY_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character key id').optional(),
  APNS_TEAM_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character team id').optional(),
  /** The APNs authentication token signing key (.p8, PEM, ES256). */
  APNS_PRIVATE_KEY: z.string().includes('PRIVATE KEY').optional(),
  /** The app's bundle id. */
  APNS_TOPIC: z.string().regex(/^[A-Za-z0-9.-]{1,155}$/, 'must be the app bundle id').optional(),
  APNS_BASE_URL: z.url({ protocol: /^https$/ }).default('https://api.push.apple.com'),
  /** Extra certificate authorities (PEM) APNs' TLS certificate may chain to: a TLS-inspecting proxy, a local test server. */
  APNS_CA_CERT: z.string().includes('BEGIN CERTIFICATE').optional(),

  /** Google Wallet boarding passes (docs/decisions/0032): the issuer id Google gave the airline (digits). */
  GOOGLE_WALLET_ISSUER_ID: z.string().regex(/^\d{1,25}$/, 'must be the numeric Google Wallet issuer id').optional(),
  /** The Google Wallet API service account's key file (JSON) as downloaded: signs save links and the OAuth2 JWT grant. */
  GOOGLE_WALLET_SERVICE_ACCOUNT: json(
    z.looseObject({
      client_email: z.email(),
      private_key: z.string().includes('PRIVATE KEY'),
      private_key_id: z.string().min(1).optional(),
      token_uri: z.url().optional(),
    }),
  ).optional(),
  GOOGLE_WALLET_BASE_URL: z.url().default('https://walletobjects.googleapis.com'),
  /** Overrides the service account's token_uri (a proxy, a local test server). */
  GOOGLE_WALLET_TOKEN_URL: z.url().optional(),

  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:25'),
  EMAIL_FROM: z.string().min(3).default('Flight notifications <notifications@example.com>'),
  EMAIL_RATE_PER_SECOND: int(1, 10_000).default(50),

  /**
   * API tokens: comma-separated `role:token`, roles viewer, operator, producer (POST /api/events only) and app
   * (PUT/DELETE /api/app-devices only).
   * Empty = the API is closed.
   */
  OPS_API_TOKENS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^(viewer|operator|producer|app):[^\s:]{16,}$/, 'each entry must be viewer:<token>, operator:<token>, producer:<token> or app:<token>, tokens of 16+ characters')
          .transform((entry) => {
            const at = entry.indexOf(':');
            return { role: entry.slice(0, at) as OpsRole, token: entry.slice(at + 1) };
          }),
      ),
    )
    .default([]),
  /** Failed logins (missing or unknown token) allowed per client address and window before 429 (per replica). */
  OPS_AUTH_MAX_FAILURES: int(1, 1_000_000).default(20),
  OPS_AUTH_FAILURE_WINDOW_SECONDS: int(1, 86_400).default(300),
  /**
   * Proxies in front of the service whose X-Forwarded-For is believed (Express 'trust proxy' as a hop count):
   * the client address the failed-login limit counts by. 0: the peer's own address.
   */
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  /**
   * A bulk replay or re-drive touching more notifications (or dead letters) than this needs the operator
   * to echo the count back (`confirm`); 0 asks for it on every bulk action.
   */
  BULK_CONFIRM_ABOVE: int(0, 10_000_000).default(1000),
  /** Gauges read from PostgreSQL and RabbitMQ are recomputed at most this often, in the background of scrapes. */
  METRICS_REFRESH_SECONDS: int(1, 3600).default(15),
  /** Retention: personal data of bookings whose last flight landed longer ago than this is erased. */
  RETENTION_DAYS: int(1, 3650).default(30),
  /** Flight news waits this long (from the first news) so snapshots in quick succession make one message. */
  FLIGHT_NEWS_WINDOW_SECONDS: int(0, 3600).default(60),
  /**
   * The same window for boarding, cancellation and diversion. 0 by default: such news goes out at once
   * (a cancellation still supersedes delay or gate news that is waiting in its window).
   */
  URGENT_NEWS_WINDOW_SECONDS: int(0, 600).default(0),
  /** Check-in reminder: this many hours before the scheduled departure; the second for flights to the US. */
  CHECKIN_REMINDER_HOURS: int(1, 14 * 24).default(30),
  CHECKIN_REMINDER_HOURS_US: int(1, 14 * 24).default(24),
  /** Timed jobs (check-in reminders, retention purge); safe to leave on in every replica. */
  SCHEDULER_ENABLED: z.stringbool().default(true),

  /** ECDSA P-256 private key (PEM): boarding passes then carry a signed IATA security section. */
  BCBP_SIGNING_KEY: z.string().includes('PRIVATE KEY').optional(),
  /**
   * Worker threads rendering boarding passes (QR + PDF, a few ms of CPU each); 0 renders them on the event
   * loop. Default: one per core the process may use (os.availableParallelism()). docs/decisions/0033.
   */
  BOARDING_PASS_THREADS: int(0, 64).optional(),
  /** Airline names printed on boarding passes, by IATA designator: JSON object, e.g. {"KL":"KLM"}. */
  AIRLINE_NAMES: json(z.record(z.string().regex(/^[A-Z0-9]{2,3}$/), z.string().min(1).max(60))).default({}),

  /**
   * Apple Wallet boarding passes (docs/decisions/0031): the pass type id and team id of the pass type certificate,
   * the certificate and its RSA private key (unencrypted PEM) and Apple's WWDR intermediate certificate (PEM). All
   * or none: without them no .pkpass is made and nothing else changes.
   */
  APPLE_WALLET_PASS_TYPE_ID: z.string().regex(/^pass\.[A-Za-z0-9.-]{1,150}$/, 'must be a pass type identifier: pass.<reverse domain>').optional(),
  APPLE_WALLET_TEAM_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character team id').optional(),
  APPLE_WALLET_CERT: z.string().includes('BEGIN CERTIFICATE').optional(),
  APPLE_WALLET_KEY: z.string().includes('PRIVATE KEY').optional(),
  APPLE_WALLET_WWDR_CERT: z.string().includes('BEGIN CERTIFICATE').optional(),

  /** Partner webhooks (CRM, travel agent): JSON array of {name, url, secret, types?}. */
  PARTNER_WEBHOOKS: json(
    z.array(
      z.object({
        name: z.string().regex(/^[a-z0-9-]{1,40}$/),
        url: z.url(),
        secret: z.string().min(16),
        types: z.array(z.enum(NOTIFICATION_TYPES)).optional(),
      }),
    ),
  ).default([]),

  /** OpenTelemetry tracing: the standard OTEL_* variables (off unless an OTLP endpoint is set). */
  ...OTEL_VARIABLES,
});

/** A provider chosen for a channel needs its credentials; say which are missing before anything starts. */
const REQUIRED_FOR_PROVIDER: Record<string, (keyof z.infer<typeof schema>)[]> = {
  'whatsapp-cloud': ['WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'],
  'messenger-platform': ['MESSENGER_PAGE_ID', 'MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN'],
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'],
  'wechat-official-account': ['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_TOKEN'],
  smtp: [],
};

/** Push reaches each platform with its own credentials: FCM (android) and APNs (ios), each all or nothing. */
const PUSH_PLATFORM_KEYS = {
  FCM: ['FCM_PROJECT_ID', 'FCM_SERVICE_ACCOUNT'],
  APNs: ['APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_PRIVATE_KEY', 'APNS_TOPIC'],
} as const;

/** Apple Wallet needs every one of these, or none. */
export const APPLE_WALLET_KEYS = ['APPLE_WALLET_PASS_TYPE_ID', 'APPLE_WALLET_TEAM_ID', 'APPLE_WALLET_CERT', 'APPLE_WALLET_KEY', 'APPLE_WALLET_WWDR_CERT'] as const;

const checkedSchema = schema.superRefine((config, ctx) => {
  const appleWallet = APPLE_WALLET_KEYS.filter((key) => config[key] !== undefined);
  if (appleWallet.length > 0 && appleWallet.length < APPLE_WALLET_KEYS.length) {
    for (const key of APPLE_WALLET_KEYS.filter((k) => config[k] === undefined)) ctx.addIssue({ code: 'custom', path: [key], message: `required with ${appleWallet.join(', ')}` });
  }
  for (const setting of ['CHANNEL_WHATSAPP', 'CHANNEL_SMS', 'CHANNEL_EMAIL', 'CHANNEL_MESSENGER', 'CHANNEL_WECHAT'] as const) {
    for (const key of REQUIRED_FOR_PROVIDER[config[setting]] ?? []) {
      if (config[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `required when ${setting}=${config[setting]}` });
      }
    }
  }
  // Google Wallet is all or nothing: an issuer without a key (or the reverse) is a half-made setting.
  const googleWalletMissing = (['GOOGLE_WALLET_ISSUER_ID', 'GOOGLE_WALLET_SERVICE_ACCOUNT'] as const).filter((k) => config[k] === undefined);
  if (googleWalletMissing.length === 1) ctx.addIssue({ code: 'custom', path: [googleWalletMissing[0]], message: 'required with the other GOOGLE_WALLET_ settings' });
  if (config.CHANNEL_PUSH !== 'fcm-apns') return;
  let anySet = false;
  for (const keys of Object.values(PUSH_PLATFORM_KEYS)) {
    const set = keys.filter((key) => config[key] !== undefined);
    anySet ||= set.length > 0;
    if (set.length === 0 || set.length === keys.length) continue;
    for (const key of keys.filter((k) => config[k] === undefined)) ctx.addIssue({ code: 'custom', path: [key], message: `required with ${set.join(', ')}` });
  }
  if (!anySet) {
    ctx.addIssue({ code: 'custom', path: ['CHANNEL_PUSH'], message: `fcm-apns needs FCM (${PUSH_PLATFORM_KEYS.FCM.join(', ')}) or APNs (${PUSH_PLATFORM_KEYS.APNs.join(', ')}) or both` });
  }
});

export type AppConfig = z.infer<typeof checkedSchema>;
/** Every variable the schema knows, set or not (optional ones are absent from a parsed AppConfig). */
export const APP_CONFIG_KEYS = Object.keys(schema.shape) as (keyof AppConfig)[];
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/** Parses and checks the environment; throws one error naming every missing or bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = checkedSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
}
