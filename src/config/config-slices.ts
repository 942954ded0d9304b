import { Inject } from '@nestjs/common';
import type { AppConfig } from './app-config';

/**
 * A named part of AppConfig with its own injection token. A consumer takes only the slices of the concerns it
 * works on (a dispatcher sees the dispatch settings, not the WhatsApp token); ConfigModule provides every slice
 * from the one parsed AppConfig, so loading and validation stay in app-config.ts. Slices may share a key (the
 * provider timeout belongs to every provider's slice): they are views, not owners.
 */
export interface ConfigSlice<K extends keyof AppConfig> {
  readonly token: symbol;
  readonly keys: readonly K[];
}

/** The value a slice's token carries: exactly its keys of AppConfig. AppConfig itself satisfies it (tests). */
export type SliceOf<S> = S extends ConfigSlice<infer K> ? Pick<AppConfig, K> : never;

function configSlice<const K extends keyof AppConfig>(name: string, keys: readonly K[]): ConfigSlice<K> {
  return { token: Symbol(name), keys };
}

/** `@InjectConfig(DISPATCH_CONFIG) config: DispatchConfig` — Nest's @Inject with the slice's token. */
export const InjectConfig = (slice: ConfigSlice<keyof AppConfig>): ParameterDecorator => Inject(slice.token);

/** The slice's keys copied out of the whole config (what ConfigModule provides under its token). */
export function pickSlice<K extends keyof AppConfig>(config: AppConfig, slice: ConfigSlice<K>): Pick<AppConfig, K> {
  const picked = {} as Pick<AppConfig, K>;
  for (const key of slice.keys) picked[key] = config[key];
  return picked;
}

export const RENDERING_CONFIG = configSlice('RENDERING_CONFIG', ['TEMPLATES_DIR', 'CATALOGS_DIR', 'SMS_SEGMENT_BUDGET', 'WECHAT_TEMPLATES_FILE']);
export type RenderingConfig = SliceOf<typeof RENDERING_CONFIG>;

export const LOGGING_CONFIG = configSlice('LOGGING_CONFIG', ['LOG_LEVEL', 'LOG_FORMAT']);
export type LoggingConfig = SliceOf<typeof LOGGING_CONFIG>;

export const DATABASE_CONFIG = configSlice('DATABASE_CONFIG', ['DATABASE_URL', 'DATABASE_POOL_SIZE', 'MIGRATIONS_RUN']);
export type DatabaseConfig = SliceOf<typeof DATABASE_CONFIG>;

export const AMQP_CONFIG = configSlice('AMQP_CONFIG', [
  'AMQP_URL',
  'AMQP_CONNECTION_NAME',
  'AMQP_EXCHANGE',
  'AMQP_QUEUE',
  'AMQP_DEAD_LETTER_EXCHANGE',
  'AMQP_DEAD_LETTER_QUEUE',
  'AMQP_PREFETCH',
  'AMQP_DELIVERY_LIMIT',
]);
export type AmqpConfig = SliceOf<typeof AMQP_CONFIG>;

/** Taking events in: over AMQP (the consumer) and over HTTP. */
export const INTAKE_CONFIG = configSlice('INTAKE_CONFIG', ['CONSUMER_ENABLED', 'MAX_EVENT_BYTES', 'INGEST_LANES', 'INGEST_BATCH_SIZE']);
export type IntakeConfig = SliceOf<typeof INTAKE_CONFIG>;

/** Deciding who gets what and when (the planner, flight news windows). */
export const PLANNING_CONFIG = configSlice('PLANNING_CONFIG', [
  'DELAY_THRESHOLD_MINUTES',
  'FIRST_CHANNEL_ONLY_TYPES',
  'FLIGHT_NEWS_WINDOW_SECONDS',
  'URGENT_NEWS_WINDOW_SECONDS',
  'PARTNER_WEBHOOKS',
]);
export type PlanningConfig = SliceOf<typeof PLANNING_CONFIG>;

export const DISPATCH_CONFIG = configSlice('DISPATCH_CONFIG', [
  'DISPATCHER_ENABLED',
  'DISPATCH_BATCH_SIZE',
  'DISPATCH_CONCURRENCY',
  'DISPATCH_LOOPS',
  'DISPATCH_IDLE_MS',
  'DISPATCH_HANDOFF',
  'DISPATCH_CLAIM_TIMEOUT_S',
  'DISPATCH_MAX_ATTEMPTS',
  'IN_DOUBT_RESEND_AFTER_SECONDS',
  'IN_DOUBT_LOOKUP_AFTER_SECONDS',
  'DELIVERY_MAX_AGE_MINUTES',
]);
export type DispatchConfig = SliceOf<typeof DISPATCH_CONFIG>;

