import { randomInt } from 'node:crypto';
import { webhookSignature } from '../src/channels/whatsapp/whatsapp-signature';
import { ChannelPauseRepository } from '../src/delivery/channel-pause.repository';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import { graphError, ScriptedResponse, WhatsAppContractServer } from './support/whatsapp-contract-server';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';
import { whatsappTemplateOf } from './support/whatsapp-template-names';

interface Row {
  id: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error: string | null;
  content: { text: string } | null;
}

interface Event {
  kind: string;
  detail: Record<string, unknown> | null;
}

describe('WhatsApp Cloud API channel: events → templates and texts → signed status webhooks', () => {
  let server: WhatsAppContractServer;
  let url: string;
  let seq = 0;

  /** A phone number and booking reference of its own for each scenario. */
  const fresh = () => {
    seq++;
    return { phone: `+3161${String(randomInt(1_000_000, 9_999_999))}`, ref: `WA${String(seq).padStart(4, '0')}`, flight: String(5000 + seq) };
  };

  const publishBooking = async (ref: string, phone: string, flight: string, locale = 'en') => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          locale,
          contacts: { whatsapp: phone },
          consents: [{ channel: 'whatsapp', granted: true, at: '2026-11-20T10:00:00Z' }],
        }),
      ],
      segments: [segment({ flightNumber: flight })],
    });
    await service.publisher.publish(event.type, event);
  };

  const notification = async (ref: string, type = 'booking-confirmation'): Promise<Row | undefined> => {
    const rows: Row[] = await service.db.query(
      `SELECT id, status, attempts, provider_message_id, last_error_code, last_error, content
         FROM notifications WHERE booking_reference = $1 AND channel = 'whatsapp' AND type = $2`,
      [ref, type],
    );
    return rows[0];
  };
  const until = (ref: string, accept: (row: Row) => boolean, what: string, type?: string) =>
    waitFor(async () => {
      const row = await notification(ref, type);
      return row && accept(row) ? row : undefined;
    }, 20_000, what);
  const timeline = (id: string): Promise<Event[]> =>
    service.db.query(`SELECT kind, detail FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id]);
  const webhook = (payload: unknown, options?: Parameters<WhatsAppContractServer['postWebhook']>[2]) =>
    server.postWebhook(url, payload, options);
  const status = (wamid: string, phone: string, s: 'sent' | 'delivered' | 'read' | 'failed', extra: { errors?: { code: number; title: string; details?: string }[] } = {}) =>
    webhook(server.statusPayload({ wamid, status: s, recipient: phone, ...extra }));

  /** Publishes a booking whose first sends are answered with `responses`. */
  const bookingAnswered = async (...responses: ScriptedResponse[]) => {
    const { phone, ref, flight } = fresh();
    server.scriptMessages(phone, ...responses);
    await publishBooking(ref, phone, flight);
    return { phone, ref };
  };

  beforeAll(async () => {
    server = await new WhatsAppContractServer().start();
  });
  const service = useTestService(() => ({
    CHANNEL_WHATSAPP: 'whatsapp-cloud',
    ...server.env(),
    PROVIDER_TIMEOUT_MS: '3000',
    WHATSAPP_PAIR_INTERVAL_MS: '0',
  }));
  beforeAll(async () => {
    url = await service.app.getUrl();
  });
  afterAll(async () => {
    await server?.close();
  });

  afterEach(() => {
    // Every request the service made must have conformed to Meta's OpenAPI spec.
    expect(server.violations).toEqual([]);
  });

  it('sends a booking confirmation as an approved template and follows it to delivered and read', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight, 'nl-NL');
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const [request] = server.messagesTo(phone);
    expect(request).toMatchObject({ type: 'template', status: 200 });
    const { name, language } = whatsappTemplateOf('booking-confirmation', 'nl-NL');
    expect(language).toBe('nl');
    expect(request.body).toMatchObject({ to: phone, template: { name, language: { policy: 'deterministic', code: 'nl' } } });
    expect(sent.provider_message_id).toBe(request.wamid);
    const wamid = request.wamid as string;

    for (const s of ['sent', 'delivered', 'read'] as const) {
      expect((await status(wamid, phone, s)).status).toBe(200);
    }
    expect((await notification(ref))?.status).toBe('read');

    // 'delivered' for this message again (Meta's redelivery, a later timestamp): the same report, applied once.
    const again = await status(wamid, phone, 'delivered');
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ duplicates: 1 });
    expect((await notification(ref))?.status).toBe('read');
    const events = await timeline(sent.id);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'provider-sent', 'provider-delivered', 'provider-read']);
    expect(events.find((e) => e.kind === 'attempt')?.detail).toMatchObject({ adapter: 'whatsapp-cloud', outcome: 'accepted', providerMessageId: wamid });
  });

  it('applies statuses that arrive out of order or twice without moving backwards', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight);
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const wamid = sent.provider_message_id as string;

    expect((await status(wamid, phone, 'read')).status).toBe(200);
    expect((await status(wamid, phone, 'delivered')).status).toBe(200);
    // The same report again (a replay, or Meta's retry after a lost answer): acknowledged, nothing applied twice.
    expect((await status(wamid, phone, 'read')).status).toBe(200);
    expect((await status(wamid, phone, 'sent')).status).toBe(200);
    expect(await notification(ref)).toMatchObject({ status: 'read' });
    const kinds = (await timeline(sent.id)).map((e) => e.kind).filter((k) => k.startsWith('provider-'));
    expect(kinds).toEqual(['provider-read', 'provider-delivered', 'provider-sent']);
  });

  it('marks a message failed with the provider’s code when the status webhook says so', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight);
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const res = await status(sent.provider_message_id as string, phone, 'failed', {
      errors: [{ code: 131026, title: 'Message undeliverable', details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.' }],
    });
    expect(res.status).toBe(200);
    const failed = await notification(ref);
    expect(failed).toMatchObject({ status: 'failed', last_error_code: '131026' });
    expect(failed?.last_error).toContain('Message undeliverable');
    expect((await timeline(sent.id)).at(-1)).toMatchObject({ kind: 'provider-failed', detail: { code: '131026' } });
  });

  it('answers 200 to a status for a message it does not know, and changes nothing', async () => {
    const before = await count(service.db, `SELECT 1 FROM notification_events`);
    const res = await status('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA', '+31699999999', 'delivered');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ statuses: { unknown: 1, applied: 0 } });
    expect(await count(service.db, `SELECT 1 FROM notification_events`)).toBe(before);
  });

  it('refuses webhooks without a valid signature (401) and signed bodies that are not the webhook shape (400)', async () => {
    const payload = server.statusPayload({ wamid: 'wamid.X', status: 'delivered', recipient: '+31612345678' });
    expect((await webhook(payload, { signature: null })).status).toBe(401);
    expect((await webhook(payload, { signature: 'sha256=' + '0'.repeat(64) })).status).toBe(401);
    expect((await webhook(payload, { signature: 'garbage' })).status).toBe(401);
    const other = JSON.stringify({ ...payload, object: 'page' });
    const signedForOther = await webhook(payload, { signature: webhookSignature(other, server.appSecret) });
    expect(signedForOther.status).toBe(401);
    expect((await webhook({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {} }] }] })).status).toBe(400);
    expect((await webhook({ hello: 'world' })).status).toBe(400);
  });

  it('answers Meta’s verification handshake only with the right verify token', async () => {
    const good = await service
      .http()
      .get('/webhooks/whatsapp')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': server.verifyToken, 'hub.challenge': '1158201444' });
    expect(good.status).toBe(200);
    expect(good.headers['content-type']).toMatch(/^text\/plain/);
    expect(good.text).toBe('1158201444');
    await service
      .http()
      .get('/webhooks/whatsapp')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1158201444' })
      .expect(403);
    await service
      .http()
      .get('/webhooks/whatsapp')
      .query({ 'hub.mode': 'unsubscribe', 'hub.verify_token': server.verifyToken, 'hub.challenge': '1' })
      .expect(403);
    await service.http().get('/webhooks/whatsapp').expect(403);
  });

  it('sends free-form text inside the 24-hour window a passenger’s message opens, a template outside it', async () => {
    const inside = fresh();
    const hello = await webhook(server.inboundTextPayload({ from: inside.phone.slice(1), body: 'Hello, is my flight on time?' }));
    expect(hello.status).toBe(200);
    expect(await count(service.db, `SELECT 1 FROM customer_service_windows WHERE channel = 'whatsapp' AND contact = $1`, [inside.phone])).toBe(1);
    await publishBooking(inside.ref, inside.phone, inside.flight);
    const row = await until(inside.ref, (r) => r.status === 'sent', 'the text sent');
    const [text] = server.messagesTo(inside.phone);
    expect(text.type).toBe('text');
    expect(text.body).toMatchObject({ type: 'text', text: { body: row.content?.text } });
    expect(row.content?.text).toContain(inside.ref);

    const outside = fresh();
    // A window that closed 25 hours ago does not count.
    await webhook(server.inboundTextPayload({ from: outside.phone.slice(1), body: 'hi', at: new Date(Date.now() - 25 * 3600_000) }));
    await publishBooking(outside.ref, outside.phone, outside.flight);
    await until(outside.ref, (r) => r.status === 'sent', 'the template sent');
    expect(server.messagesTo(outside.phone).map((r) => r.type)).toEqual(['template']);
  });

  it('withdraws WhatsApp consent on STOP and cancels what is still pending for the passenger', async () => {
    // Meta asks for patience, so the notification waits in line when STOP arrives.
    const { phone, ref } = await bookingAnswered(graphError(130429, 'Rate limit hit', { status: 429, headers: { 'Retry-After': '120' } }));
    await until(ref, (r) => r.status === 'pending' && r.attempts === 1, 'the notification waiting for its retry');
    const res = await webhook(server.inboundTextPayload({ from: phone.slice(1), body: '  Stop ' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ inbound: 1, optOuts: 1 });
    const row = await notification(ref);
    expect(row?.status).toBe('cancelled');
    expect((await timeline(row!.id)).at(-1)).toMatchObject({ kind: 'cancelled', detail: { reason: 'passenger replied STOP on WhatsApp' } });
    const consents: { granted: boolean }[] = await service.db.query(
      `SELECT granted FROM consents WHERE booking_reference = $1 AND channel = 'whatsapp'`,
      [ref],
    );
    expect(consents).toEqual([{ granted: false }]);
  });

  it.each(['STOPP', 'unsubscribe', 'Afmelden', 'uitschrijven', 'STOPPEN', 'arrêt', 'ARRET', 'abmelden'])('takes %j as an opt-out too', async (word) => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight);
    await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const res = await webhook(server.inboundTextPayload({ from: phone.slice(1), body: word }));
    expect(JSON.parse(res.body)).toMatchObject({ optOuts: 1 });
    expect(await count(service.db, `SELECT 1 FROM consents WHERE booking_reference = $1 AND channel = 'whatsapp' AND NOT granted`, [ref])).toBe(1);
  });

  // The same words and normalisation as SMS (src/opt-out, docs/decisions/0019): "STOP!" opted out by SMS only.
  it.each(['STOP!', 'Stop.', 'STOP 🙏', 'stop!!'])('takes %j as STOP, as SMS does', async (text) => {
    // Meta asks for patience, so the notification is still pending when the reply arrives.
    const { phone, ref } = await bookingAnswered(graphError(130429, 'Rate limit hit', { status: 429, headers: { 'Retry-After': '120' } }));
    await until(ref, (r) => r.status === 'pending' && r.attempts === 1, 'the notification waiting for its retry');
    const res = await webhook(server.inboundTextPayload({ from: phone.slice(1), body: text }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ inbound: 1, optOuts: 1 });
    const row = await notification(ref);
    expect(row?.status).toBe('cancelled');
    // The reason names the keyword in its normal form.
    expect((await timeline(row!.id)).at(-1)).toMatchObject({ kind: 'cancelled', detail: { reason: 'passenger replied STOP on WhatsApp' } });
    expect(await count(service.db, `SELECT 1 FROM consents WHERE booking_reference = $1 AND channel = 'whatsapp' AND NOT granted`, [ref])).toBe(1);
  });

  it('keeps consent for a sentence that only contains a keyword ("stop by later")', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight);
    await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const res = await webhook(server.inboundTextPayload({ from: phone.slice(1), body: 'stop by later' }));
    expect(JSON.parse(res.body)).toMatchObject({ inbound: 1, optOuts: 0 });
    expect(await count(service.db, `SELECT 1 FROM consents WHERE booking_reference = $1 AND channel = 'whatsapp' AND granted`, [ref])).toBe(1);
  });

  it('puts a retryable failure (HTTP 5xx) back in line and sends it on the retry', async () => {
    const { phone, ref } = await bookingAnswered({ status: 503, body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } } });
    const row = await until(ref, (r) => r.status === 'sent', 'the retry sent', 'booking-confirmation');
    expect(row.attempts).toBe(2);
    const kinds = (await timeline(row.id)).map((e) => e.kind);
    expect(kinds).toEqual(['attempt', 'retry-scheduled', 'attempt']);
    expect(server.messagesTo(phone).map((r) => r.status)).toEqual([503, 200]);
  });

  it.each([
    ['131000 (generic)', graphError(131000, 'Something went wrong', { status: 500 }), '131000'],
    ['HTTP 429', { status: 429, body: { error: { message: 'Too many calls', type: 'OAuthException', code: 80007 } } }, '80007'],
  ])('retries %s', async (_name, response, code) => {
    const { ref } = await bookingAnswered(response);
    const row = await until(ref, (r) => r.attempts >= 1 && (r.status === 'pending' || r.status === 'sent'), 'the first attempt judged');
    const attempt = (await timeline(row.id)).find((e) => e.kind === 'attempt');
    expect(attempt?.detail).toMatchObject({ outcome: 'retryable', code });
    await until(ref, (r) => r.status === 'sent', 'the retry sent');
  });

  // Meta may have taken a message whose answer never came: in doubt, settled by its status webhook or sent
  // again after IN_DOUBT_RESEND_AFTER_SECONDS (test/in-doubt.int-spec.ts), never retried blindly.
  it.each([
    ['does not answer within PROVIDER_TIMEOUT_MS', { hang: true as const }, 'timeout'],
    ['drops the connection', { drop: true as const }, 'network'],
  ])('leaves a send in doubt when the provider %s', async (_name, response, code) => {
    const { ref, phone } = await bookingAnswered(response);
    const row = await until(ref, (r) => r.status === 'in_doubt', 'the send in doubt');
    expect(row).toMatchObject({ attempts: 1, last_error_code: code });
    const events = await timeline(row.id);
    expect(events.find((e) => e.kind === 'attempt')?.detail).toMatchObject({ outcome: 'retryable', code, mayHaveSent: true });
    expect(events.at(-1)?.kind).toBe('in-doubt');
    expect(server.messagesTo(phone)).toHaveLength(1);
  });

  it.each([
    ['131026 (undeliverable)', graphError(131026, 'Message undeliverable'), '131026'],
    ['131047 (re-engagement)', graphError(131047, 'Re-engagement message'), '131047'],
    ['368 (policy)', graphError(368, 'Temporarily blocked for policies violations'), '368'],
    ['100 (invalid recipient)', graphError(100, 'Invalid parameter', { subcode: 2494010, details: 'Recipient phone number not valid' }), '100'],
  ])('fails %s permanently with the code in the timeline', async (_name, response, code) => {
    const { ref } = await bookingAnswered(response);
    const row = await until(ref, (r) => r.status === 'failed', 'the notification failed');
    expect(row).toMatchObject({ attempts: 1, last_error_code: code });
    const events = await timeline(row.id);
    expect(events.at(-1)).toMatchObject({ kind: 'failed', detail: { code, message: expect.stringContaining(`WhatsApp ${code}`) } });
  });

  it('gives up on 131049 after 3 attempts', async () => {
    const ecosystem = graphError(131049, 'This message was not delivered to maintain healthy ecosystem engagement.');
    const { ref } = await bookingAnswered(ecosystem, ecosystem, ecosystem);
    const row = await until(ref, (r) => r.status === 'failed', 'the notification failed', 'booking-confirmation');
    expect(row).toMatchObject({ attempts: 3, last_error_code: '131049' });
  }, 60_000);

  it('defers on the pair rate limit (131056) without spending an attempt', async () => {
    const { ref } = await bookingAnswered(graphError(131056, '(Business Account, Consumer Account) pair rate limit hit'));
    const row = await until(ref, (r) => r.status === 'sent', 'sent after the pause', 'booking-confirmation');
    const kinds = (await timeline(row.id)).map((e) => e.kind);
    expect(kinds).toContain('deferred');
    expect(row.attempts).toBe(1);
  }, 60_000);

  it('sends the boarding pass as a template with the PDF uploaded as its document header', async () => {
    const { phone, ref, flight } = fresh();
    await publishBooking(ref, phone, flight, 'nl-NL');
    await until(ref, (r) => r.status === 'sent', 'the confirmation sent');
    const checkin = checkinCompleted({
      bookingReference: ref,
      passengerId: 'PAX-1',
      segmentId: 'SEG-1',
      seat: '12A',
      sequenceNumber: 25,
      compartment: 'Y',
      boardingGroup: '3',
      boardingTime: '2026-12-01T06:55:00Z',
      gate: 'D7',
      checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    const row = await until(ref, (r) => r.status === 'sent' || r.status === 'failed', 'the boarding pass judged', 'boarding-pass');
    const requests = server.requests.filter((r) => r.operationId === 'uploadImage' || r.to === phone).slice(-2);
    expect(row).toMatchObject({ status: 'sent', last_error_code: null });
    const [upload, send] = requests;
    expect(upload).toMatchObject({ operationId: 'uploadImage', status: 200, body: { messaging_product: 'whatsapp', type: 'application/pdf' } });
    expect(server.media.get(upload.mediaId as string)?.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // The template that tells this check-in's facts (group, boarding time, gate), as stored with the notification.
    const [stored] = (await service.db.query(`SELECT content FROM notifications WHERE id = $1`, [row.id])) as { content: { whatsappTemplate?: { name: string } } }[];
    expect(stored.content.whatsappTemplate?.name).toMatch(/^boarding_pass__boarding_time_group_gate\w*__[0-9a-f]{6}$/);
    expect(send.body).toMatchObject({
      type: 'template',
      template: {
        name: stored.content.whatsappTemplate?.name,
        language: { code: 'nl' },
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { id: upload.mediaId, filename: expect.stringMatching(/\.pdf$/) } }] },
          { type: 'body', parameters: expect.arrayContaining([{ type: 'text', text: '12A' }]) },
        ],
      },
    });
    expect(row.provider_message_id).toBe(send.wamid);
  });

  // Last: it pauses the whole channel.
  it('pauses the channel when Meta refuses the access token (190)', async () => {
    const { ref } = await bookingAnswered(graphError(190, 'Error validating access token: Session has expired on Friday, 28-Nov-25 10:00:00 PST.', { status: 401 }));
    const pauses = await waitFor(async () => {
      const rows: { reason: string }[] = await service.db.query(`SELECT reason FROM channel_pauses WHERE channel = 'whatsapp'`);
      return rows.length > 0 ? rows : undefined;
    }, 20_000, 'the channel paused');
    expect(pauses[0].reason).toContain('190');
    const row = await notification(ref);
    expect(row?.status).toBe('pending'); // kept for when an operator resumes the channel, not failed
    const attempt = (await timeline(row!.id)).find((e) => e.kind === 'attempt');
    expect(attempt?.detail).toMatchObject({ outcome: 'paused', code: '190' });
    await service.app.get(ChannelPauseRepository).resume('whatsapp');
  });
});
