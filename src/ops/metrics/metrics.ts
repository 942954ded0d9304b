import { Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SendResult } from '../../channels/channel-adapter';
import { maskContact, maskPersonalData } from '../../common/mask';
import { EVENT_TYPES } from '../../events/event-types';
import type { IngestOutcome } from '../../events/ingest-outcome';
import type { ProviderStatusUpdate, StatusApplyResult } from '../../delivery/provider-status';
import type { NotificationRecord } from '../../notifications/notification-records';

/**
 * The process's Prometheus registry and the instruments the pipeline updates as it works. They live at
 * module level so that the code being measured needs one call and no injected dependency; the gauges read
 * from PostgreSQL and RabbitMQ are filled by MetricsService's background reading.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'notifier_' });

const known = (value: string, allowed: readonly string[]) => (allowed.includes(value) ? value : 'other');

export const eventsConsumed = new Counter({
  name: 'notifier_events_consumed_total',
  help: 'Events taken from the events queue, by CloudEvent type and outcome (applied, duplicate, parked).',
  labelNames: ['type', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const eventsParked = new Counter({
  name: 'notifier_events_parked_total',
  help: 'Events parked (dead-lettered with a reason), by CloudEvent type and reason code.',
  labelNames: ['type', 'reason_code'] as const,
  registers: [metricsRegistry],
});

export const unusableContacts = new Counter({
  name: 'notifier_unusable_contacts_total',
  help: 'Passenger contacts in applied booking snapshots that cannot be used (never sent to), by channel and reason.',
  labelNames: ['channel', 'reason'] as const,
  registers: [metricsRegistry],
});

export function observeUnusableContact(channel: string, reason: string): void {
  unusableContacts.inc({ channel, reason });
}

export const sendDuration = new Histogram({
  name: 'notifier_send_duration_seconds',
  help: 'Time a channel adapter took to answer one send, by channel and outcome.',
  labelNames: ['channel', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const providerErrors = new Counter({
  name: 'notifier_provider_errors_total',
  help: 'Errors reported by providers, by channel, error code and where we heard it (send answer or status webhook).',
  labelNames: ['channel', 'code', 'source'] as const,
  registers: [metricsRegistry],
});

export const providerStatusReports = new Counter({
  name: 'notifier_provider_status_reports_total',
  help: 'Delivery reports from provider webhooks, by channel, reported status and what we did with it.',
  labelNames: ['channel', 'status', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const channelPauses = new Counter({
  name: 'notifier_channel_pauses_total',
  help: 'Times a channel was paused because the provider refused our credentials.',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});

/** Meta's template events (message_template_status_update); any other value is counted as 'other'. */
export const TEMPLATE_EVENTS = [
  'APPROVED',
  'PAUSED',
  'DISABLED',
  'REJECTED',
  'FLAGGED',
  'PENDING_DELETION',
  'DELETED',
  'REINSTATED',
  'PENDING',
  'IN_APPEAL',
  'LOCKED',
  'UNLOCKED',
  'ARCHIVED',
  'UNARCHIVED',
  'LIMIT_EXCEEDED',
] as const;

