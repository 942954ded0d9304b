import { classifyApnsError } from './apns/apns-errors';
import { apnsRequest } from './apns/apns.client';
import { aggregate, deviceResult } from './device-outcome';
import { classifyFcmError } from './fcm/fcm-errors';
import { fcmMessage } from './fcm/fcm.client';
import { pushNotice } from './push-notice';
import { sampleFlight, sampleRenderContext } from '../../rendering/render-context.sample';

const fcmError = (status: number, errorCode: string | undefined, extra: object = {}) => ({
  error: { code: status, status: 'X', message: 'm', details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [], ...extra },
});

describe('FCM answers, judged per device', () => {
  it.each([
    [404, 'UNREGISTERED', 'removed'],
    [429, 'QUOTA_EXCEEDED', 'retry'],
    [503, 'UNAVAILABLE', 'retry'],
    [500, 'INTERNAL', 'retry'],
    [401, 'THIRD_PARTY_AUTH_ERROR', 'pause'],
    [403, 'SENDER_ID_MISMATCH', 'pause'],
    [400, 'INVALID_ARGUMENT', 'failed'],
  ])('HTTP %i %s → %s', (status, code, kind) => {
    expect(classifyFcmError(status, fcmError(status, code))).toMatchObject({ kind, code });
  });

  it('keeps the Retry-After of a retryable answer, and reads an expired access token as one to refresh', () => {
    expect(classifyFcmError(429, fcmError(429, 'QUOTA_EXCEEDED'), 30_000)).toEqual(expect.objectContaining({ kind: 'retry', retryAfterMs: 30_000 }));
    expect(classifyFcmError(401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' } })).toMatchObject({ kind: 'expired-credential', code: 'UNAUTHENTICATED' });
  });

  it('removes a device whose token FCM calls malformed, but not one whose payload it refuses', () => {
    const badToken = { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'The registration token is not a valid FCM registration token', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' }] } };
    expect(classifyFcmError(400, badToken)).toMatchObject({ kind: 'removed' });
    const field = { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'x', details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.token' }] }] } };
    expect(classifyFcmError(400, field)).toMatchObject({ kind: 'removed' });
    const payload = { error: { code: 400, status: 'INVALID_ARGUMENT', message: "Invalid value at 'message.data[0].value'", details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.data[0].value' }] }] } };
    expect(classifyFcmError(400, payload)).toMatchObject({ kind: 'failed' });
  });
});

describe('APNs answers, judged per device', () => {
  it.each([
    [410, 'Unregistered', 'removed'],
    [400, 'BadDeviceToken', 'removed'],
    [400, 'DeviceTokenNotForTopic', 'failed'],
    [403, 'ExpiredProviderToken', 'expired-credential'],
    [403, 'InvalidProviderToken', 'expired-credential'],
    [403, 'BadCertificate', 'pause'],
    [400, 'TopicDisallowed', 'pause'],
    [429, 'TooManyRequests', 'retry'],
    [500, 'InternalServerError', 'retry'],
    [503, 'ServiceUnavailable', 'retry'],
    [413, 'PayloadTooLarge', 'failed'],
  ])('%i %s → %s', (status, reason, kind) => {
    expect(classifyApnsError(status, reason)).toMatchObject({ kind, code: reason });
  });
});

describe('one notification from its devices', () => {
  const ok = deviceResult('inst-ios-0001', 'ios', 'en', { kind: 'accepted', id: 'apns-1' });
  const gone = deviceResult('inst-and-0002', 'android', 'nl', { kind: 'removed', code: 'UNREGISTERED', message: 'FCM UNREGISTERED' });
  const later = deviceResult('inst-and-0003', 'android', 'nl', { kind: 'retry', code: 'UNAVAILABLE', message: 'FCM UNAVAILABLE' });
  const refused = deviceResult('inst-and-0004', 'android', 'nl', { kind: 'pause', code: 'THIRD_PARTY_AUTH_ERROR', message: 'FCM THIRD_PARTY_AUTH_ERROR' });

  it('is sent when one device took it, with every device in the detail (masked), and still pauses for a refused credential', () => {
    const result = aggregate([ok, gone, refused]);
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: 'apns-1', pause: { code: 'THIRD_PARTY_AUTH_ERROR' } });
    expect(JSON.stringify(result)).not.toContain('inst-ios-0001');
    expect((result as unknown as { detail: { devices: unknown[] } }).detail.devices).toHaveLength(3);
  });

  it('waits the longest Retry-After when no device took it and one may later; pauses before that; fails when none is left', () => {
    expect(aggregate([gone, later], [undefined, 20_000])).toMatchObject({ outcome: 'retryable', code: 'UNAVAILABLE', retryAfterMs: 20_000 });
    expect(aggregate([later, refused])).toMatchObject({ outcome: 'paused', code: 'THIRD_PARTY_AUTH_ERROR' });
    expect(aggregate([gone])).toMatchObject({ outcome: 'permanent', code: 'devices-unregistered' });
    expect(aggregate([])).toMatchObject({ outcome: 'permanent', code: 'no-devices' });
  });
});

describe('the message each platform gets', () => {
  const now = new Date('2026-12-01T06:00:00Z');
  const context = sampleRenderContext({ type: 'gate-change', flight: sampleFlight({ departureGate: 'F9', estimatedArrival: '2026-12-01T09:05:00Z' }) });
  const notice = pushNotice({ notificationId: '6f1c1d2e-1111-4222-8333-944455556666', type: 'gate-change', context, title: 'T', body: 'B' }, now);

  it('collapses flight news by flight and other news by notification, and expires flight news an hour after landing', () => {
    expect(notice.collapseId).toBe('flight-KL1234-2026-12-01');
    expect(notice.expiresAt.toISOString()).toBe('2026-12-01T10:05:00.000Z');
    expect(notice.urgent).toBe(true);
    const confirmation = pushNotice({ notificationId: 'n-1', type: 'booking-confirmation', context: sampleRenderContext({ type: 'booking-confirmation' }), title: 'T', body: 'B' }, now);
    expect(confirmation.collapseId).toBe('n-1');
    expect(confirmation.urgent).toBe(false);
  });

  it('puts the collapse key, tag, priority and time to live in the FCM message, and the same in APNs headers', () => {
    expect(fcmMessage('tok', notice, now).message).toMatchObject({
      token: 'tok',
      notification: { title: 'T', body: 'B' },
      data: { type: 'gate-change', bookingReference: context.booking.reference, flight: 'KL1234-2026-12-01' },
      android: { collapse_key: 'flight-KL1234-2026-12-01', priority: 'HIGH', ttl: '14700s', notification: { tag: 'flight-KL1234-2026-12-01' } },
    });
    const { headers, payload } = apnsRequest(notice, 'com.example.airline');
    expect(headers).toMatchObject({ 'apns-push-type': 'alert', 'apns-priority': '10', 'apns-collapse-id': 'flight-KL1234-2026-12-01', 'apns-expiration': String(Date.parse('2026-12-01T10:05:00Z') / 1000), 'apns-topic': 'com.example.airline' });
    expect(JSON.parse(payload)).toMatchObject({ aps: { alert: { title: 'T', body: 'B' } }, flight: 'KL1234-2026-12-01' });
  });
});