/** Boarding passes attached to messages (the signing key has its own token, BCBP_SIGNING_KEY). */
export const BOARDING_PASS_CONFIG = configSlice('BOARDING_PASS_CONFIG', ['AIRLINE_NAMES']);
export type BoardingPassConfig = SliceOf<typeof BOARDING_PASS_CONFIG>;

/** Which provider serves each channel, and where the sandbox writes. */
export const CHANNELS_CONFIG = configSlice('CHANNELS_CONFIG', [
  'CHANNEL_WHATSAPP',
  'CHANNEL_SMS',
  'CHANNEL_EMAIL',
  'CHANNEL_WECHAT',
  'CHANNEL_MESSENGER',
  'CHANNEL_PUSH',
  'OUTBOX_DIR',
  'PARTNER_WEBHOOKS',
]);
export type ChannelsConfig = SliceOf<typeof CHANNELS_CONFIG>;

export const WHATSAPP_CONFIG = configSlice('WHATSAPP_CONFIG', [
  'CHANNEL_WHATSAPP',
  'WHATSAPP_BASE_URL',
  'WHATSAPP_API_VERSION',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_RATE_PER_SECOND',
  'WHATSAPP_PAIR_INTERVAL_MS',
  'PROVIDER_TIMEOUT_MS',
]);
export type WhatsAppConfig = SliceOf<typeof WHATSAPP_CONFIG>;

export const MESSENGER_CONFIG = configSlice('MESSENGER_CONFIG', [
  'CHANNEL_MESSENGER',
  'MESSENGER_BASE_URL',
  'MESSENGER_API_VERSION',
  'MESSENGER_PAGE_ID',
  'MESSENGER_PAGE_ACCESS_TOKEN',
  'MESSENGER_APP_SECRET',
  'MESSENGER_VERIFY_TOKEN',
  'MESSENGER_RATE_PER_SECOND',
  'MESSENGER_PAIR_INTERVAL_MS',
  'PROVIDER_TIMEOUT_MS',
]);
export type MessengerConfig = SliceOf<typeof MESSENGER_CONFIG>;

export const WECHAT_CONFIG = configSlice('WECHAT_CONFIG', [
  'CHANNEL_WECHAT',
  'WECHAT_BASE_URL',
  'WECHAT_APP_ID',
  'WECHAT_APP_SECRET',
  'WECHAT_TOKEN',
  'WECHAT_RATE_PER_SECOND',
  'WECHAT_RECIPIENT_INTERVAL_MS',
  'WECHAT_TOKEN_REFRESH_MARGIN_SECONDS',
  'PROVIDER_TIMEOUT_MS',
]);
export type WeChatConfig = SliceOf<typeof WECHAT_CONFIG>;

export const TWILIO_CONFIG = configSlice('TWILIO_CONFIG', [
  'CHANNEL_SMS',
  'TWILIO_BASE_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'SMS_RATE_PER_SECOND',
  'PUBLIC_BASE_URL',
  'PROVIDER_TIMEOUT_MS',
]);
export type TwilioConfig = SliceOf<typeof TWILIO_CONFIG>;

/** The passenger's app: FCM for android devices, APNs for ios devices. */
export const PUSH_CONFIG = configSlice('PUSH_CONFIG', [
  'CHANNEL_PUSH',
  'FCM_PROJECT_ID',
  'FCM_SERVICE_ACCOUNT',
  'FCM_BASE_URL',
  'FCM_TOKEN_URL',
  'APNS_KEY_ID',
  'APNS_TEAM_ID',
  'APNS_PRIVATE_KEY',
  'APNS_TOPIC',
  'APNS_BASE_URL',
  'APNS_CA_CERT',
  'PROVIDER_TIMEOUT_MS',
]);
export type PushConfig = SliceOf<typeof PUSH_CONFIG>;

