import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

/** The instruments the pipeline updates as it works, registered on the app's registry (names and labels are the README's). */
export function pipelineInstruments(registry: Registry) {
  return {
    eventsConsumed: new Counter({
      name: 'notifier_events_consumed_total',
      help: 'Events taken from the events queue, by CloudEvent type and outcome (applied, duplicate, parked).',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    eventsParked: new Counter({
      name: 'notifier_events_parked_total',
      help: 'Events parked (dead-lettered with a reason), by CloudEvent type and reason code.',
      labelNames: ['type', 'reason_code'] as const,
      registers: [registry],
    }),
    ingestBatches: new Histogram({
      name: 'notifier_ingest_batch_events',
      help: 'Events applied per ingest transaction (group commit), by outcome: committed, or failed (its events then taken one by one).',
      labelNames: ['outcome'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
    unusableContacts: new Counter({
      name: 'notifier_unusable_contacts_total',
      help: 'Passenger contacts in applied booking snapshots that cannot be used (never sent to), by channel and reason.',
      labelNames: ['channel', 'reason'] as const,
      registers: [registry],
    }),
    sendDuration: new Histogram({
      name: 'notifier_send_duration_seconds',
      help: 'Time a channel adapter took to answer one send, by channel and outcome.',
      labelNames: ['channel', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    providerErrors: new Counter({
      name: 'notifier_provider_errors_total',
      help: 'Errors reported by providers, by channel, error code and where we heard it (send answer or status webhook).',
      labelNames: ['channel', 'code', 'source'] as const,
      registers: [registry],
    }),
    providerStatusReports: new Counter({
      name: 'notifier_provider_status_reports_total',
      help: 'Delivery reports from provider webhooks, by channel, reported status and what we did with it.',
      labelNames: ['channel', 'status', 'outcome'] as const,
      registers: [registry],
    }),
    channelPauses: new Counter({
      name: 'notifier_channel_pauses_total',
      help: 'Times a channel was paused because the provider refused our credentials.',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    whatsappTemplateStatus: new Counter({
      name: 'notifier_whatsapp_template_status_total',
      help: "Template status updates Meta sent (message_template_status_update), by event: PAUSED, DISABLED, REJECTED … take the template out of use, APPROVED/REINSTATED put it back.",
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    messengerTemplateStatus: new Counter({
      name: 'notifier_messenger_template_status_total',
      help: "Messenger utility template status updates Meta sent (message_template_status_update on the Page), by event: PAUSED, DISABLED, REJECTED … take the template out of use, APPROVED/REINSTATED put it back.",
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    whatsappQualityUpdates: new Counter({
      name: 'notifier_whatsapp_phone_quality_updates_total',
      help: "Business phone number quality updates Meta sent (phone_number_quality_update), by event (UPGRADE, DOWNGRADE, FLAGGED, UNFLAGGED, THROUGHPUT_UPGRADE, ONBOARDING).",
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    whatsappMessagingLimit: new Gauge({
      name: 'notifier_whatsapp_messaging_limit',
      help: 'The messaging limit (business-initiated conversations per 24 h) of the last phone_number_quality_update; +Inf for TIER_UNLIMITED, 0 before the number has sent.',
      registers: [registry],
    }),
    opsAuthFailures: new Counter({
      name: 'notifier_ops_auth_failures_total',
      help: 'Requests refused for want of a valid token, by reason (missing, invalid, rate_limited: the address failed too often).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    replayRequests: new Counter({
      name: 'notifier_replays_total',
      help: 'Operator replays: single notifications by outcome, and bulk jobs started (mode=bulk).',
      labelNames: ['mode', 'outcome'] as const,
      registers: [registry],
    }),
    replayedByJobs: new Counter({
      name: 'notifier_replay_job_matched_total',
      help: 'Notifications selected by bulk replay jobs started on this replica.',
      registers: [registry],
    }),
  };
}
