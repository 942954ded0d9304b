import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessengerTemplates, messengerTemplateRequests } from '../src/channels/messenger/messenger-template-export';
import { MessengerPlatformClient } from '../src/channels/messenger/messenger-platform.client';
import { webhookSignature } from '../src/channels/whatsapp/whatsapp-signature';
import { projectPath } from '../src/config/project-root';
import { ChannelPauseRepository } from '../src/delivery/channel-pause.repository';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import type { Segment } from '../src/events/event-types';
import { createTemplateRenderer } from '../src/rendering/template-renderer.service';
import { graphError, MessengerContractServer, type RecordedRequest, type ScriptedResponse } from './support/messenger-contract-server';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

interface Row {
  id: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
}

describe('Messenger Platform channel: events → utility templates and texts → watermarked deliveries and reads', () => {
  let server: MessengerContractServer;
  let url: string;
  let seq = 0;

  const fresh = () => {
    seq++;
    const flight = String(6000 + seq);
    return { psid: server.newPsid(), ref: `MS${String(seq).padStart(4, '0')}`, seg: segment({ flightNumber: flight }) };
  };

  const publishBooking = async (ref: string, psid: string, seg: Segment, extra: { email?: string } = {}) => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          locale: 'en',
          contacts: { messenger: psid, ...(extra.email ? { email: extra.email } : {}) },
          consents: [{ channel: 'messenger', granted: true }, ...(extra.email ? [{ channel: 'email' as const, granted: true }] : [])],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
  };

  const notification = async (ref: string, type = 'booking-confirmation', channel = 'messenger'): Promise<Row | undefined> => {
    const rows: Row[] = await service.db.query(
      `SELECT id, status, attempts, provider_message_id, last_error_code FROM notifications WHERE booking_reference = $1 AND channel = $2 AND type = $3`,
      [ref, channel, type],
    );
    return rows[0];
  };
  const until = (ref: string, accept: (row: Row) => boolean, what: string, type?: string, channel?: string) =>
    waitFor(async () => {
      const row = await notification(ref, type, channel);
      return row && accept(row) ? row : undefined;
    }, 30_000, what);
  const kinds = async (id: string): Promise<string[]> =>
    ((await service.db.query(`SELECT kind FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id])) as { kind: string }[]).map((e) => e.kind);
  const webhook = (payload: unknown, options?: Parameters<MessengerContractServer['postWebhook']>[2]) => server.postWebhook(url, payload, options);
  const summary = async (payload: unknown) => {
    const answer = await webhook(payload);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as Record<string, number>;
  };
  /** The accepted message Meta has for this notification. */
  const sentRequest = (row: Row): RecordedRequest => {
    const request = server.requests.find((r) => r.mid === row.provider_message_id);
    if (!request) throw new Error(`no accepted request for ${row.provider_message_id}`);
    return request;
  };
  const bookingAnswered = async (...responses: ScriptedResponse[]) => {
    const { psid, ref, seg } = fresh();
    server.scriptMessages(psid, ...responses);
    await publishBooking(ref, psid, seg);
    return { psid, ref };
  };

  beforeAll(async () => {
    server = await new MessengerContractServer().start();
    // The Page gets its templates as an operator would: the export, through the message_templates endpoint.
    const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: 6, wechatTemplatesFile: projectPath('config/wechat-templates.json') });
    renderer.load();
    const client = new MessengerPlatformClient({ baseUrl: server.origin, apiVersion: server.apiVersion, pageId: server.pageId, pageAccessToken: server.accessToken, timeoutMs: 10_000 });
    const requests = messengerTemplateRequests(renderer);
    const outcome = await createMessengerTemplates(client, requests);
    expect(outcome).toMatchObject({ created: expect.any(Array), existing: [], failed: [] });
    expect(outcome.created).toHaveLength(requests.length);
    // A second run finds them all on the Page.
    expect(await createMessengerTemplates(client, requests)).toMatchObject({ created: [], failed: [] });
  }, 120_000);
  // A cancellation goes to the first channel only: another channel hears it only by falling back.
  const service = useTestService(() => ({ ...server.env(), PROVIDER_TIMEOUT_MS: '2000', MESSENGER_PAIR_INTERVAL_MS: '0', FIRST_CHANNEL_ONLY_TYPES: 'flight-cancellation' }));
  beforeAll(async () => {
    url = await service.app.getUrl();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    expect(server.violations).toEqual([]);
  });

  it('sends a booking confirmation as a utility template and follows it to delivered and read by watermark; replays change nothing', async () => {
    const { psid, ref, seg } = fresh();
    await publishBooking(ref, psid, seg);
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const request = sentRequest(sent);
    expect(request).toMatchObject({ kind: 'template', psid, authorized: true });
    expect(request.body).toMatchObject({ messaging_type: 'UTILITY', message: { template: { name: expect.stringMatching(/^booking_confirmation__/), language: { code: 'en_GB' } } } });

    expect(await summary(server.deliveryPayload(psid, request.at))).toMatchObject({ delivered: 1, duplicates: 0 });
    expect((await notification(ref))?.status).toBe('delivered');
    expect(await summary(server.readPayload(psid, request.at + 5))).toMatchObject({ read: 1 });
    expect((await notification(ref))?.status).toBe('read');
    // Meta's retries of the same reports: acknowledged, applied once.
    expect(await summary(server.deliveryPayload(psid, request.at))).toMatchObject({ delivered: 0, duplicates: 1 });
    expect(await summary(server.readPayload(psid, request.at + 5))).toMatchObject({ read: 0, duplicates: 1 });
    expect(await kinds(sent.id)).toEqual(['attempt', 'provider-delivered', 'provider-read']);
  });

  it('applies a watermark to every message sent before it and none after; out-of-order and older reports move nothing back', async () => {
    const { psid, ref, seg } = fresh();
    await publishBooking(ref, psid, seg);
    const first = await until(ref, (r) => r.status === 'sent', 'the first message sent');
    const second = { ref: `${ref.slice(0, 4)}B${ref.slice(5)}` };
    await publishBooking(second.ref, psid, segment({ flightNumber: String(Number(seg.flightNumber) + 500) }));
    const later = await until(second.ref, (r) => r.status === 'sent', 'the second message sent');
    const [a, b] = [sentRequest(first), sentRequest(later)];
    expect(b.at).toBeGreaterThanOrEqual(a.at);

    // Read up to the first message only (a read may come before its delivery report).
    expect(await summary(server.readPayload(psid, a.at))).toMatchObject({ read: 1 });
    expect((await notification(ref))?.status).toBe('read');
    expect((await notification(second.ref))?.status).toBe('sent');
    // The delivery report for both comes late: the first stays read, the second is delivered.
    expect(await summary(server.deliveryPayload(psid, b.at))).toMatchObject({ delivered: 1 });
    expect((await notification(ref))?.status).toBe('read');
    expect((await notification(second.ref))?.status).toBe('delivered');
    // An older watermark after a newer one: nothing left to move.
    expect(await summary(server.deliveryPayload(psid, a.at))).toMatchObject({ delivered: 0, duplicates: 0 });
    // Another person's watermark never touches these.
    expect(await summary(server.readPayload(server.newPsid(), Date.now()))).toMatchObject({ read: 0 });
    expect((await notification(second.ref))?.status).toBe('delivered');
  });

  it('moves a message named in mids even when the watermark is older', async () => {
    const { psid, ref, seg } = fresh();
    await publishBooking(ref, psid, seg);
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    expect(await summary(server.deliveryPayload(psid, sentRequest(sent).at - 60_000, [sent.provider_message_id as string]))).toMatchObject({ delivered: 1 });
    expect((await notification(ref))?.status).toBe('delivered');
  });

  it('answers inside the window a passenger’s message opens with a text carrying the notification id, settled by its echo', async () => {
    const { psid, ref, seg } = fresh();
    expect(await summary(server.inboundTextPayload(psid, 'Is my flight on time?'))).toMatchObject({ inbound: 1, optOuts: 0 });
    await publishBooking(ref, psid, seg);
    const sent = await until(ref, (r) => r.status === 'sent', 'the text sent');
    const request = sentRequest(sent);
    expect(request).toMatchObject({ kind: 'text' });
    expect(request.body).toMatchObject({ messaging_type: 'RESPONSE', message: { text: expect.stringContaining('KL'), metadata: sent.id } });
    // The echo names the notification: recorded (the status stays sent).
    expect(await summary(server.echoPayload(request))).toMatchObject({ echoes: 1 });
  });

  it('withdraws Messenger consent on an opt-out word and on the UNSUBSCRIBE postback, cancelling what is pending', async () => {
    const consent = async (ref: string) =>
      ((await service.db.query(`SELECT granted FROM consents WHERE booking_reference = $1 AND channel = 'messenger'`, [ref])) as { granted: boolean }[])[0]?.granted;
    const one = fresh();
    await publishBooking(one.ref, one.psid, one.seg);
    await until(one.ref, (r) => r.status === 'sent', 'the first booking sent');
    expect(await summary(server.inboundTextPayload(one.psid, 'STOP'))).toMatchObject({ inbound: 1, optOuts: 1 });
    expect(await consent(one.ref)).toBe(false);

    const two = fresh();
    await publishBooking(two.ref, two.psid, two.seg);
    await until(two.ref, (r) => r.status === 'sent', 'the second booking sent');
    expect(await summary(server.postbackPayload(two.psid, 'UNSUBSCRIBE', 'Stop flight updates'))).toMatchObject({ optOuts: 1 });
    expect(await consent(two.ref)).toBe(false);
    const status: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM notifications WHERE booking_reference = $1 AND status = 'pending'`, [two.ref]);
    expect(status[0].n).toBe(0);
  });

  it.each([
    ['551: the person is not available, permanent', graphError(551, "This person isn't available right now."), '551', 'failed'],
    ['200/2018028: may not message this person, permanent', graphError(200, 'Cannot message users who are not admins, developers or testers of the app', { subcode: 2018028 }), '200/2018028', 'failed'],
  ])('fails a message for good: %s', async (_what, response, code, status) => {
    const { ref } = await bookingAnswered(response);
    const row = await until(ref, (r) => r.status === status, `the notification ${status}`);
    expect(row.last_error_code).toBe(code);
  });

  it.each([
    ['613: rate limit', graphError(613, 'Calls to this api have exceeded the rate limit.', { headers: { 'Retry-After': '0' } }), '613'],
    ['2: temporary', graphError(2, 'An unexpected error has occurred. Please retry your request later.', { status: 500 }), '2'],
  ])('retries %s and then sends', async (_what, response, code) => {
    const { ref } = await bookingAnswered(response);
    const row = await until(ref, (r) => r.status === 'sent', 'the notification sent after a retry');
    expect(row.attempts).toBe(2);
    const events: { kind: string; detail: { code?: string } | null }[] = await service.db.query(`SELECT kind, detail FROM notification_events WHERE notification_id = $1 ORDER BY id`, [row.id]);
    expect(events.filter((e) => e.kind === 'attempt').map((e) => e.detail?.code)).toEqual([code, undefined]);
  });

  it('makes notifications wait for a template Meta paused and go when it approves it again', async () => {
    const { psid, ref, seg } = fresh();
    const name = [...server.templates.values()].find((t) => t.name.startsWith('booking_confirmation__') && t.language === 'en_GB')?.name as string;
    expect(await summary(server.templateStatusPayload('PAUSED', name, 'en_GB', 'Low quality'))).toMatchObject({ templates: 1 });
    await publishBooking(ref, psid, seg);
    await until(ref, (r) => r.status === 'pending' && r.last_error_code === 'template-paused', 'the notification waiting');
    expect(server.messagesTo(psid)).toEqual([]);
    expect(await summary(server.templateStatusPayload('APPROVED', name, 'en_GB'))).toMatchObject({ templates: 1 });
    await until(ref, (r) => r.status === 'sent', 'the notification sent after the approval');
  });

  it('falls back from a Messenger message that failed for good to the passenger’s next channel (critical news)', async () => {
    const { psid, ref, seg } = fresh();
    await publishBooking(ref, psid, seg, { email: 'jake.rivera@example.com' });
    await until(ref, (r) => r.status === 'sent', 'the confirmation sent on Messenger');
    server.scriptMessages(psid, graphError(551, "This person isn't available right now."));
    const cancelled = flightStatus(seg, 1, { status: 'CANCELLED' });
    await service.publisher.publish(cancelled.type, cancelled);
    const failed = await until(ref, (r) => r.status === 'failed', 'the cancellation failed on Messenger', 'flight-cancellation');
    expect(failed.last_error_code).toBe('551');
    await waitFor(async () => (await kinds(failed.id)).includes('fallback'), 30_000, 'the fallback on the failed one’s timeline');
    await until(ref, (r) => r.status === 'delivered', 'the cancellation delivered by e-mail', 'flight-cancellation', 'email');
  });

  it('refuses webhooks without a valid signature and answers the verification handshake only with the verify token', async () => {
    const payload = server.readPayload(server.newPsid(), Date.now());
    expect((await webhook(payload, { signature: null })).status).toBe(401);
    expect((await webhook(payload, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await webhook(payload, { rawBody: `${JSON.stringify(payload)} `, signature: undefined })).status).toBe(200);
    const tampered = JSON.stringify(payload).replace(server.pageId, '1');
    expect((await webhook(payload, { rawBody: tampered, signature: webhookSignature(JSON.stringify(payload), server.appSecret) })).status).toBe(401);
    const verify = (token: string) => fetch(`${url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
    const ok = await verify(server.verifyToken);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await verify('wrong-token')).status).toBe(403);
  });

  it('serves a WeChat passenger through the sandbox beside Messenger, and an operator’s consent change works on both channels', async () => {
    const { psid, ref, seg } = fresh();
    const openId = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({ passengerId: 'PAX-1', locale: 'zh-Hans-CN', contacts: { wechat: openId, messenger: psid }, consents: [{ channel: 'wechat', granted: true }, { channel: 'messenger', granted: true }] }),
        passenger({ passengerId: 'PAX-2', locale: 'en', contacts: { wechat: 'too-short', messenger: '+31612345678' }, consents: [{ channel: 'wechat', granted: true }, { channel: 'messenger', granted: true }] }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    const wechat = await until(ref, (r) => r.status === 'delivered', 'the WeChat message delivered by the sandbox', 'booking-confirmation', 'wechat');
    const file = join(service.env.OUTBOX_DIR, 'wechat', `${wechat.id}.json`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ channel: 'wechat', to: openId, locale: 'zh-Hans', text: expect.stringContaining(`KL${seg.flightNumber}`) });
    await until(ref, (r) => r.status === 'sent', 'the Messenger message sent');
    // The second passenger's contacts do not fit their channels: recorded as unusable, never planned.
    const unusable: { unusable_contacts: { channel: string; reason: string }[] }[] = await service.db.query(
      `SELECT unusable_contacts FROM passengers WHERE booking_reference = $1 AND passenger_id = 'PAX-2'`,
      [ref],
    );
    expect(unusable[0].unusable_contacts.map((u) => [u.channel, u.reason])).toEqual([['messenger', 'malformed-psid'], ['wechat', 'malformed-openid']]);
    const planned: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM notifications WHERE booking_reference = $1 AND passenger_id = 'PAX-2'`, [ref]);
    expect(planned[0].n).toBe(0);

    for (const channel of ['messenger', 'wechat']) {
      const res = await service.http().put(`/api/bookings/${ref}/passengers/PAX-1/consents/${channel}`).send({ granted: false }).expect(200);
      expect(res.body).toMatchObject({ channel, granted: false });
    }
    await service.http().put(`/api/bookings/${ref}/passengers/PAX-1/consents/line`).send({ granted: false }).expect(400);
    const consents: { channel: string; granted: boolean }[] = await service.db.query(
      `SELECT channel, granted FROM consents WHERE booking_reference = $1 AND passenger_id = 'PAX-1' ORDER BY preference`,
      [ref],
    );
    expect(consents).toEqual([{ channel: 'wechat', granted: false }, { channel: 'messenger', granted: false }]);
  });

  // Last: it pauses the whole channel.
  it('pauses the channel when Meta refuses the Page access token (190)', async () => {
    const { ref } = await bookingAnswered(graphError(190, 'Error validating access token: Session has expired', { subcode: 463 }));
    const pauses = await waitFor(async () => {
      const rows: { reason: string }[] = await service.db.query(`SELECT reason FROM channel_pauses WHERE channel = 'messenger'`);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'the channel paused');
    expect(pauses[0].reason).toContain('190');
    const row = await notification(ref);
    expect(row?.status).toBe('pending'); // kept for when an operator resumes the channel, not failed
    const attempts: { detail: Record<string, unknown> }[] = await service.db.query(`SELECT detail FROM notification_events WHERE notification_id = $1 AND kind = 'attempt'`, [row?.id]);
    expect(attempts[0].detail).toMatchObject({ adapter: 'messenger-platform', outcome: 'paused', code: '190/463' });
    await service.app.get(ChannelPauseRepository).resume('messenger');
  });
});