/** Google Wallet boarding passes: save links and the updates of saved passes (docs/decisions/0032). */
export const GOOGLE_WALLET_CONFIG = configSlice('GOOGLE_WALLET_CONFIG', [
  'GOOGLE_WALLET_ISSUER_ID',
  'GOOGLE_WALLET_SERVICE_ACCOUNT',
  'GOOGLE_WALLET_BASE_URL',
  'GOOGLE_WALLET_TOKEN_URL',
  'PROVIDER_TIMEOUT_MS',
]);
export type GoogleWalletConfig = SliceOf<typeof GOOGLE_WALLET_CONFIG>;
/** Apple Wallet boarding passes; the pass updates go through APNs (its base URL, CA and, when set, token auth). */
export const APPLE_WALLET_CONFIG = configSlice('APPLE_WALLET_CONFIG', [
  'APPLE_WALLET_PASS_TYPE_ID',
  'APPLE_WALLET_TEAM_ID',
  'APPLE_WALLET_CERT',
  'APPLE_WALLET_KEY',
  'APPLE_WALLET_WWDR_CERT',
  'APNS_KEY_ID',
  'APNS_TEAM_ID',
  'APNS_PRIVATE_KEY',
  'APNS_BASE_URL',
  'APNS_CA_CERT',
  'AIRLINE_NAMES',
  'PUBLIC_BASE_URL',
  'PROVIDER_TIMEOUT_MS',
]);
export type AppleWalletConfig = SliceOf<typeof APPLE_WALLET_CONFIG>;

export const SMTP_CONFIG = configSlice('SMTP_CONFIG', ['CHANNEL_EMAIL', 'SMTP_URL', 'EMAIL_FROM', 'EMAIL_RATE_PER_SECOND', 'PROVIDER_TIMEOUT_MS']);
export type SmtpConfig = SliceOf<typeof SMTP_CONFIG>;

export const PARTNER_WEBHOOKS_CONFIG = configSlice('PARTNER_WEBHOOKS_CONFIG', ['PARTNER_WEBHOOKS', 'PROVIDER_TIMEOUT_MS']);
export type PartnerWebhooksConfig = SliceOf<typeof PARTNER_WEBHOOKS_CONFIG>;

/** The operator API: tokens, the failed-login limit, bulk-action confirmation. */
export const OPS_CONFIG = configSlice('OPS_CONFIG', ['OPS_API_TOKENS', 'OPS_AUTH_MAX_FAILURES', 'OPS_AUTH_FAILURE_WINDOW_SECONDS', 'BULK_CONFIRM_ABOVE']);
export type OpsConfig = SliceOf<typeof OPS_CONFIG>;

export const METRICS_CONFIG = configSlice('METRICS_CONFIG', ['METRICS_REFRESH_SECONDS']);
export type MetricsConfig = SliceOf<typeof METRICS_CONFIG>;

/** Retention, and the sandbox outbox that erasure also cleans. */
export const PRIVACY_CONFIG = configSlice('PRIVACY_CONFIG', ['RETENTION_DAYS', 'OUTBOX_DIR']);
export type PrivacyConfig = SliceOf<typeof PRIVACY_CONFIG>;

export const SCHEDULING_CONFIG = configSlice('SCHEDULING_CONFIG', ['SCHEDULER_ENABLED', 'CHECKIN_REMINDER_HOURS', 'CHECKIN_REMINDER_HOURS_US']);
export type SchedulingConfig = SliceOf<typeof SCHEDULING_CONFIG>;

export const TRACING_CONFIG = configSlice('TRACING_CONFIG', [
  'OTEL_SDK_DISABLED',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_EXPORT_TIMEOUT',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
]);
export type TracingConfig = SliceOf<typeof TRACING_CONFIG>;

/** Every slice ConfigModule provides. */
export const CONFIG_SLICES: readonly ConfigSlice<keyof AppConfig>[] = [
  LOGGING_CONFIG,
  DATABASE_CONFIG,
  AMQP_CONFIG,
  INTAKE_CONFIG,
  PLANNING_CONFIG,
  DISPATCH_CONFIG,
  BOARDING_PASS_CONFIG,
  CHANNELS_CONFIG,
  WHATSAPP_CONFIG,
  WECHAT_CONFIG,
  MESSENGER_CONFIG,
  TWILIO_CONFIG,
  PUSH_CONFIG,
  GOOGLE_WALLET_CONFIG,
  APPLE_WALLET_CONFIG,
  SMTP_CONFIG,
  PARTNER_WEBHOOKS_CONFIG,
  OPS_CONFIG,
  METRICS_CONFIG,
  RENDERING_CONFIG,
  PRIVACY_CONFIG,
  SCHEDULING_CONFIG,
  TRACING_CONFIG,
];

/**
 * Keys no slice carries: read where the whole AppConfig is at hand (main.ts, the app factory and http edge,
 * ConfigModule's own BCBP_SIGNING_KEY token). The spec checks every key is in a slice or here.
 */
export const APP_LEVEL_KEYS: readonly (keyof AppConfig)[] = [
  'NODE_ENV',
  'PORT',
  'SHUTDOWN_TIMEOUT_MS',
  'TRUST_PROXY_HOPS',
  'BCBP_SIGNING_KEY',
  'BOARDING_PASS_THREADS',
];
