import { Registry } from 'prom-client';
import { PipelineMetrics } from './pipeline-metrics';

/** One sample's value from the registry, or undefined when it has none with these labels. */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const family = name.replace(/_(count|sum|bucket)$/, '');
  const metric = registry.getSingleMetric(family);
  if (!metric) throw new Error(`${family} is not registered`);
  const { values } = await metric.get();
  return values.find(
    (v) => ((v as { metricName?: string }).metricName ?? family) === name && Object.entries(labels).every(([k, l]) => String((v.labels as Record<string, unknown>)[k]) === l),
  )?.value;
}

describe('PipelineMetrics (recorders on an injected registry)', () => {
  let registry: Registry;
  let metrics: PipelineMetrics;
  beforeEach(() => {
    registry = new Registry();
    metrics = new PipelineMetrics(registry, { LOG_LEVEL: 'log' });
  });

  it('counts consumed events by type and outcome, an unknown routing key as other, parked ones by reason code', async () => {
    metrics.eventConsumed('booking.confirmed', Buffer.from('{}'), { kind: 'applied', notifications: 2 });
    metrics.eventConsumed('no.such.type', Buffer.from('{}'), { kind: 'parked', reasonCode: 'unknown-type' });
    expect(await value(registry, 'notifier_events_consumed_total', { type: 'booking.confirmed', outcome: 'applied' })).toBe(1);
    expect(await value(registry, 'notifier_events_consumed_total', { type: 'other', outcome: 'parked' })).toBe(1);
    expect(await value(registry, 'notifier_events_parked_total', { type: 'other', reason_code: 'unknown-type' })).toBe(1);
  });

  it('counts provider errors from sends and from status reports, with the code cut to 64 characters', async () => {
    const n = { id: 'n1', type: 'booking-confirmation', channel: 'sms', recipient: '+31612345678', eventSource: 's', eventId: 'e' };
    metrics.sendObserved(n, 'twilio', { outcome: 'permanent', code: 'x'.repeat(80), message: 'no' }, 120);
    metrics.sendObserved(n, 'twilio', { outcome: 'accepted', providerMessageId: 'SM1' }, 30);
    metrics.providerStatusObserved({ channel: 'sms', status: 'failed', errorCode: '30003' }, { outcome: 'applied' });
    expect(await value(registry, 'notifier_provider_errors_total', { channel: 'sms', code: 'x'.repeat(64), source: 'send' })).toBe(1);
    expect(await value(registry, 'notifier_provider_errors_total', { channel: 'sms', code: '30003', source: 'webhook' })).toBe(1);
    expect(await value(registry, 'notifier_provider_status_reports_total', { channel: 'sms', status: 'failed', outcome: 'applied' })).toBe(1);
    expect(await value(registry, 'notifier_send_duration_seconds_count', { channel: 'sms', outcome: 'accepted' })).toBe(1);
  });

  it('sets the messaging limit only for a tier it knows, and counts unknown template events as other', async () => {
    metrics.qualityUpdate('UPGRADE', 'TIER_10K');
    metrics.qualityUpdate('SOMETHING_NEW', 'TIER_WHATEVER');
    metrics.templateStatus('NOT_A_META_EVENT');
    expect(await value(registry, 'notifier_whatsapp_messaging_limit')).toBe(10_000);
    expect(await value(registry, 'notifier_whatsapp_phone_quality_updates_total', { event: 'other' })).toBe(1);
    expect(await value(registry, 'notifier_whatsapp_template_status_total', { status: 'other' })).toBe(1);
  });

  it('counts replays: single ones by outcome, bulk jobs and what they matched', async () => {
    metrics.replayed('skipped');
    const job = { id: 'j1', total: 7 };
    expect(metrics.replayJobStarted(job)).toBe(job);
    expect(await value(registry, 'notifier_replays_total', { mode: 'single', outcome: 'skipped' })).toBe(1);
    expect(await value(registry, 'notifier_replays_total', { mode: 'bulk', outcome: 'started' })).toBe(1);
    expect(await value(registry, 'notifier_replay_job_matched_total')).toBe(7);
  });

  it('keeps each registry to itself: two apps in one process do not add to each other', async () => {
    const other = new Registry();
    new PipelineMetrics(other, { LOG_LEVEL: 'log' }).channelPaused('whatsapp');
    metrics.authFailure('missing');
    expect(await value(other, 'notifier_channel_pauses_total', { channel: 'whatsapp' })).toBe(1);
    expect(await value(registry, 'notifier_channel_pauses_total', { channel: 'whatsapp' })).toBeUndefined();
    expect(await value(registry, 'notifier_ops_auth_failures_total', { reason: 'missing' })).toBe(1);
  });
});
