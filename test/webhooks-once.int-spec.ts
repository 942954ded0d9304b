import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { webhookSignature } from '../src/channels/whatsapp/whatsapp-signature';
import { twilioSignature } from '../src/channels/twilio/twilio-signature';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { postTwilioWebhook } from './support/twilio-callbacks';
import { TwilioContractServer } from './support/twilio-contract-server';
import { WhatsAppContractServer } from './support/whatsapp-contract-server';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

const PUBLIC_BASE_URL = 'https://notify.example.test';

/**
 * Provider webhooks are applied exactly once in effect: the receipt and the effect commit together, so a
 * delivery that failed is applied when the provider retries it; a redelivery of one that was applied — the
 * same bytes or a re-encoding of the same report — answers 200 and changes nothing; a different report is applied.
 */
describe('webhooks applied exactly once', () => {
  let environment: TestEnvironment;
  let service: TestService;
  let twilio: TwilioContractServer;
  let meta: WhatsAppContractServer;
  let url: string;
  let seq = 0;

  beforeAll(async () => {
    twilio = await new TwilioContractServer().start();
    meta = await new WhatsAppContractServer().start();
    environment = await createTestEnvironment({
      CHANNEL_SMS: 'twilio',
      TWILIO_BASE_URL: twilio.baseUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+3197010200300',
      PUBLIC_BASE_URL,
      CHANNEL_WHATSAPP: 'whatsapp-cloud',
      ...meta.env(),
      WHATSAPP_PAIR_INTERVAL_MS: '0',
    });
    service = await startService(environment.env);
    url = await service.app.getUrl();
  });

  afterAll(async () => {
    await service?.close();
    await environment?.dispose();
    await twilio?.close();
    await meta?.close();
  });

  /**
   * Makes the next UPDATE of `table` rows matching `condition` fail once (or `times` times), as a database error
   * between receipt and effect would: a sequence counts the calls, and sequences do not roll back.
   */
  async function failOnce(table: 'notifications' | 'consents', condition: string, times = 1): Promise<void> {
    const name = `fail_once_${++seq}`;
    await service.db.query(`CREATE SEQUENCE ${name}_calls`);
    await service.db.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('${name}_calls') <= ${times} THEN RAISE EXCEPTION 'injected failure ${name}'; END IF;
        RETURN NEW;
      END $$`);
    await service.db.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${condition}) EXECUTE FUNCTION ${name}()`);
  }

  const timelineKinds = async (id: string) =>
    ((await service.db.query(`SELECT kind FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id])) as { kind: string }[]).map((e) => e.kind);
  const statusOf = async (id: string) => ((await service.db.query(`SELECT status FROM notifications WHERE id = $1`, [id])) as { status: string }[])[0].status;
  const consent = async (reference: string, channel: string) =>
    ((await service.db.query(`SELECT granted FROM consents WHERE booking_reference = $1 AND channel = $2`, [reference, channel])) as { granted: boolean }[])[0]?.granted;
  const regrant = (reference: string, channel: string) =>
    service.http().put(`/api/bookings/${reference}/passengers/PAX-1/consents/${channel}`).send({ granted: true }).expect(200);

  /** A notification the provider has accepted, as the dispatcher leaves it. */
  async function sentNotification(channel: 'sms' | 'whatsapp', providerMessageId: string): Promise<string> {
    const rows: { id: string }[] = await service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, locale, recipient,
                                  event_source, event_id, provider_message_id, attempts)
       VALUES ($1, 'booking-confirmation', $2, 'sent', 'ONCE01', 'PAX-1', 'en', '+31612345678', '/booking', $3, $4, 1)
       RETURNING id`,
      [randomUUID(), channel, randomUUID(), providerMessageId],
    );
    return rows[0].id;
  }

  /** A passenger who consented to `channel` (and e-mail), with a number of their own; the booking is planned. */
  async function booked(channel: 'sms' | 'whatsapp'): Promise<{ reference: string; phone: string }> {
    const reference = `ONC${String(++seq).padStart(3, '0')}`;
    const phone = `+3162${String(randomInt(1_000_000, 9_999_999))}`;
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: reference,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          contacts: { [channel]: phone, email: 'luc@example.com' },
          consents: [
            { channel, granted: true, at: '2026-11-20T10:00:00Z' },
            { channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' },
          ],
        }),
      ],
      segments: [segment({ flightNumber: String(6000 + seq) })],
    });
    await service.publisher.publish(event.type, event);
    await waitFor(async () => (await consent(reference, channel)) === true, 15_000, `${channel} consent for ${reference}`);
    return { reference, phone };
  }

  describe('Twilio', () => {
    const post = (path: 'status' | 'inbound', params: Record<string, string>) =>
      postTwilioWebhook(service.app, { path: `/webhooks/twilio/${path}`, params, authToken: twilio.authToken, publicBaseUrl: PUBLIC_BASE_URL });
    /** The same parameters, re-encoded: fields in another order, letters percent-escaped; signed as Twilio signs (over the decoded, sorted parameters). */
    const postReencoded = (path: 'status' | 'inbound', params: Record<string, string>) => {
      const body = Object.entries(params)
        .reverse()
        .map(([k, v]) => `${encodeURIComponent(k)}=${[...v].map((c) => (/[A-Za-z]/.test(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(c))).join('')}`)
        .join('&');
      return postTwilioWebhook(service.app, {
        path: `/webhooks/twilio/${path}`,
        params: {},
        authToken: twilio.authToken,
        publicBaseUrl: PUBLIC_BASE_URL,
        sign: twilioSignature(twilio.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/${path}`, params),
      }).send(body);
    };
    const sid = () => `SM${randomBytes(16).toString('hex')}`;

    it('applies a status callback that failed once when Twilio retries it', async () => {
      const messageSid = sid();
      const id = await sentNotification('sms', messageSid);
      await failOnce('notifications', `NEW.provider_message_id = '${messageSid}'`);
      const params = { MessageSid: messageSid, MessageStatus: 'delivered', AccountSid: twilio.accountSid };
      await post('status', params).expect(500);
      expect(await statusOf(id)).toBe('sent');
      expect(await timelineKinds(id)).toEqual([]);
      await post('status', params).expect(200);
      expect(await statusOf(id)).toBe('delivered');
      expect(await timelineKinds(id)).toEqual(['provider-delivered']);
    });

    it('answers 200 to an identical or re-encoded redelivery and applies it once; a different report is applied', async () => {
      const messageSid = sid();
      const id = await sentNotification('sms', messageSid);
      const sent = { MessageSid: messageSid, MessageStatus: 'sent', AccountSid: twilio.accountSid, To: '+31612345678' };
      await post('status', sent).expect(200);
      await post('status', sent).expect(200);
      await postReencoded('status', sent).expect(200);
      expect(await timelineKinds(id)).toEqual(['provider-sent']);
      await post('status', { ...sent, MessageStatus: 'delivered' }).expect(200);
      expect(await statusOf(id)).toBe('delivered');
      expect(await timelineKinds(id)).toEqual(['provider-sent', 'provider-delivered']);
    });

    it('applies a STOP that failed once when Twilio retries it', async () => {
      const { reference, phone } = await booked('sms');
      await failOnce('consents', `OLD.booking_reference = '${reference}' AND OLD.channel = 'sms'`);
      const stop = { MessageSid: sid(), AccountSid: twilio.accountSid, From: phone, To: '+3197010200300', Body: 'STOP' };
      await post('inbound', stop).expect(500);
      expect(await consent(reference, 'sms')).toBe(true);
      await post('inbound', stop).expect(200);
      expect(await consent(reference, 'sms')).toBe(false);
    });

    it('does not re-apply an old STOP, identical or re-encoded, after an operator re-granted consent; a new STOP is applied', async () => {
      const { reference, phone } = await booked('sms');
      const stop = { MessageSid: sid(), AccountSid: twilio.accountSid, From: phone, To: '+3197010200300', Body: 'STOP' };
      await post('inbound', stop).expect(200);
      expect(await consent(reference, 'sms')).toBe(false);
      await regrant(reference, 'sms');
      await post('inbound', stop).expect(200);
      await postReencoded('inbound', stop).expect(200);
      expect(await consent(reference, 'sms')).toBe(true);
      await post('inbound', { ...stop, MessageSid: sid() }).expect(200);
      expect(await consent(reference, 'sms')).toBe(false);
    });
  });

  describe('WhatsApp', () => {
    const post = (payload: unknown, options?: { signature?: string | null; rawBody?: string }) => meta.postWebhook(url, payload, options);
    const wamid = () => `wamid.HBgLA${randomBytes(16).toString('hex')}`;
    /** The same JSON re-encoded: the first A in the body written as \u0041 (a different byte string, the same document). */
    const escapedA = (payload: unknown) => {
      const raw = JSON.stringify(payload);
      const at = raw.indexOf('A', raw.indexOf('"entry"'));
      expect(at).toBeGreaterThan(0);
      return `${raw.slice(0, at)}\\u0041${raw.slice(at + 1)}`;
    };
    const upperHex = (raw: string) => `sha256=${webhookSignature(raw, meta.appSecret).slice('sha256='.length).toUpperCase()}`;

    it('applies a status webhook that failed once when Meta retries it', async () => {
      const id = wamid();
      const notification = await sentNotification('whatsapp', id);
      await failOnce('notifications', `NEW.provider_message_id = '${id}'`);
      const payload = meta.statusPayload({ wamid: id, status: 'delivered', recipient: '+31612345678' });
      expect((await post(payload)).status).toBe(500);
      expect(await statusOf(notification)).toBe('sent');
      expect((await post(payload)).status).toBe(200);
      expect(await statusOf(notification)).toBe('delivered');
      expect(await timelineKinds(notification)).toEqual(['provider-delivered']);
    });

    it('answers 200 to an identical, upper-case-signed or re-escaped redelivery and applies it once; a different report is applied', async () => {
      const id = wamid();
      const notification = await sentNotification('whatsapp', id);
      const payload = meta.statusPayload({ wamid: id, status: 'delivered', recipient: '+31612345678' });
      const raw = JSON.stringify(payload);
      expect((await post(payload)).status).toBe(200);
      expect((await post(payload)).status).toBe(200);
      expect((await post(payload, { rawBody: raw, signature: upperHex(raw) })).status).toBe(200);
      const escaped = escapedA(payload);
      expect((await post(payload, { rawBody: escaped })).status).toBe(200);
      expect(await timelineKinds(notification)).toEqual(['provider-delivered']);
      expect((await post(meta.statusPayload({ wamid: id, status: 'read', recipient: '+31612345678' }))).status).toBe(200);
      expect(await statusOf(notification)).toBe('read');
      expect(await timelineKinds(notification)).toEqual(['provider-delivered', 'provider-read']);
    });

    it('applies each status of a batched webhook once, even when part of the batch was applied before', async () => {
      const [first, second] = [wamid(), wamid()];
      const [n1, n2] = [await sentNotification('whatsapp', first), await sentNotification('whatsapp', second)];
      const one = meta.statusPayload({ wamid: first, status: 'delivered', recipient: '+31612345678' }) as {
        entry: { changes: { value: { statuses: unknown[] } }[] }[];
      };
      expect((await post(one)).status).toBe(200);
      const both = structuredClone(one);
      const other = meta.statusPayload({ wamid: second, status: 'delivered', recipient: '+31612345679' }) as typeof one;
      both.entry[0].changes[0].value.statuses.push(other.entry[0].changes[0].value.statuses[0]);
      const res = await post(both);
      expect(res.status).toBe(200);
      expect(await timelineKinds(n1)).toEqual(['provider-delivered']);
      expect(await timelineKinds(n2)).toEqual(['provider-delivered']);
      expect((await post(both)).status).toBe(200);
      expect(await timelineKinds(n2)).toEqual(['provider-delivered']);
    });

    /** One request with these statuses, as Meta batches them: its reports are applied as one group. */
    const batched = (...statuses: { wamid: string; status: 'sent' | 'delivered' | 'read' }[]) => {
      const payloads = statuses.map((s) => meta.statusPayload({ ...s, recipient: '+31612345678' }) as { entry: { changes: { value: { statuses: unknown[] } }[] }[] });
      const [first, ...rest] = payloads;
      for (const other of rest) first.entry[0].changes[0].value.statuses.push(other.entry[0].changes[0].value.statuses[0]);
      return first;
    };

    it('applies the rest of a group whose one status cannot be stored, and that one when Meta retries it', async () => {
      const [broken, fine] = [wamid(), wamid()];
      const [n1, n2] = [await sentNotification('whatsapp', broken), await sentNotification('whatsapp', fine)];
      // Fails the group's statement and the broken report's own transaction after it.
      await failOnce('notifications', `NEW.provider_message_id = '${broken}'`, 2);
      const payload = batched({ wamid: broken, status: 'delivered' }, { wamid: fine, status: 'delivered' });
      expect((await post(payload)).status).toBe(500);
      expect([await statusOf(n1), await statusOf(n2)]).toEqual(['sent', 'delivered']);
      expect(await timelineKinds(n1)).toEqual([]);
      expect((await post(payload)).status).toBe(200);
      expect([await statusOf(n1), await statusOf(n2)]).toEqual(['delivered', 'delivered']);
      expect(await timelineKinds(n1)).toEqual(['provider-delivered']);
      expect(await timelineKinds(n2)).toEqual(['provider-delivered']);
    });

    it('applies two statuses of one message in one group in order: the later one moves on from the earlier', async () => {
      const [inOrder, late] = [wamid(), wamid()];
      const [n1, n2] = [await sentNotification('whatsapp', inOrder), await sentNotification('whatsapp', late)];
      const payload = batched(
        { wamid: inOrder, status: 'delivered' },
        { wamid: late, status: 'read' },
        { wamid: inOrder, status: 'read' },
        { wamid: late, status: 'delivered' },
      );
      const res = await post(payload);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).statuses).toEqual({ applied: 3, recordedOnly: 1, unknown: 0 });
      expect([await statusOf(n1), await statusOf(n2)]).toEqual(['read', 'read']);
      expect(await timelineKinds(n1)).toEqual(['provider-delivered', 'provider-read']);
      expect(await timelineKinds(n2)).toEqual(['provider-read', 'provider-delivered']);
      const ignored: { detail: { ignored?: string } }[] = await service.db.query(
        `SELECT detail FROM notification_events WHERE notification_id = $1 AND kind = 'provider-delivered'`,
        [n2],
      );
      expect(ignored[0].detail.ignored).toBe('status stays read');
    });

    it('applies a STOP that failed once when Meta retries it', async () => {
      const { reference, phone } = await booked('whatsapp');
      await failOnce('consents', `OLD.booking_reference = '${reference}' AND OLD.channel = 'whatsapp'`);
      const stop = meta.inboundTextPayload({ from: phone.slice(1), body: 'STOP' });
      expect((await post(stop)).status).toBe(500);
      expect(await consent(reference, 'whatsapp')).toBe(true);
      expect((await post(stop)).status).toBe(200);
      expect(await consent(reference, 'whatsapp')).toBe(false);
    });

    it('does not re-apply an old STOP, identical or re-encoded, after an operator re-granted consent; a new STOP is applied', async () => {
      const { reference, phone } = await booked('whatsapp');
      const stop = meta.inboundTextPayload({ from: phone.slice(1), body: 'STOP', name: 'Anna Jansen' });
      expect((await post(stop)).status).toBe(200);
      expect(await consent(reference, 'whatsapp')).toBe(false);
      await regrant(reference, 'whatsapp');
      const raw = JSON.stringify(stop);
      expect((await post(stop)).status).toBe(200);
      expect((await post(stop, { rawBody: raw, signature: upperHex(raw) })).status).toBe(200);
      expect((await post(stop, { rawBody: escapedA(stop) })).status).toBe(200);
      expect(await consent(reference, 'whatsapp')).toBe(true);
      expect((await post(meta.inboundTextPayload({ from: phone.slice(1), body: 'STOP' }))).status).toBe(200);
      expect(await consent(reference, 'whatsapp')).toBe(false);
    });

    it('keeps one receipt per applied item, and none for a delivery that failed', async () => {
      const id = wamid();
      await sentNotification('whatsapp', id);
      await failOnce('notifications', `NEW.provider_message_id = '${id}'`);
      const before = await count(service.db, `SELECT 1 FROM webhook_receipts`);
      expect((await post(meta.statusPayload({ wamid: id, status: 'read', recipient: '+31612345678' }))).status).toBe(500);
      expect(await count(service.db, `SELECT 1 FROM webhook_receipts`)).toBe(before);
    });
  });
});
