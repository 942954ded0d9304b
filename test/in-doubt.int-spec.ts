import { randomInt } from 'node:crypto';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';
import { postTwilioWebhook } from './support/twilio-callbacks';
import { TwilioContractServer } from './support/twilio-contract-server';
import { WhatsAppContractServer } from './support/whatsapp-contract-server';

interface Row {
  id: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
}

interface Event {
  kind: string;
  detail: Record<string, unknown> | null;
}

const TWILIO_FROM = '+3197010200300';
/** Settlement runs with the claim reclaim, every 5 s: generous waits, never a timing assertion. */
const SETTLED_WITHIN_MS = 45_000;
const LOOKUP_AFTER_SECONDS = 15;

/**
 * Sends in doubt (docs/decisions/0015) against Meta's and Twilio's contract servers on the real PostgreSQL:
 * a send the provider may have taken is settled — by WhatsApp's status webhook echoing the notification id
 * in biz_opaque_callback_data, by Twilio's Messages list — and sent again only when the provider shows
 * nothing was sent, or after IN_DOUBT_RESEND_AFTER_SECONDS without a word.
 */
describe('sends in doubt are settled, not repeated blindly', () => {
  let whatsapp: WhatsAppContractServer;
  let twilio: TwilioContractServer;
  let environment: TestEnvironment;
  let service: TestService;
  let seq = 0;

  const fresh = () => {
    seq++;
    return { phone: `+3162${String(randomInt(1_000_000, 9_999_999))}`, ref: `ID${String(seq).padStart(4, '0')}`, flight: String(6000 + seq) };
  };

  const publishBooking = async (ref: string, phone: string, flight: string, channel: 'whatsapp' | 'sms') => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          contacts: { [channel]: phone },
          consents: [{ channel, granted: true, at: '2026-11-20T10:00:00Z' }],
        }),
      ],
      segments: [segment({ flightNumber: flight })],
    });
    await service.publisher.publish(event.type, event);
  };

  const notification = async (ref: string): Promise<Row | undefined> =>
    (await service.db.query(`SELECT id, status, attempts, provider_message_id FROM notifications WHERE booking_reference = $1`, [ref]))[0];
  const until = (ref: string, accept: (row: Row) => boolean, what: string) =>
    waitFor(async () => {
      const row = await notification(ref);
      return row && accept(row) ? row : undefined;
    }, SETTLED_WITHIN_MS, what);
  const timeline = (id: string): Promise<Event[]> =>
    service.db.query(`SELECT kind, detail FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id]);
  const kinds = async (id: string) => (await timeline(id)).map((e) => e.kind);

  const start = async (inDoubtWaitSeconds: number) => {
    service = await startService({ ...environment.env, IN_DOUBT_RESEND_AFTER_SECONDS: String(inDoubtWaitSeconds) });
  };

  beforeAll(async () => {
    whatsapp = await new WhatsAppContractServer().start();
    twilio = await new TwilioContractServer().start();
    environment = await createTestEnvironment({
      CHANNEL_WHATSAPP: 'whatsapp-cloud',
      ...whatsapp.env(),
      WHATSAPP_PAIR_INTERVAL_MS: '0',
      CHANNEL_SMS: 'twilio',
      TWILIO_BASE_URL: twilio.baseUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM,
      // Generous: only the scripted hang may time out, never a slow answer on a busy machine.
      PROVIDER_TIMEOUT_MS: '5000',
      // Twilio is asked once a doubt is this old (a pass comes every 5 s): the late-take test below relies on it.
      IN_DOUBT_LOOKUP_AFTER_SECONDS: String(LOOKUP_AFTER_SECONDS),
    });
    // Long enough that only a report or a lookup can settle anything, until the test that shortens it.
    await start(3600);
  });

  afterAll(async () => {
    await service?.close();
    await whatsapp?.close();
    await twilio?.close();
    await environment?.dispose();
  });

  afterEach(() => {
    expect(whatsapp.violations).toEqual([]);
  });

  it('a failed write-back keeps the accepted attempt and leaves the notification in doubt; its status webhook, matched by biz_opaque_callback_data, settles it', async () => {
    const { phone, ref, flight } = fresh();
    // The write-back of this booking's send fails once: a trigger in this test's own database (a sequence,
    // since a sequence step survives the rollback the exception causes).
    await service.db.query(`CREATE SEQUENCE write_back_failures`);
    await service.db.query(`CREATE FUNCTION fail_write_back_once() RETURNS trigger AS $$ BEGIN
        IF NEW.booking_reference = '${ref}' AND OLD.status = 'sending' AND NEW.status = 'sent' AND nextval('write_back_failures') = 1 THEN
          RAISE EXCEPTION 'write-back refused once by the test';
        END IF;
        RETURN NEW; END $$ LANGUAGE plpgsql`);
    await service.db.query(`CREATE TRIGGER fail_write_back_once BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION fail_write_back_once()`);
    try {
      await publishBooking(ref, phone, flight, 'whatsapp');
      const inDoubt = await until(ref, (r) => r.status === 'in_doubt', 'the notification in doubt');
      expect(inDoubt.provider_message_id).toBeNull();

      const [request] = whatsapp.messagesTo(phone);
      expect(request).toMatchObject({ status: 200, callbackData: inDoubt.id });
      expect(request.body).toMatchObject({ biz_opaque_callback_data: inDoubt.id });
      const events = await timeline(inDoubt.id);
      expect(events.map((e) => e.kind)).toEqual(['attempt', 'in-doubt']);
      expect(events[0].detail).toMatchObject({ outcome: 'accepted', providerMessageId: request.wamid, attempt: 1 });
      expect(String(events[1].detail?.reason)).toContain('write-back refused once by the test');

      const payload = whatsapp.statusPayload({ wamid: request.wamid!, status: 'delivered', recipient: phone });
      expect(JSON.stringify(payload)).toContain(`"biz_opaque_callback_data":"${inDoubt.id}"`);
      expect((await whatsapp.postWebhook(await service.app.getUrl(), payload)).status).toBe(200);

      const settled = await notification(ref);
      expect(settled).toMatchObject({ status: 'delivered', provider_message_id: request.wamid, attempts: 1 });
      expect((await timeline(inDoubt.id)).at(-1)).toMatchObject({ kind: 'provider-delivered', detail: { matchedBy: 'notification id', was: 'in_doubt' } });
      expect(whatsapp.messagesTo(phone)).toHaveLength(1);
    } finally {
      await service.db.query(`DROP TRIGGER fail_write_back_once ON notifications`);
      await service.db.query(`DROP FUNCTION fail_write_back_once(); DROP SEQUENCE write_back_failures`);
    }
  });

  it('a claim that expires mid-send (the replica died after the provider took it) turns in doubt, not back in line; the webhook settles it', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight, 'whatsapp');
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const wamid = sent.provider_message_id!;
    // As a replica that was killed between Meta's answer and its write-back leaves it.
    await service.db.query(
      `UPDATE notifications SET status = 'sending', provider_message_id = NULL, claimed_until = now() - interval '1 second' WHERE id = $1`,
      [sent.id],
    );
    await until(ref, (r) => r.status === 'in_doubt', 'the expired claim in doubt');
    const doubt = (await timeline(sent.id)).at(-1);
    expect(doubt).toMatchObject({ kind: 'in-doubt', detail: { attempt: 1 } });
    expect(String(doubt?.detail?.reason)).toContain('claim expired');

    const answer = await whatsapp.postWebhook(await service.app.getUrl(), whatsapp.statusPayload({ wamid, status: 'sent', recipient: phone }));
    expect(answer.status).toBe(200);
    expect(await notification(ref)).toMatchObject({ status: 'sent', provider_message_id: wamid });
    expect(whatsapp.messagesTo(phone)).toHaveLength(1);
  });

  it('an SMS whose answer was lost is found in Twilio’s Messages list and settled as sent with its sid', async () => {
    const { phone, ref, flight } = fresh();
    twilio.answerNext({ acceptThenHangUp: true });
    await publishBooking(ref, phone, flight, 'sms');
    const settled = await until(ref, (r) => r.status === 'sent', 'the SMS settled');
    const [message] = twilio.messagesTo(phone);
    expect(twilio.messagesTo(phone)).toHaveLength(1);
    expect(settled).toMatchObject({ provider_message_id: message.sid, attempts: 1 });

    const events = await timeline(settled.id);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'in-doubt', 'in-doubt-settled']);
    expect(events[0].detail).toMatchObject({ outcome: 'retryable', mayHaveSent: true });
    expect(events[2].detail).toMatchObject({ providerMessageId: message.sid, twilioStatus: 'sent' });
    const lookup = twilio.requests.find((r) => r.method === 'GET' && r.form.To === phone);
    expect(lookup?.form).toMatchObject({ To: phone, From: TWILIO_FROM, PageSize: '1000' });
    // Twilio filters by whole GMT days: the day the attempt started (a minute earlier, for clock differences).
    const day = Date.parse(`${lookup?.form['DateSent>']}T00:00:00Z`);
    expect(Date.now() - day).toBeGreaterThanOrEqual(0);
    expect(Date.now() - day).toBeLessThan(2 * 24 * 3600 * 1000);
  });

  it('an SMS Twilio never took (the connection dropped first) is looked up, not found, and sent once more', async () => {
    const { phone, ref, flight } = fresh();
    twilio.answerNext({ hangUp: true });
    await publishBooking(ref, phone, flight, 'sms');
    const sent = await until(ref, (r) => r.status === 'sent' && r.attempts === 2, 'the SMS sent again');
    expect(twilio.messagesTo(phone)).toHaveLength(1);
    expect(sent.provider_message_id).toBe(twilio.messagesTo(phone)[0].sid);
    const events = await timeline(sent.id);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'in-doubt', 'in-doubt-resend', 'attempt']);
    expect(String(events[2].detail?.reason)).toContain('shows nothing was sent');
  });

  it('an SMS Twilio took only after our request timed out is found by the lookup, not sent a second time', async () => {
    const { phone, ref, flight } = fresh();
    let take = () => {};
    twilio.answerNext({ takeWhen: new Promise<void>((resolve) => (take = resolve)) });
    await publishBooking(ref, phone, flight, 'sms');
    await until(ref, (r) => r.status === 'in_doubt', 'the timed-out SMS in doubt');
    // A settlement pass comes every 5 s; one that asked Twilio now would find nothing and send the SMS again.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(twilio.requests.filter((r) => r.form.To === phone).map((r) => r.method)).toEqual(['POST']);
    take();
    const settled = await until(ref, (r) => r.status === 'sent', 'the SMS settled from the lookup');
    expect(twilio.messagesTo(phone)).toHaveLength(1);
    expect(settled).toMatchObject({ provider_message_id: twilio.messagesTo(phone)[0].sid, attempts: 1 });
    expect(await kinds(settled.id)).toEqual(['attempt', 'in-doubt', 'in-doubt-settled']);
  }, 90_000);

  /** An SMS Twilio took whose answer was lost (in doubt), the message Twilio holds, and the StatusCallback URL it was given. */
  const smsInDoubt = async () => {
    const { phone, ref, flight } = fresh();
    twilio.answerNext({ acceptThenHangUp: true });
    await publishBooking(ref, phone, flight, 'sms');
    const inDoubt = await until(ref, (r) => r.status === 'in_doubt', 'the SMS in doubt');
    const [message] = twilio.messagesTo(phone);
    const post = twilio.requests.find((r) => r.method === 'POST' && r.form.To === phone);
    return { phone, ref, inDoubt, message, callback: new URL(post!.form.StatusCallback) };
  };

  it('an SMS in doubt is settled by Twilio’s status callback, which names the notification in its signed URL', async () => {
    const { phone, ref, inDoubt, message, callback } = await smsInDoubt();
    expect(callback.searchParams.get('notification')).toBe(inDoubt.id);

    const answer = await postTwilioWebhook(service.app, {
      path: `${callback.pathname}${callback.search}`,
      signedUrl: callback.toString(),
      params: { MessageSid: message.sid, MessageStatus: 'sent', AccountSid: twilio.accountSid, To: phone },
      authToken: twilio.authToken,
      publicBaseUrl: callback.origin,
    });
    expect(answer.status).toBe(200);
    // Settled by the report, long before a lookup would ask Twilio (LOOKUP_AFTER_SECONDS).
    const settled = await notification(ref);
    expect(settled).toMatchObject({ status: 'sent', provider_message_id: message.sid, attempts: 1 });
    const events = await timeline(inDoubt.id);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'in-doubt', 'provider-sent']);
    expect(events[2].detail).toMatchObject({ matchedBy: 'notification id', was: 'in_doubt', twilioStatus: 'sent' });
    expect(twilio.requests.filter((r) => r.method === 'GET' && r.form.To === phone)).toEqual([]);
    expect(twilio.messagesTo(phone)).toHaveLength(1);
  });

  it('a status callback whose URL names another notification, or no valid one, settles nothing it should not', async () => {
    const { phone, ref, inDoubt, message, callback } = await smsInDoubt();
    const origin = callback.origin;
    const params = (MessageStatus: string) => ({ MessageSid: message.sid, MessageStatus, AccountSid: twilio.accountSid, To: phone });
    const signed = (path: string, status: string) =>
      postTwilioWebhook(service.app, { path, signedUrl: `${origin}${path}`, params: params(status), authToken: twilio.authToken, publicBaseUrl: origin });
    // Signed, but naming something that is not a notification id, or a notification of another channel.
    // (Each with a status of its own: a report of one sid and status is applied once, whatever came of it.)
    expect((await signed('/webhooks/twilio/status?notification=not-a-uuid', 'sent')).status).toBe(200);
    const [other] = await service.db.query(`SELECT id FROM notifications WHERE channel <> 'sms' LIMIT 1`);
    expect((await signed(`/webhooks/twilio/status?notification=${other.id}`, 'delivered')).status).toBe(200);
    expect(await notification(ref)).toMatchObject({ status: 'in_doubt', provider_message_id: null });
    // The id put in another signed URL: the signature no longer matches.
    const forged = await postTwilioWebhook(service.app, {
      path: `/webhooks/twilio/status?notification=${inDoubt.id}`,
      signedUrl: `${origin}/webhooks/twilio/status`,
      params: params('read'),
      authToken: twilio.authToken,
      publicBaseUrl: origin,
    });
    expect(forged.status).toBe(403);
    expect(await notification(ref)).toMatchObject({ status: 'in_doubt' });
    // Twilio's own lookup settles it in the end.
    await until(ref, (r) => r.status === 'sent', 'the SMS settled by the lookup');
  }, 90_000);

  it('a WhatsApp send that timed out, with no report within the configured wait, is sent once more', async () => {
    const { phone, ref, flight } = fresh();
    // Meta never answers the first request and never took the message: no status webhook will come.
    whatsapp.scriptMessages(phone, { hang: true });
    await publishBooking(ref, phone, flight, 'whatsapp');
    const inDoubt = await until(ref, (r) => r.status === 'in_doubt', 'the timed-out send in doubt');
    expect((await timeline(inDoubt.id)).at(-1)).toMatchObject({ kind: 'in-doubt' });
    // With the long wait nothing sends it again; a service with a short one does.
    await service.close();
    await start(1);

    const sent = await until(ref, (r) => r.status === 'sent', 'the send repeated after the wait');
    expect(sent.attempts).toBe(2);
    const requests = whatsapp.messagesTo(phone);
    expect(requests).toHaveLength(2);
    expect(requests.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await kinds(sent.id)).toEqual(['attempt', 'in-doubt', 'in-doubt-resend', 'attempt']);
    const resend = (await timeline(sent.id))[2];
    expect(String(resend.detail?.reason)).toContain('no report from whatsapp-cloud within 1 s');
  });

  it('nothing of the earlier scenarios was sent twice, after further settlement passes', async () => {
    // Two passes of the short-wait service happen while this waits for a marker to go through.
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight, 'whatsapp');
    await until(ref, (r) => r.status === 'sent', 'a marker sent');
    await new Promise((r) => setTimeout(r, 11_000));
    for (const [id, copies] of whatsapp.acceptedByCallbackData()) expect([id, copies]).toEqual([id, 1]);
    const smsBodies = new Map<string, number>();
    for (const m of twilio.messages) smsBodies.set(`${m.to} ${m.body}`, (smsBodies.get(`${m.to} ${m.body}`) ?? 0) + 1);
    expect([...smsBodies.values()].every((n) => n === 1)).toBe(true);
    expect(await service.db.query(`SELECT id FROM notifications WHERE status = 'in_doubt'`)).toEqual([]);
  });
});
