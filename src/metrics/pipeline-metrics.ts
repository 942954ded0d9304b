import { Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { maskContact, maskPersonalData } from '../common/mask';
import { LOGGING_CONFIG, LoggingConfig, InjectConfig } from '../config/config-slices';
import { EVENT_TYPES } from '../vocabulary/event-type-names';
import type { ConsumedOutcome, SendAnswer, SentNotification, StatusReport, StatusReportOutcome } from './observations';
import { pipelineInstruments, TEMPLATE_EVENTS } from './pipeline-instruments';

const known = (value: string, allowed: readonly string[]) => (allowed.includes(value) ? value : 'other');

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

/**
 * The recorders the pipeline calls as it works: one typed method per thing measured, each updating the
 * instruments on the app's prom-client Registry (and, for events and sends, one debug line). Injected where
 * the work happens; the /metrics endpoint and the gauges read from PostgreSQL and RabbitMQ are ops' concern.
 */
@Injectable()
export class PipelineMetrics {
  private readonly instruments: ReturnType<typeof pipelineInstruments>;
  private readonly consumerLog = new Logger('EventConsumer');
  private readonly senderLog = new Logger('NotificationSender');
  /** Whether the per-message debug lines are wanted (LOG_LEVEL debug or verbose): the hot path builds no log object for nothing. */
  private readonly traceMessages: boolean;

  constructor(registry: Registry, @InjectConfig(LOGGING_CONFIG) config: Pick<LoggingConfig, 'LOG_LEVEL'>) {
    this.instruments = pipelineInstruments(registry);
    this.traceMessages = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'verbose';
  }

  /** One consumed event: counted by type and outcome, and logged with its CloudEvent id. */
  /** One consumer transaction of `events` events: committed together, or failed (its events are then taken one by one). */
  ingestBatch(events: number, outcome: 'committed' | 'failed'): void {
    this.instruments.ingestBatches.observe({ outcome }, events);
  }

  eventConsumed(routingKey: string, body: Buffer, outcome: ConsumedOutcome): void {
    const type = known(routingKey, EVENT_TYPES);
    this.instruments.eventsConsumed.inc({ type, outcome: outcome.kind });
    if (outcome.kind === 'parked') this.instruments.eventsParked.inc({ type, reason_code: outcome.reasonCode });
    if (!this.traceMessages) return;
    this.consumerLog.debug({
      msg: 'event consumed',
      ...cloudEventIds(body),
      routingKey,
      outcome: outcome.kind,
      ...(outcome.kind === 'applied' ? { notifications: outcome.notifications } : {}),
      ...(outcome.kind === 'parked' ? { reasonCode: outcome.reasonCode } : {}),
    });
  }

  /** A passenger contact in an applied booking snapshot that cannot be used. */
  unusableContact(channel: string, reason: string): void {
    this.instruments.unusableContacts.inc({ channel, reason });
  }

  /** One send attempt: latency by channel, provider errors by code, and one log line from event to provider id. */
  sendObserved(n: SentNotification, adapter: string, result: SendAnswer, ms: number): void {
    this.instruments.sendDuration.observe({ channel: n.channel, outcome: result.outcome }, ms / 1000);
    if (result.outcome === 'permanent' || result.outcome === 'retryable' || result.outcome === 'paused') {
      this.instruments.providerErrors.inc({ channel: n.channel, code: result.code.slice(0, 64), source: 'send' });
    }
    if (!this.traceMessages) return;
    this.senderLog.debug({
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
  providerStatusObserved(update: StatusReport, result: StatusReportOutcome): void {
    this.instruments.providerStatusReports.inc({ channel: update.channel, status: update.status, outcome: result.outcome });
    if (update.errorCode) {
      this.instruments.providerErrors.inc({ channel: update.channel, code: update.errorCode.slice(0, 64), source: 'webhook' });
    }
  }

  /** A WhatsApp template status update; an event we do not know is counted as 'other'. */
  templateStatus(event: string): void {
    this.instruments.whatsappTemplateStatus.inc({ status: known(event, TEMPLATE_EVENTS) });
  }

  /** A Messenger utility template status update; an event we do not know is counted as 'other'. */
  messengerTemplateStatus(event: string): void {
    this.instruments.messengerTemplateStatus.inc({ status: known(event, TEMPLATE_EVENTS) });
  }

  /** Counts a quality update and, when it names a tier we know, sets the messaging-limit gauge. */
  qualityUpdate(event: string, limit: string | undefined): void {
    this.instruments.whatsappQualityUpdates.inc({ event: known(event, QUALITY_EVENTS) });
    if (limit !== undefined && limit in TIERS) this.instruments.whatsappMessagingLimit.set(TIERS[limit]);
  }

  channelPaused(channel: string): void {
    this.instruments.channelPauses.inc({ channel });
  }

  /** A request OpsAuthGuard refused as a failed login (never 403s: those callers did authenticate). */
  authFailure(reason: 'missing' | 'invalid' | 'rate_limited'): void {
    this.instruments.opsAuthFailures.inc({ reason });
  }

  /** A single replay by its outcome (replayed, skipped). */
  replayed(outcome: string): void {
    this.instruments.replayRequests.inc({ mode: 'single', outcome });
  }

  /** A bulk replay job that started, with how many notifications it selected; returns the job unchanged. */
  replayJobStarted<T extends { total: number }>(job: T): T {
    this.instruments.replayRequests.inc({ mode: 'bulk', outcome: 'started' });
    this.instruments.replayedByJobs.inc(job.total);
    return job;
  }
}
