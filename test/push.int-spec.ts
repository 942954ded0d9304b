import { randomBytes, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../src/channels/channel-adapter';
import { PushAdapter } from '../src/channels/push/push.adapter';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import type { Segment } from '../src/events/event-types';
import { sampleRenderContext } from '../src/rendering/render-context.sample';
import { ApnsContractServer } from './support/apns-contract-server';
import { FcmContractServer } from './support/fcm-contract-server';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

interface Row {
  id: string;
  type: string;
  status: string;
  attempts: number;
  last_error_code: string | null;
  provider_message_id: string | null;
}
interface DeviceDetail {
  device: string;
  platform: string;
  locale: string;
  outcome: string;
  code?: string;
  providerMessageId?: string;
}

const iosToken = () => randomBytes(32).toString('hex');
const androidToken = () => `${randomBytes(8).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;
const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function pushEnv(fcm: FcmContractServer, apns: ApnsContractServer): Record<string, string> {
  return {
    CHANNEL_PUSH: 'fcm-apns',
    FCM_PROJECT_ID: fcm.projectId,
    FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount),
    FCM_BASE_URL: fcm.origin,
    FCM_TOKEN_URL: fcm.tokenUrl,
    ...apns.tokenAuthEnv(),
    APNS_TOPIC: apns.topic,
    PROVIDER_TIMEOUT_MS: '3000',
  };
}

describe('push to the app: devices API, FCM and APNs on their documented contracts', () => {
  let fcm: FcmContractServer;
  let apns: ApnsContractServer;
  let seq = 0;

  beforeAll(async () => {
    fcm = await new FcmContractServer().start();
    apns = await new ApnsContractServer().start();
  });
  // Cancellations go to the first consented channel only, so one that cannot be pushed shows the fallback.
  const service = useTestService(() => ({ ...pushEnv(fcm, apns), FIRST_CHANNEL_ONLY_TYPES: 'flight-cancellation' }));
  afterAll(async () => {
    await fcm?.close();
    await apns?.close();
  });
  afterEach(() => {
    // Every request the service made kept to the providers' contracts.
    expect(fcm.violations).toEqual([]);
    expect(apns.violations).toEqual([]);
  });

  /** An account with an iPhone (Dutch) and an Android phone (German), registered through the API. */
  const account = async (devices: { platform: 'ios' | 'android'; locale: string }[] = [{ platform: 'ios', locale: 'nl-NL' }, { platform: 'android', locale: 'de' }]) => {
    seq++;
    const id = `acct-${seq}-${randomUUID().slice(0, 8)}`;
    const registered: { installationId: string; platform: 'ios' | 'android'; token: string; locale: string }[] = [];
    for (const device of devices) {
      const installationId = randomUUID();
      const token = device.platform === 'ios' ? iosToken() : androidToken();
      const answer = await service.http('app').put(`/api/app-devices/${installationId}`).send({ account: id, platform: device.platform, pushToken: token, locale: device.locale });
      expect(answer.status).toBe(200);
      registered.push({ installationId, platform: device.platform, token, locale: device.locale });
    }
    return { id, devices: registered, ref: `PU${String(seq).padStart(4, '0')}`, flight: String(7000 + seq) };
  };

  const book = async (ref: string, accountId: string, seg: Segment, extra: { critical?: boolean } = {}) => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          locale: 'en',
          contacts: { app: accountId, ...(extra.critical ? { email: `p${seq}@example.com` } : {}) },
          consents: [{ channel: 'push', granted: true }, ...(extra.critical ? [{ channel: 'email' as const, granted: true }] : [])],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
  };

  const rows = (ref: string, channel = 'push'): Promise<Row[]> =>
    service.db.query(`SELECT id, type, status, attempts, last_error_code, provider_message_id FROM notifications WHERE booking_reference = $1 AND channel = $2 ORDER BY created_at`, [ref, channel]);
  const until = (ref: string, accept: (r: Row) => boolean, what: string, type = 'booking-confirmation', channel = 'push') =>
    waitFor(async () => (await rows(ref, channel)).find((r) => r.type === type && accept(r)), 30_000, what);
  /** Each attempt's timeline entry, with the devices' answers the adapter put in its detail. */
  const attempts = async (id: string): Promise<{ outcome: string; devices?: DeviceDetail[]; code?: string; retryAfterMs?: number }[]> => {
    const found: { detail: { outcome: string; code?: string; retryAfterMs?: number; detail?: { devices?: DeviceDetail[] } } }[] = await service.db.query(
      `SELECT detail FROM notification_events WHERE notification_id = $1 AND kind = 'attempt' ORDER BY id`,
      [id],
    );
    return found.map(({ detail }) => ({ ...detail, devices: detail.detail?.devices }));
  };
  const registered = (installationId: string) => count(service.db, `SELECT 1 FROM app_devices WHERE installation_id = $1`, [installationId]);

  it('registers devices for the app role only: 401 without a token, 403 for every other role, 400 naming the field', async () => {
    const id = randomUUID();
    const body = { account: 'acct-api-1', platform: 'ios', pushToken: iosToken(), locale: 'nl-NL' };
    expect((await service.http('anonymous').put(`/api/app-devices/${id}`).send(body)).status).toBe(401);
    for (const role of ['operator', 'viewer', 'producer'] as const) {
      expect([role, (await service.http(role).put(`/api/app-devices/${id}`).send(body)).status]).toEqual([role, 403]);
      expect([role, (await service.http(role).delete(`/api/app-devices/${id}`)).status]).toEqual([role, 403]);
    }
    const created = await service.http('app').put(`/api/app-devices/${id}`).send(body);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ installationId: id, account: 'acct-api-1', platform: 'ios', locale: 'nl-NL', created: true });
    expect(JSON.stringify(created.body)).not.toContain(body.pushToken);
    const updated = await service.http('app').put(`/api/app-devices/${id}`).send({ ...body, locale: 'fr' });
    expect(updated.body).toMatchObject({ created: false, locale: 'fr' });

    const refused = async (patch: object, field: string) => {
      const answer = await service.http('app').put(`/api/app-devices/${id}`).send({ ...body, ...patch });
      expect([field, answer.status]).toEqual([field, 400]);
      expect(JSON.stringify(answer.body.message)).toContain(field);
    };
    await refused({ platform: 'windows' }, 'platform');
    await refused({ pushToken: 'not-hex-'.repeat(8) }, 'pushToken');
    await refused({ platform: 'android', pushToken: 'spaces are not allowed in an FCM token at all' }, 'pushToken');
    await refused({ locale: 'Dutch please' }, 'locale');
    await refused({ account: 'two words' }, 'account');
    await refused({ colour: 'blue' }, 'colour');
    expect((await service.http('app').put('/api/app-devices/x').send(body)).status).toBe(400);
    // An app token reaches nothing else.
    expect((await service.http('app').get('/api/notifications')).status).toBe(403);

    const removed = await service.http('app').delete(`/api/app-devices/${id}`);
    expect([removed.status, removed.body]).toEqual([200, { installationId: id, removed: true }]);
    expect(await registered(id)).toBe(0);
    const again = await service.http('app').delete(`/api/app-devices/${id}`);
    expect([again.status, again.body]).toEqual([200, { installationId: id, removed: false }]);
  });

  it("pushes one notification to an account's iPhone and Android phone, each in its own language, and records both", async () => {
    const { id, devices, ref, flight } = await account();
    await book(ref, id, segment({ flightNumber: flight }));
    const sent = await until(ref, (r) => r.status === 'sent', 'the push sent');
    const [ios, android] = devices;

    const [toAndroid] = fcm.sentTo(android.token);
    expect(toAndroid.message.notification.title).toBe(`Ihre Buchung ${ref} ist bestätigt`);
    // A booking is about no single flight: the deep link names the booking.
    expect(toAndroid.message.data).toEqual({ notificationId: sent.id, type: 'booking-confirmation', bookingReference: ref });
    expect(toAndroid.message.android).toMatchObject({ collapse_key: sent.id, priority: 'NORMAL', notification: { tag: sent.id } });

    const [toIphone] = apns.receivedBy(ios.token);
    expect(toIphone.payload.aps.alert.title).toBe(`Uw boeking ${ref} is bevestigd`);
    expect(toIphone.payload.aps['thread-id']).toBe(ref);
    expect(toIphone.headers).toMatchObject({ 'apns-push-type': 'alert', 'apns-priority': '5', 'apns-collapse-id': sent.id, 'apns-topic': apns.topic });
    expect(Number(toIphone.headers['apns-expiration'])).toBeGreaterThan(Date.now() / 1000);

    const [attempt] = await attempts(sent.id);
    expect(attempt.outcome).toBe('accepted');
    expect(attempt.devices?.map((d) => [d.platform, d.locale, d.outcome])).toEqual([
      ['ios', 'nl', 'accepted'],
      ['android', 'de', 'accepted'],
    ]);
    expect(attempt.devices?.[1].providerMessageId).toMatch(/^projects\/airline-app-test\/messages\//);
    expect(sent.provider_message_id).toBe(attempt.devices?.[0].providerMessageId);
    expect(JSON.stringify(attempt)).not.toContain(ios.installationId);
    expect(JSON.stringify(attempt)).not.toContain(android.token);
  });

  it('gives all news of one flight one collapse id, so a cancellation replaces the delay on the lock screen', async () => {
    const { id, devices, ref, flight } = await account();
    const seg = segment({ flightNumber: flight });
    await book(ref, id, seg);
    await until(ref, (r) => r.status === 'sent', 'the confirmation');
    await service.publisher.publish('flight.status.changed', flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 60) }));
    await until(ref, (r) => r.status === 'sent', 'the delay', 'flight-delay');
    await service.publisher.publish('flight.status.changed', flightStatus(seg, 2, { status: 'CANCELLED' }));
    await until(ref, (r) => r.status === 'sent', 'the cancellation', 'flight-cancellation');

    const [ios, android] = devices;
    const news = apns.receivedBy(ios.token).filter((r) => r.payload.type !== 'booking-confirmation');
    expect(news.map((r) => r.payload.type)).toEqual(['flight-delay', 'flight-cancellation']);
    expect(news.map((r) => r.headers['apns-collapse-id'])).toEqual([`flight-KL${flight}-2026-12-01`, `flight-KL${flight}-2026-12-01`]);
    expect(news.map((r) => r.headers['apns-priority'])).toEqual(['10', '10']);
    const androidNews = fcm.sentTo(android.token).filter((s) => s.message.data.type !== 'booking-confirmation');
    expect(androidNews.map((s) => [s.message.android.collapse_key, s.message.android.notification.tag, s.message.android.priority])).toEqual([
      [`flight-KL${flight}-2026-12-01`, `flight-KL${flight}-2026-12-01`, 'HIGH'],
      [`flight-KL${flight}-2026-12-01`, `flight-KL${flight}-2026-12-01`, 'HIGH'],
    ]);
    // Another flight's news keeps a collapse id of its own.
    expect(news[0].headers['apns-collapse-id']).not.toBe(`flight-KL${Number(flight) + 1}-2026-12-01`);
  });

  it('removes the devices FCM and APNs call unregistered; with none left the notification fails and critical news falls back', async () => {
    const { id, devices, ref, flight } = await account();
    const [ios, android] = devices;
    fcm.script(android.token, { status: 404, errorCode: 'UNREGISTERED' });
    apns.script(ios.token, { status: 410, reason: 'Unregistered' });
    const seg = segment({ flightNumber: flight });
    await book(ref, id, seg, { critical: true });
    const failed = await until(ref, (r) => r.status === 'failed', 'the push failed');
    expect(failed.last_error_code).toBe('devices-unregistered');
    expect(await registered(ios.installationId)).toBe(0);
    expect(await registered(android.installationId)).toBe(0);
    const [attempt] = await attempts(failed.id);
    expect(attempt.devices?.map((d) => [d.platform, d.outcome, d.code])).toEqual([
      ['ios', 'removed', 'Unregistered'],
      ['android', 'removed', 'UNREGISTERED'],
    ]);

    // Critical news for an account with no device left goes to the passenger's next channel (e-mail here).
    await service.publisher.publish('flight.status.changed', flightStatus(seg, 1, { status: 'CANCELLED' }));
    const noDevices = await until(ref, (r) => r.status === 'failed', 'the cancellation failed on push', 'flight-cancellation');
    expect(noDevices.last_error_code).toBe('no-devices');
    const email = await until(ref, (r) => ['sent', 'delivered'].includes(r.status), 'the cancellation by e-mail', 'flight-cancellation', 'email');
    const [{ fallback_of }]: { fallback_of: string }[] = await service.db.query(`SELECT fallback_of FROM notifications WHERE id = $1`, [email.id]);
    expect(fallback_of).toBe(noDevices.id);
  });

  it('removes a device whose token APNs calls bad (400 BadDeviceToken) and still sends to the others', async () => {
    const { id, devices, ref, flight } = await account([{ platform: 'ios', locale: 'en' }, { platform: 'ios', locale: 'en' }]);
    apns.script(devices[0].token, { status: 400, reason: 'BadDeviceToken' });
    await book(ref, id, segment({ flightNumber: flight }));
    const sent = await until(ref, (r) => r.status === 'sent', 'the push sent');
    expect(await registered(devices[0].installationId)).toBe(0);
    expect(await registered(devices[1].installationId)).toBe(1);
    expect((await attempts(sent.id))[0].devices?.map((d) => d.outcome)).toEqual(['removed', 'accepted']);
  });

  it('tries again after the Retry-After FCM gives (QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL) and after an APNs 429 or 5xx', async () => {
    const { id, devices, ref, flight } = await account([{ platform: 'android', locale: 'en' }]);
    fcm.script(devices[0].token, { status: 429, errorCode: 'QUOTA_EXCEEDED', headers: { 'Retry-After': '3' } }, { status: 503, errorCode: 'UNAVAILABLE' }, { status: 500, errorCode: 'INTERNAL' });
    await book(ref, id, segment({ flightNumber: flight }));
    const sent = await until(ref, (r) => r.status === 'sent', 'the push sent after three refusals');
    expect(sent.attempts).toBe(4);
    const tries = await attempts(sent.id);
    expect(tries.map((t) => t.outcome)).toEqual(['retryable', 'retryable', 'retryable', 'accepted']);
    expect(tries.map((t) => t.code).slice(0, 3)).toEqual(['QUOTA_EXCEEDED', 'UNAVAILABLE', 'INTERNAL']);
    expect(tries[0].retryAfterMs).toBe(3_000);
    const sends = fcm.sentTo(devices[0].token);
    expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(3_000);
    expect(await registered(devices[0].installationId)).toBe(1);

    const iphone = await account([{ platform: 'ios', locale: 'en' }]);
    apns.script(iphone.devices[0].token, { status: 429, reason: 'TooManyRequests' }, { status: 503, reason: 'ServiceUnavailable' });
    await book(iphone.ref, iphone.id, segment({ flightNumber: iphone.flight }));
    const later = await until(iphone.ref, (r) => r.status === 'sent', 'the iPhone push after two refusals');
    expect((await attempts(later.id)).map((t) => t.code ?? t.outcome)).toEqual(['TooManyRequests', 'ServiceUnavailable', 'accepted']);
  });

  it('makes a new provider token when APNs calls it expired, and a new access token when FCM refuses it, then sends', async () => {
    const before = { grants: fcm.grants.length, tokens: new Set(apns.received.map((r) => r.providerToken)).size };
    apns.expireProviderTokens();
    fcm.revokeAccessTokens();
    // The provider token's iat is in whole seconds: the new one must be issued after the expiry instant.
    await new Promise((r) => setTimeout(r, 1_100));
    const { id, devices, ref, flight } = await account();
    await book(ref, id, segment({ flightNumber: flight }));
    const sent = await until(ref, (r) => r.status === 'sent', 'the push sent with new credentials');
    expect(sent.attempts).toBe(1);
    expect(fcm.grants.length).toBe(before.grants + 1);
    expect(new Set(apns.received.map((r) => r.providerToken)).size).toBe(before.tokens + 1);
    expect(apns.receivedBy(devices[0].token)).toHaveLength(1);
  });

  it('keeps one HTTP/2 connection to APNs for all its sends', () => {
    expect(apns.received.length).toBeGreaterThanOrEqual(8);
    expect(apns.connections).toBe(1);
  });

  it('pauses the push channel with an alarm when FCM refuses our credentials (THIRD_PARTY_AUTH_ERROR), and again for APNs after a refresh did not help', async () => {
    const android = await account([{ platform: 'android', locale: 'en' }]);
    fcm.script(android.devices[0].token, { status: 401, errorCode: 'THIRD_PARTY_AUTH_ERROR' });
    await book(android.ref, android.id, segment({ flightNumber: android.flight }));
    const pause = await waitFor(async () => {
      const found: { reason: string }[] = await service.db.query(`SELECT reason FROM channel_pauses WHERE channel = 'push'`);
      return found[0];
    }, 30_000, 'the push channel paused');
    expect(pause.reason).toContain('THIRD_PARTY_AUTH_ERROR');
    const waiting = await until(android.ref, (r) => r.status === 'pending', 'the notification waiting');
    expect(waiting.attempts).toBeLessThanOrEqual(1);
    expect(await registered(android.devices[0].installationId)).toBe(1);
    // An operator fixes the credentials and resumes the channel (README: delete the pause row); it goes out at
    // its next check, made due now rather than waiting the 30 s recheck.
    await service.db.query(`DELETE FROM channel_pauses WHERE channel = 'push'`);
    await service.db.query(`UPDATE notifications SET due_at = now() WHERE id = $1`, [waiting.id]);
    await until(android.ref, (r) => r.status === 'sent', 'the push sent after the resume');

    const iphone = await account([{ platform: 'ios', locale: 'en' }]);
    apns.script(iphone.devices[0].token, { status: 403, reason: 'InvalidProviderToken' }, { status: 403, reason: 'InvalidProviderToken' });
    await book(iphone.ref, iphone.id, segment({ flightNumber: iphone.flight }));
    const again = await waitFor(async () => {
      const found: { reason: string }[] = await service.db.query(`SELECT reason FROM channel_pauses WHERE channel = 'push'`);
      return found[0];
    }, 30_000, 'the push channel paused by APNs');
    expect(again.reason).toContain('InvalidProviderToken');
    expect(apns.receivedBy(iphone.devices[0].token)).toHaveLength(2);
    await service.db.query(`DELETE FROM channel_pauses WHERE channel = 'push'`);
  });

  it('erases the devices of an erased booking’s app account', async () => {
    const { id, devices, ref, flight } = await account();
    await book(ref, id, segment({ flightNumber: flight }));
    await until(ref, (r) => r.status === 'sent', 'the push sent');
    const erased = await service.http('operator').post(`/api/bookings/${ref}/erase`).send({});
    expect(erased.status).toBe(200);
    expect(erased.body.appDevices).toBe(2);
    for (const device of devices) expect(await registered(device.installationId)).toBe(0);
  });
});

describe('push from two replicas: one OAuth2 grant and one APNs provider token for both', () => {
  let fcm: FcmContractServer;
  let apns: ApnsContractServer;
  let environment: TestEnvironment;
  let replicas: TestService[] = [];

  beforeAll(async () => {
    fcm = await new FcmContractServer().start();
    apns = await new ApnsContractServer().start();
    environment = await createTestEnvironment({ ...pushEnv(fcm, apns), DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });
    replicas = [await startService(environment.env), await startService(environment.env)];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await environment?.dispose();
    await fcm?.close();
    await apns?.close();
  });

  it('mints each credential once, stores it, and both replicas send with it', async () => {
    const accountId = `acct-replicas-${randomUUID().slice(0, 8)}`;
    const tokens = { ios: iosToken(), android: androidToken() };
    const http = replicas[0].http('app');
    expect((await http.put(`/api/app-devices/${randomUUID()}`).send({ account: accountId, platform: 'ios', pushToken: tokens.ios, locale: 'en' })).status).toBe(200);
    expect((await http.put(`/api/app-devices/${randomUUID()}`).send({ account: accountId, platform: 'android', pushToken: tokens.android, locale: 'en' })).status).toBe(200);

    const message = (): OutboundMessage => ({
      notificationId: randomUUID(),
      type: 'booking-confirmation',
      channel: 'push',
      recipient: accountId,
      locale: 'en',
      content: { locale: 'en', subject: 'Your booking X7K2QP is confirmed', text: 'Booking X7K2QP is confirmed.' },
      context: sampleRenderContext({ type: 'booking-confirmation' }),
      attachments: [],
      correlationId: 'test#replicas',
    });
    // Both replicas start cold and send at the same time: they queue on the token row's lock, one mints.
    const results = await Promise.all(replicas.flatMap((replica) => Array.from({ length: 4 }, () => replica.app.get(PushAdapter).send(message()))));
    expect(results.map((r) => r.outcome)).toEqual(Array(8).fill('accepted'));
    expect(fcm.grants).toHaveLength(1);
    expect(new Set(fcm.sentTo(tokens.android).map((s) => s.accessToken)).size).toBe(1);
    expect(new Set(apns.receivedBy(tokens.ios).map((r) => r.providerToken)).size).toBe(1);
    expect(fcm.sentTo(tokens.android)).toHaveLength(8);
    expect(apns.receivedBy(tokens.ios)).toHaveLength(8);
    // One HTTP/2 connection per replica, shared by its sends.
    expect(apns.connections).toBe(2);
    expect(await count(replicas[1].db, `SELECT 1 FROM provider_tokens`)).toBe(2);
    expect(fcm.violations).toEqual([]);
    expect(apns.violations).toEqual([]);
  });
});
