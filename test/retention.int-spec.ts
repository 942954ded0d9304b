import type { CloudEvent, Segment } from '../src/events/event-types';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { Clock } from '../src/scheduling/clock';
import { RetentionService } from '../src/privacy/retention.service';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

describe('retention and erasure: personal data goes, counts stay', () => {
  const service = useTestService({ RETENTION_DAYS: '30' });

  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 15_000, `event ${event.id}`);
  const settled = () => waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('pending', 'sending')`)) === 0);
  const aggregates = (): Promise<{ status: string; channel: string; type: string; n: number }[]> =>
    service.db.query(`SELECT status, channel, type, count(*)::int AS n FROM notifications GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const personal = async (ref: string) => ({
    passengers: await count(service.db, `SELECT 1 FROM passengers WHERE booking_reference = $1`, [ref]),
    consents: await count(service.db, `SELECT 1 FROM consents WHERE booking_reference = $1`, [ref]),
    checkins: await count(service.db, `SELECT 1 FROM checkins WHERE booking_reference = $1`, [ref]),
    segments: await count(service.db, `SELECT 1 FROM segments WHERE booking_reference = $1`, [ref]),
    recipients: await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND (recipient <> '' OR content IS NOT NULL)`, [ref]),
  });

  async function book(ref: string, seg: Segment, phone: string): Promise<void> {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'P1',
          contacts: { whatsapp: phone, email: `${ref.toLowerCase()}@example.com` },
          consents: [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    await applied(event);
  }

  it('purges bookings whose last flight landed more than RETENTION_DAYS ago, keeping counts by status, channel and type', async () => {
    const old = segment({ flightNumber: '9101', departureDate: '2026-12-01', scheduledDeparture: '2026-12-01T07:35:00Z', scheduledArrival: '2026-12-01T08:50:00Z' });
    const recent = segment({ flightNumber: '9102', departureDate: '2026-12-20', scheduledDeparture: '2026-12-20T07:35:00Z', scheduledArrival: '2026-12-20T08:50:00Z' });
    await book('OLD001', old, '+31633330001');
    await book('NEW001', recent, '+31633330002');
    const checkin = checkinCompleted({ bookingReference: 'OLD001', passengerId: 'P1', segmentId: 'SEG-1', seat: '1A', sequenceNumber: 1, compartment: 'Y', checkedInAt: '2026-11-30T09:00:00Z' });
    await service.publisher.publish(checkin.type, checkin);
    await applied(checkin);
    const delay = flightStatus(old, 1, { status: 'DELAYED', estimatedDeparture: '2026-12-01T08:35:00Z' });
    await service.publisher.publish(delay.type, delay);
    await applied(delay);
    await settled();
    const before = await aggregates();
    // OLD001: 2 confirmations, 2 boarding passes, 2 delays, the boarding pass re-issued by e-mail after the delay (0034); NEW001: 2
    expect(before.reduce((n, r) => n + r.n, 0)).toBe(9);

    // A parked event from long ago (its body may hold a passenger's name) and a recent one.
    await service.db.query(
      `INSERT INTO parked_events (reason_code, reason, routing_key, body, body_sha256, parked_at)
       VALUES ('bad-data', 'old', 'booking.confirmed', 'Luc', 'old-sha', '2026-11-01T00:00:00Z'),
              ('bad-data', 'recent', 'booking.confirmed', 'Luc', 'new-sha', '2026-12-30T00:00:00Z')`,
    );
    const job = service.app.get(RetentionService);
    const clock = service.app.get(Clock);
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2026-12-31T08:00:00Z')); // 29 days 23 hours after landing
    expect(await job.run()).toMatchObject({ ran: true, affected: 0 });
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2026-12-31T09:00:00Z')); // 30 days and 10 minutes
    expect(await job.run()).toMatchObject({ ran: true, affected: 1 });

    expect(await aggregates()).toEqual(before);
    expect((await service.db.query(`SELECT reason FROM parked_events WHERE body_sha256 IN ('old-sha', 'new-sha')`)).map((r: { reason: string }) => r.reason)).toEqual(['recent']);
    expect(await personal('OLD001')).toEqual({ passengers: 0, consents: 0, checkins: 0, segments: 0, recipients: 0 });
    expect(await personal('NEW001')).toEqual({ passengers: 1, consents: 2, checkins: 0, segments: 1, recipients: 2 });
    const [booking] = await service.db.query(`SELECT purged_at FROM bookings WHERE booking_reference = 'OLD001'`);
    expect(booking.purged_at).toBeInstanceOf(Date);
    const scrubbed: { context: Record<string, unknown> }[] = await service.db.query(`SELECT context FROM notifications JOIN notification_contexts USING (id) WHERE booking_reference = 'OLD001'`);
    expect(scrubbed.map((r) => JSON.stringify(r.context))).not.toContainEqual(expect.stringMatching(/Luc|Desmarais|example\.com|\+316/));
    expect(await count(service.db, `SELECT 1 FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                                     WHERE n.booking_reference = 'OLD001' AND e.detail IS NOT NULL`)).toBe(0);

    // The read API still lists the purged booking's notifications, without personal data.
    const listed = await service.http().get('/api/notifications').query({ bookingReference: 'OLD001' }).expect(200);
    expect(listed.body.items).toHaveLength(7);
    const detail = await service.http().get(`/api/notifications/${listed.body.items[0].id}`).expect(200);
    expect(detail.body).toMatchObject({ recipient: '', content: null });

    // The same hour again: already done; a later hour: nothing left.
    expect(await job.run()).toMatchObject({ ran: false, reason: 'already-run' });
    jest.spyOn(clock, 'now').mockReturnValue(new Date('2026-12-31T10:00:00Z'));
    expect(await job.run()).toMatchObject({ ran: true, affected: 0 });
  });

  it('purges app devices not registered again within RETENTION_DAYS whose account no current booking names', async () => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'APPDV1',
      passengers: [passenger({ passengerId: 'P1', contacts: { app: 'acct-named' }, consents: [{ channel: 'push', granted: true }] })],
      segments: [segment({ flightNumber: '9103', departureDate: '2026-12-25', scheduledDeparture: '2026-12-25T07:35:00Z', scheduledArrival: '2026-12-25T08:50:00Z' })],
    });
    await service.publisher.publish(event.type, event);
    await applied(event);
    await service.db.query(
      `INSERT INTO app_devices (installation_id, account_id, platform, push_token, locale, updated_at) VALUES
         ('inst-stale-0001', 'acct-gone', 'ios', repeat('a', 64), 'en', '2026-11-01T00:00:00Z'),
         ('inst-fresh-0001', 'acct-gone', 'ios', repeat('b', 64), 'en', '2026-12-30T00:00:00Z'),
         ('inst-named-0001', 'acct-named', 'ios', repeat('c', 64), 'en', '2026-11-01T00:00:00Z')`,
    );
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2027-01-05T10:00:00Z')); // cutoff 2026-12-06
    expect(await service.app.get(RetentionService).run()).toMatchObject({ ran: true });
    const left: { installation_id: string }[] = await service.db.query(`SELECT installation_id FROM app_devices ORDER BY installation_id`);
    expect(left.map((r) => r.installation_id)).toEqual(['inst-fresh-0001', 'inst-named-0001']);
  });

  it('erases one booking on an operator’s request: viewer 403, unknown 404, audited', async () => {
    const seg = segment({ flightNumber: '9103', departureDate: '2027-01-10', scheduledDeparture: '2027-01-10T07:35:00Z', scheduledArrival: '2027-01-10T08:50:00Z' });
    await book('ERASE1', seg, '+31633330003');
    await settled();
    // Delivery bookkeeping keyed by the passenger's phone number goes too.
    await service.db.query(`INSERT INTO customer_service_windows (channel, contact, last_inbound_at) VALUES ('whatsapp', '+31633330003', now())`);
    const before = await aggregates();

    await service.http('viewer').post('/api/bookings/ERASE1/erase').expect(403);
    await service.http('anonymous').post('/api/bookings/ERASE1/erase').expect(401);
    await service.http().post('/api/bookings/NOSUCH/erase').expect(404);
    await service.http().post('/api/bookings/bad-ref/erase').expect(400);
    expect(await personal('ERASE1')).toMatchObject({ passengers: 1 });

    const erased = await service.http().post('/api/bookings/ERASE1/erase').expect(200);
    expect(erased.body).toEqual({
      bookingReference: 'ERASE1',
      cancelled: 0,
      alreadyPurged: false,
      passengers: 1,
      consents: 2,
      checkins: 0,
      segments: 1,
      notifications: 2,
      contacts: 1,
      appDevices: 0,
      parkedEvents: 0,
      auditEntries: 0,
      replays: 0,
      outboxFiles: 3, // whatsapp .json; e-mail .json and .html
    });
    expect(await personal('ERASE1')).toEqual({ passengers: 0, consents: 0, checkins: 0, segments: 0, recipients: 0 });
    expect(await aggregates()).toEqual(before);
    expect(await count(service.db, `SELECT 1 FROM customer_service_windows WHERE contact = '+31633330003'`)).toBe(0);

    const audit = await service.http('viewer').get('/api/audit').query({ action: 'booking.erase', outcome: 'succeeded' }).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'booking.erase', role: 'operator', target: 'ERASE1', affected: 3 });
  });
});