export const whatsappTemplateStatus = new Counter({
  name: 'notifier_whatsapp_template_status_total',
  help: "Template status updates Meta sent (message_template_status_update), by event: PAUSED, DISABLED, REJECTED … take the template out of use, APPROVED/REINSTATED put it back.",
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const whatsappQualityUpdates = new Counter({
  name: 'notifier_whatsapp_phone_quality_updates_total',
  help: "Business phone number quality updates Meta sent (phone_number_quality_update), by event (UPGRADE, DOWNGRADE, FLAGGED, UNFLAGGED, THROUGHPUT_UPGRADE, ONBOARDING).",
  labelNames: ['event'] as const,
  registers: [metricsRegistry],
});

export const whatsappMessagingLimit = new Gauge({
  name: 'notifier_whatsapp_messaging_limit',
  help: 'The messaging limit (business-initiated conversations per 24 h) of the last phone_number_quality_update; +Inf for TIER_UNLIMITED, 0 before the number has sent.',
  registers: [metricsRegistry],
});

export const opsAuthFailures = new Counter({
  name: 'notifier_ops_auth_failures_total',
  help: 'Requests refused for want of a valid token, by reason (missing, invalid, rate_limited: the address failed too often).',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const replayRequests = new Counter({
  name: 'notifier_replays_total',
  help: 'Operator replays: single notifications by outcome, and bulk jobs started (mode=bulk).',
  labelNames: ['mode', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const replayedByJobs = new Counter({
  name: 'notifier_replay_job_matched_total',
  help: 'Notifications selected by bulk replay jobs started on this replica.',
  registers: [metricsRegistry],
});

/** Filled by MetricsService's background reading (at most every METRICS_REFRESH_SECONDS). */
export const notificationsByState = new Gauge({
  name: 'notifier_notifications',
  help: 'Notifications in the database, by type, channel and status.',
  labelNames: ['type', 'channel', 'status'] as const,
  registers: [metricsRegistry],
});

export const queueDepth = new Gauge({
  name: 'notifier_queue_messages',
  help: 'Messages ready in a RabbitMQ queue (the events queue and its dead-letter queue).',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

export const queueConsumers = new Gauge({
  name: 'notifier_queue_consumers',
  help: 'Consumers attached to a RabbitMQ queue.',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

export const consumerLag = new Gauge({
  name: 'notifier_dispatch_lag_seconds',
  help: 'Age of the oldest pending notification that is due (0 when nothing waits): how far sending is behind.',
  registers: [metricsRegistry],
});

export const openDeadLetters = new Gauge({
  name: 'notifier_dead_letters_open',
  help: 'Parked events not re-driven yet.',
  registers: [metricsRegistry],
});

export const scrapeErrors = new Counter({
  name: 'notifier_metrics_scrape_errors_total',
  help: 'Scrape-time readings that failed (database or broker unreachable), by source.',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

const consumerLog = new Logger('EventConsumer');
const senderLog = new Logger('NotificationSender');

/**
 * Whether the per-message debug lines are wanted (LOG_LEVEL debug or verbose). Set by MetricsService from
 * the configuration, so the hot path neither re-reads the event body nor builds a log object for nothing.
 */
let traceMessages = false;
export function setMessageTracing(on: boolean): void {
  traceMessages = on;
}

/** The CloudEvent's identity for the log line; the body was validated already, this only reads it again. */
function cloudEventIds(body: Buffer): { eventId?: string; source?: string; type?: string } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    const { id, source, type } = parsed as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
    return { eventId: text(id), source: text(source), type: text(type) };
  } catch {
    return {};
  }
}

/** One consumed event: counted by type and outcome, and logged with its CloudEvent id. */
export function observeEvent(routingKey: string, body: Buffer, outcome: IngestOutcome): void {
  const type = known(routingKey, EVENT_TYPES);
  eventsConsumed.inc({ type, outcome: outcome.kind });
  if (outcome.kind === 'parked') eventsParked.inc({ type, reason_code: outcome.reasonCode });
  if (!traceMessages) return;
  consumerLog.debug({
    msg: 'event consumed',
    ...cloudEventIds(body),
    routingKey,
    outcome: outcome.kind,
    ...(outcome.kind === 'applied' ? { notifications: outcome.notifications } : {}),
    ...(outcome.kind === 'parked' ? { reasonCode: outcome.reasonCode } : {}),
  });
}

/** One send attempt: latency by channel, provider errors by code, and one log line from event to provider id. */
export function observeSend(n: NotificationRecord, adapter: string, result: SendResult, ms: number): void {
  sendDuration.observe({ channel: n.channel, outcome: result.outcome }, ms / 1000);
  if (result.outcome === 'permanent' || result.outcome === 'retryable' || result.outcome === 'paused') {
    providerErrors.inc({ channel: n.channel, code: result.code.slice(0, 64), source: 'send' });
  }
  if (!traceMessages) return;
  senderLog.debug({
    msg: 'notification send',
    correlationId: `${n.eventSource}#${n.eventId}`,
    notificationId: n.id,
    type: n.type,
    channel: n.channel,
    adapter,
    recipient: n.channel === 'webhook' ? n.recipient : maskContact(n.recipient),
    outcome: result.outcome,
    ms,
    ...('providerMessageId' in result ? { providerMessageId: result.providerMessageId } : {}),
    ...('message' in result ? { code: result.code, error: maskPersonalData(result.message) } : {}),
    ...(result.outcome === 'deferred' && result.code ? { code: result.code } : {}),
  });
}

/** One delivery report from a provider webhook. */
export function observeProviderStatus(update: ProviderStatusUpdate, result: StatusApplyResult): void {
  providerStatusReports.inc({ channel: update.channel, status: update.status, outcome: result.outcome });
  if (update.errorCode) providerErrors.inc({ channel: update.channel, code: update.errorCode.slice(0, 64), source: 'webhook' });
}

export function observeTemplateStatus(event: string): void {
  whatsappTemplateStatus.inc({ status: known(event, TEMPLATE_EVENTS) });
}

const QUALITY_EVENTS = ['ONBOARDING', 'THROUGHPUT_UPGRADE', 'UPGRADE', 'DOWNGRADE', 'FLAGGED', 'UNFLAGGED'] as const;
const TIERS: Readonly<Record<string, number>> = {
  TIER_NOT_SET: 0,
  TIER_50: 50,
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** Counts a quality update and, when it names a tier we know, sets the messaging-limit gauge. */
export function observeQualityUpdate(event: string, limit: string | undefined): void {
  whatsappQualityUpdates.inc({ event: known(event, QUALITY_EVENTS) });
  if (limit !== undefined && limit in TIERS) whatsappMessagingLimit.set(TIERS[limit]);
}

export function observeChannelPause(channel: string): void {
  channelPauses.inc({ channel });
}

/** A request OpsAuthGuard refused as a failed login (never 403s: those callers did authenticate). */
export function observeAuthFailure(reason: 'missing' | 'invalid' | 'rate_limited'): void {
  opsAuthFailures.inc({ reason });
}

/** A single replay by its outcome (replayed, skipped). */
export function observeReplay(outcome: string): void {
  replayRequests.inc({ mode: 'single', outcome });
}

/** A bulk replay job that started, with how many notifications it selected; returns the job unchanged. */
export function countReplayJob<T extends { total: number }>(job: T): T {
  replayRequests.inc({ mode: 'bulk', outcome: 'started' });
  replayedByJobs.inc(job.total);
  return job;
}
