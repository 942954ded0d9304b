import { randomInt } from 'node:crypto';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { WhatsAppContractServer } from './support/whatsapp-contract-server';
import { whatsappTemplateOf } from './support/whatsapp-template-names';
import { createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_error_code: string | null;
}

/**
 * Meta sends every field the app subscribes to to the one callback URL. Each is acknowledged with 200 (Meta
 * retries anything else for days); template status updates decide whether a template may be used, and
 * quality updates are recorded as metrics. Through the real endpoint, with valid signatures.
 */
describe('WhatsApp webhook fields besides messages', () => {
  let server: WhatsAppContractServer;
  let environment: TestEnvironment;
  let service: TestService;
  let url: string;
  let seq = 0;

  beforeAll(async () => {
    server = await new WhatsAppContractServer().start();
    environment = await createTestEnvironment({ CHANNEL_WHATSAPP: 'whatsapp-cloud', ...server.env(), WHATSAPP_PAIR_INTERVAL_MS: '0' });
    service = await startService(environment.env);
    url = await service.app.getUrl();
  });

  afterAll(async () => {
    await service?.close();
    await server?.close();
    await environment?.dispose();
  });

  let time = 1_764_000_000;
  /** A signed POST of one change of `field`, as Meta wraps every field. */
  const change = (field: string, value: Record<string, unknown>, entryTime = ++time) =>
    server.postWebhook(url, { object: 'whatsapp_business_account', entry: [{ id: server.businessAccountId, time: entryTime, changes: [{ field, value }] }] });
  const templateStatus = (event: string, name: string, language: string, extra: Record<string, unknown> = {}) =>
    change('message_template_status_update', {
      event,
      message_template_id: 1689556908129832,
      message_template_name: name,
      message_template_language: language,
      reason: event === 'APPROVED' ? null : 'NONE',
      ...extra,
    });
  const metric = async (line: string) => {
    const text = (await service.http('anonymous').get('/metrics').expect(200)).text;
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    const value = found?.slice(line.length + 1);
    return value === undefined ? undefined : value === '+Inf' ? Infinity : Number(value);
  };

  // The template an English booking confirmation is sent as (generated from the definitions and catalogs).
  const confirmation = whatsappTemplateOf('booking-confirmation', 'en').name;

  const publishBooking = async () => {
    const phone = `+3163${String(randomInt(1_000_000, 9_999_999))}`;
    const ref = `FLD${String(++seq).padStart(3, '0')}`;
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [passenger({ passengerId: 'PAX-1', contacts: { whatsapp: phone }, consents: [{ channel: 'whatsapp', granted: true, at: '2026-11-20T10:00:00Z' }] })],
      segments: [segment({ flightNumber: String(7000 + seq) })],
    });
    await service.publisher.publish(event.type, event);
    return { phone, ref };
  };
  const notification = async (ref: string): Promise<Row | undefined> =>
    ((await service.db.query(`SELECT id, status, attempts, last_error_code FROM notifications WHERE booking_reference = $1 AND channel = 'whatsapp'`, [ref])) as Row[])[0];
  const until = (ref: string, accept: (row: Row) => boolean, what: string) =>
    waitFor(async () => {
      const row = await notification(ref);
      return row && accept(row) ? row : undefined;
    }, 20_000, what);
  const pauses = () => service.db.query(`SELECT name, language, event FROM whatsapp_template_pauses ORDER BY name, language`);

  it.each([
    ['account_update', { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' }],
    ['account_review_update', { decision: 'APPROVED' }],
    ['account_alerts', { entity_type: 'BUSINESS', entity_id: '1', alert_severity: 'INFORMATIONAL', alert_status: 'NONE', alert_type: 'OBA_APPROVED' }],
    ['business_capability_update', { max_daily_conversation_per_phone: 1000, max_phone_numbers_per_business: 2 }],
    ['message_template_quality_update', { previous_quality_score: 'GREEN', new_quality_score: 'YELLOW', message_template_id: 1, message_template_name: 'x', message_template_language: 'en_GB' }],
    ['template_category_update', { message_template_id: 1, message_template_name: 'x', message_template_language: 'en_GB', previous_category: 'MARKETING', new_category: 'UTILITY' }],
    ['phone_number_name_update', { display_phone_number: '15550783881', decision: 'APPROVED', requested_verified_name: 'Air' }],
    ['security', { display_phone_number: '15550783881', event: 'PIN_CHANGED' }],
    ['a_field_meta_adds_next_year', { anything: ['at', 'all'] }],
  ])('acknowledges %s with 200 and changes nothing', async (field, value) => {
    const res = await change(field, value);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ skipped: 1, account: 0, inbound: 0 });
  });

  it('records a phone number quality update as metrics, once', async () => {
    const value = { display_phone_number: '15550783881', event: 'DOWNGRADE', old_limit: 'TIER_10K', current_limit: 'TIER_2K' };
    const before = (await metric('notifier_whatsapp_phone_quality_updates_total{event="DOWNGRADE"}')) ?? 0;
    const res = await change('phone_number_quality_update', value, 1_764_100_000);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ account: 1, skipped: 0 });
    // Meta's retry of the same update: acknowledged, not counted again.
    expect(JSON.parse((await change('phone_number_quality_update', value, 1_764_100_000)).body)).toMatchObject({ account: 0, duplicates: 1 });
    expect(await metric('notifier_whatsapp_phone_quality_updates_total{event="DOWNGRADE"}')).toBe(before + 1);
    expect(await metric('notifier_whatsapp_messaging_limit')).toBe(2000);
    await change('phone_number_quality_update', { display_phone_number: '15550783881', event: 'THROUGHPUT_UPGRADE', current_limit: 'TIER_UNLIMITED' });
    expect(await metric('notifier_whatsapp_messaging_limit')).toBe(Infinity);
  });

  it('refuses a template status update without the template it is about (400 naming the field)', async () => {
    const res = await change('message_template_status_update', { event: 'PAUSED', message_template_language: 'en_GB' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('/entry/0/changes/0/value');
    expect(res.body).toContain('message_template_name');
  });

  it('holds notifications whose template Meta paused, raises the alarm metric, and sends them when Meta approves it again', async () => {
    const before = (await metric('notifier_whatsapp_template_status_total{status="PAUSED"}')) ?? 0;
    const res = await templateStatus('PAUSED', confirmation, 'en_GB', { other_info: { title: 'FIRST_PAUSE', description: 'paused for 3 hours' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ account: 1 });
    expect(await pauses()).toEqual([{ name: confirmation, language: 'en_GB', event: 'PAUSED' }]);
    expect(await metric('notifier_whatsapp_template_status_total{status="PAUSED"}')).toBe(before + 1);

    const { phone, ref } = await publishBooking();
    const waiting = await until(ref, (r) => r.status === 'pending' && r.last_error_code === 'template-paused', 'the notification waiting for its template');
    expect(waiting.attempts).toBe(0); // waiting spends no attempt
    expect(server.messagesTo(phone)).toEqual([]);
    const events: { kind: string; detail: { reason?: string } }[] = await service.db.query(
      `SELECT kind, detail FROM notification_events WHERE notification_id = $1 AND kind = 'deferred'`,
      [waiting.id],
    );
    expect(events[0].detail.reason).toContain(`template ${confirmation} (en_GB) is PAUSED by Meta`);

    expect((await templateStatus('APPROVED', confirmation, 'en_GB')).status).toBe(200);
    expect(await pauses()).toEqual([]);
    await until(ref, (r) => r.status === 'sent', 'the notification sent once the template is back');
    expect(server.messagesTo(phone)[0].body).toMatchObject({ template: { name: confirmation, language: { code: 'en_GB' } } });
  });

  it('fails notifications whose template Meta disabled, with the event as the code, until it is reinstated', async () => {
    expect((await templateStatus('DISABLED', confirmation, 'en_GB', { disable_info: { disable_date: 1751234563 } })).status).toBe(200);
    // Another language of the template, and FLAGGED (a warning only), do not take anything out of use.
    expect((await templateStatus('FLAGGED', confirmation, 'nl')).status).toBe(200);
    expect(await pauses()).toEqual([{ name: confirmation, language: 'en_GB', event: 'DISABLED' }]);
    const { phone, ref } = await publishBooking();
    const failed = await until(ref, (r) => r.status === 'failed', 'the notification failed');
    expect(failed.last_error_code).toBe('template-disabled');
    expect(server.messagesTo(phone)).toEqual([]);
    expect((await templateStatus('REINSTATED', confirmation, 'en_GB')).status).toBe(200);
    expect(await pauses()).toEqual([]);
  });

  it('applies a redelivered template status update once, and a later one of the same kind again', async () => {
    const at = 1_764_200_000;
    const value = { event: 'PAUSED', message_template_name: 'gate_change_v1', message_template_language: 'nl', reason: 'NONE' };
    expect(JSON.parse((await change('message_template_status_update', value, at)).body)).toMatchObject({ account: 1 });
    expect((await templateStatus('APPROVED', 'gate_change_v1', 'nl')).status).toBe(200);
    // Meta's retry of the first PAUSED (same entry time): acknowledged, the template stays in use.
    expect(JSON.parse((await change('message_template_status_update', value, at)).body)).toMatchObject({ account: 0, duplicates: 1 });
    expect(await pauses()).toEqual([]);
    // A second pause later on is a new report.
    expect(JSON.parse((await change('message_template_status_update', value, at + 3600)).body)).toMatchObject({ account: 1 });
    expect(await pauses()).toEqual([{ name: 'gate_change_v1', language: 'nl', event: 'PAUSED' }]);
  });
});
