import { randomBytes, randomUUID } from 'node:crypto';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { countSmsSegments } from '../src/rendering/sms-segments';
import { twilioSignature } from '../src/channels/twilio/twilio-signature';
import { TwilioSmsAdapter } from '../src/channels/twilio/twilio-sms.adapter';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { postTwilioWebhook } from './support/twilio-callbacks';
import { TwilioContractServer } from './support/twilio-contract-server';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const PUBLIC_BASE_URL = 'https://notify.example.test';

describe('Twilio webhooks through the running service', () => {
  let twilio: TwilioContractServer;

  beforeAll(async () => {
    twilio = await new TwilioContractServer().start();
  });
  const service = useTestService(() => ({ CHANNEL_SMS: 'twilio', ...twilio.env(PUBLIC_BASE_URL) }));
  afterAll(async () => {
    await twilio?.close();
  });

  const callback = (params: Record<string, string>, sign: boolean | string = true, signedUrl?: string) =>
    postTwilioWebhook(service.app, { path: '/webhooks/twilio/status', params, authToken: twilio.authToken, publicBaseUrl: PUBLIC_BASE_URL, sign, signedUrl });

  /** A notification Twilio has accepted (as the dispatcher leaves it), with its message sid. */
  async function sentSms(): Promise<{ id: string; sid: string }> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const rows: { id: string }[] = await service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, locale, recipient,
                                  event_source, event_id, provider_message_id, attempts)
       VALUES ($1, 'booking-confirmation', 'sms', 'sent', 'TWL001', 'PAX-1', 'en', '+31612345678', '/booking', $2, $3, 1)
       RETURNING id`,
      [randomUUID(), randomUUID(), sid],
    );
    return { id: rows[0].id, sid };
  }

  const statusOf = async (id: string) =>
    ((await service.db.query(`SELECT status, last_error_code FROM notifications WHERE id = $1`, [id])) as { status: string; last_error_code: string | null }[])[0];
  const timeline = async (id: string) =>
    ((await service.db.query(`SELECT kind, detail FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id])) as {
      kind: string;
      detail: Record<string, unknown>;
    }[]);

  it('applies signed sent and delivered callbacks', async () => {
    const { id, sid } = await sentSms();
    await callback({ MessageSid: sid, MessageStatus: 'sent', AccountSid: twilio.accountSid, To: '+31612345678' }).expect(200);
    await callback({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: twilio.accountSid, To: '+31612345678' }).expect(200);
    expect(await statusOf(id)).toEqual({ status: 'delivered', last_error_code: null });
    expect((await timeline(id)).map((e) => e.kind)).toEqual(['provider-sent', 'provider-delivered']);
    // The passenger's number from the callback is not copied into the timeline.
    expect(JSON.stringify(await timeline(id))).not.toContain('+31612345678');
  });

  it('refuses a callback with a missing, wrong or differently-addressed signature (403) and changes nothing', async () => {
    const { id, sid } = await sentSms();
    const params = { MessageSid: sid, MessageStatus: 'delivered' };
    await callback(params, false).expect(403);
    await callback(params, 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==').expect(403);
    // Signed for another host (what a replica sees behind the proxy), not the public URL Twilio called.
    await callback(params, true, 'http://127.0.0.1:3000/webhooks/twilio/status').expect(403);
    // Signed, then tampered with.
    const signedForSent = postTwilioWebhook(service.app, {
      path: '/webhooks/twilio/status',
      params: { MessageSid: sid, MessageStatus: 'failed' },
      authToken: twilio.authToken,
      publicBaseUrl: PUBLIC_BASE_URL,
      sign: twilioSignature(twilio.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/status`, params),
    });
    await signedForSent.expect(403);
    expect(await statusOf(id)).toEqual({ status: 'sent', last_error_code: null });
    expect(await timeline(id)).toEqual([]);
  });

  it('checks the signature against the query string too', async () => {
    const { id, sid } = await sentSms();
    const params = { MessageSid: sid, MessageStatus: 'delivered' };
    await postTwilioWebhook(service.app, { path: '/webhooks/twilio/status?attempt=1', params, authToken: twilio.authToken, publicBaseUrl: PUBLIC_BASE_URL }).expect(200);
    expect((await statusOf(id)).status).toBe('delivered');
    await postTwilioWebhook(service.app, {
      path: '/webhooks/twilio/status?attempt=2',
      params,
      authToken: twilio.authToken,
      publicBaseUrl: PUBLIC_BASE_URL,
      signedUrl: `${PUBLIC_BASE_URL}/webhooks/twilio/status?attempt=1`,
    }).expect(403);
  });

  it('keeps delivered when sent arrives after it, and records both', async () => {
    const { id, sid } = await sentSms();
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(200);
    await callback({ MessageSid: sid, MessageStatus: 'sent' }).expect(200);
    expect((await statusOf(id)).status).toBe('delivered');
    const events = await timeline(id);
    expect(events.map((e) => e.kind)).toEqual(['provider-delivered', 'provider-sent']);
    expect(events[1].detail).toMatchObject({ ignored: 'status stays delivered' });
  });

  it('acknowledges a replayed callback (the same signed request again) with 200 and applies it once', async () => {
    const { id, sid } = await sentSms();
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(200);
    // Twilio retries what was not answered 2xx: a 409 would only make it try again.
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(200);
    expect((await statusOf(id)).status).toBe('delivered');
    expect((await timeline(id)).map((e) => e.kind)).toEqual(['provider-delivered']);
  });

  it('answers 200 for an unknown sid and for in-flight statuses, recording nothing', async () => {
    await callback({ MessageSid: `SM${randomBytes(16).toString('hex')}`, MessageStatus: 'delivered' }).expect(200);
    const { id, sid } = await sentSms();
    for (const status of ['queued', 'accepted', 'sending']) await callback({ MessageSid: sid, MessageStatus: status }).expect(200);
    expect(await statusOf(id)).toEqual({ status: 'sent', last_error_code: null });
    expect(await timeline(id)).toEqual([]);
  });

  it('fails the notification on undelivered, keeping the ErrorCode', async () => {
    const { id, sid } = await sentSms();
    await callback({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' }).expect(200);
    expect(await statusOf(id)).toEqual({ status: 'failed', last_error_code: '30003' });
    expect((await timeline(id))[0]).toMatchObject({ kind: 'provider-failed', detail: { code: '30003', message: 'unreachable destination handset' } });
    // A late delivered report still wins over a failure (a delivery cannot be undone, a failure report can be wrong).
    await callback({ MessageSid: sid, MessageStatus: 'delivered' }).expect(200);
    expect((await statusOf(id)).status).toBe('delivered');
  });

  it('end to end: a booking SMS goes out through Twilio, and its delivery report closes it', async () => {
    // Until ChannelRegistry honours CHANNEL_SMS=twilio by itself, put the adapter on the channel (harmless after).
    service.app.get(ChannelRegistry).use('sms', service.app.get(TwilioSmsAdapter));
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'E2ESMS',
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          contacts: { sms: '+31622220001' },
          consents: [{ channel: 'sms', granted: true, at: '2026-11-20T10:00:00Z' }],
        }),
      ],
      segments: [segment({ flightNumber: '6001' })],
    });
    await service.publisher.publish(event.type, event);
    const row = await waitFor(async () => {
      const rows: { id: string; status: string; provider_message_id: string; segments: number }[] = await service.db.query(
        `SELECT id, status, provider_message_id, segments FROM notifications WHERE booking_reference = 'E2ESMS' AND channel = 'sms'`,
      );
      return rows[0]?.status === 'sent' ? rows[0] : undefined;
    }, 15_000, 'the SMS accepted by Twilio');

    const request = twilio.requests.find((r) => r.sid === row.provider_message_id);
    expect(request?.form).toMatchObject({ To: '+31622220001', From: '+3197010200300', StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status?notification=${row.id}` });
    expect(row.segments).toBe(countSmsSegments(request?.form.Body ?? '').segments);

    await callback({ MessageSid: row.provider_message_id, MessageStatus: 'sent' }).expect(200);
    await callback({ MessageSid: row.provider_message_id, MessageStatus: 'delivered' }).expect(200);
    const detail = await service.http().get(`/api/notifications/${row.id}`).expect(200);
    expect(detail.body.status).toBe('delivered');
    expect(detail.body.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'attempt', 'provider-sent', 'provider-delivered']);
  });

  describe('incoming SMS', () => {
    const inbound = (params: Record<string, string>, sign: boolean | string = true) =>
      postTwilioWebhook(service.app, { path: '/webhooks/twilio/inbound', params, authToken: twilio.authToken, publicBaseUrl: PUBLIC_BASE_URL, sign });

    async function bookWithSms(reference: string, phone: string): Promise<void> {
      const event = bookingSnapshot('booking.confirmed', {
        bookingReference: reference,
        passengers: [
          passenger({
            passengerId: 'PAX-1',
            contacts: { sms: phone, email: 'luc@example.com' },
            consents: [
              { channel: 'sms', granted: true, at: '2026-11-20T10:00:00Z' },
              { channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' },
            ],
          }),
        ],
        segments: [segment({ flightNumber: String(5000 + Math.floor(Math.random() * 999)) })],
      });
      await service.publisher.publish(event.type, event);
      await waitFor(async () => (await smsConsent(reference)) === true, 15_000, `sms consent for ${reference}`);
    }

    const smsConsent = async (reference: string) => {
      const rows: { granted: boolean }[] = await service.db.query(`SELECT granted FROM consents WHERE booking_reference = $1 AND channel = 'sms'`, [reference]);
      return rows[0]?.granted;
    };
    const emailConsent = async (reference: string) => {
      const rows: { granted: boolean }[] = await service.db.query(`SELECT granted FROM consents WHERE booking_reference = $1 AND channel = 'email'`, [reference]);
      return rows[0]?.granted;
    };

    it('withdraws SMS consent when the passenger replies STOP (any case, Dutch too), and only on SMS', async () => {
      const cases: [string, string, string][] = [
        ['STOP01', '+31611110001', 'STOP'],
        ['STOP02', '+31611110002', ' stoppen '],
        ['STOP03', '+31611110003', 'Afmelden'],
        ['STOP04', '+31611110004', 'unsubscribe'],
        ['STOP05', '+31611110005', 'stopp'],
      ];
      for (const [reference, phone] of cases) await bookWithSms(reference, phone);
      for (const [, phone, body] of cases) {
        const res = await inbound({ MessageSid: `SM${randomBytes(16).toString('hex')}`, From: phone, To: '+3197010200300', Body: body }).expect(200);
        expect(res.headers['content-type']).toContain('text/xml');
        expect(res.text).toContain('<Response>');
      }
      for (const [reference] of cases) {
        expect(await smsConsent(reference)).toBe(false);
        expect(await emailConsent(reference)).toBe(true);
      }
    });

    it("honours Twilio's OptOutType=STOP for a keyword configured in Advanced Opt-Out", async () => {
      await bookWithSms('OPTT01', '+31611110020');
      await inbound({ From: '+31611110020', To: '+3197010200300', Body: 'ARRÊT', OptOutType: 'STOP' }).expect(200);
      expect(await smsConsent('OPTT01')).toBe(false);
    });

    it('honours OptOutType=STOP for a word that is not in our list', async () => {
      await bookWithSms('OPTT02', '+31611110021');
      await inbound({ MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+31611110021', To: '+3197010200300', Body: 'HALT', OptOutType: 'STOP' }).expect(200);
      expect(await smsConsent('OPTT02')).toBe(false);
    });

    // One list and normalisation for every channel (src/opt-out): words WhatsApp had, and emoji, opt out by SMS too.
    it.each([
      ['OPTS01', '+31611110031', 'uitschrijven'],
      ['OPTS02', '+31611110032', 'Arrêt'],
      ['OPTS03', '+31611110033', 'abmelden'],
      ['OPTS04', '+31611110034', 'STOP 🙏'],
    ])('%s: %s replying %j opts out of SMS', async (reference, phone, body) => {
      await bookWithSms(reference, phone);
      await inbound({ MessageSid: `SM${randomBytes(16).toString('hex')}`, From: phone, To: '+3197010200300', Body: body }).expect(200);
      expect(await smsConsent(reference)).toBe(false);
      expect(await emailConsent(reference)).toBe(true);
    });

    it('leaves consent alone for other texts and for unsigned requests', async () => {
      await bookWithSms('KEEP01', '+31611110010');
      await inbound({ From: '+31611110010', To: '+3197010200300', Body: 'Can I stop over in Paris?' }).expect(200);
      await inbound({ From: '+31611110010', To: '+3197010200300', Body: 'STOP' }, false).expect(403);
      await inbound({ From: '+31611110010', To: '+3197010200300', Body: 'STOP' }, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=').expect(403);
      expect(await smsConsent('KEEP01')).toBe(true);
    });
  });
});
