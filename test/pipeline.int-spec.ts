import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

describe('pipeline: events from RabbitMQ become delivered sandbox notifications', () => {
  const service = useTestService();

  const delivered = (ref: string) =>
    count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND status = 'delivered'`, [ref]);

  it('delivers a booking confirmation on each consented channel and shows it in the API', async () => {
    const seg = segment();
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE01',
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          locale: 'nl-NL',
          consents: [
            { channel: 'email', granted: true },
            { channel: 'whatsapp', granted: true },
          ],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    await waitFor(async () => (await delivered('PIPE01')) === 2, 15_000, 'two delivered notifications');

    const list = await service.http().get('/api/notifications').query({ bookingReference: 'PIPE01' }).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.map((i: { channel: string }) => i.channel).sort()).toEqual(['email', 'whatsapp']);
    const email = list.body.items.find((i: { channel: string }) => i.channel === 'email');
    expect(email).toMatchObject({ type: 'booking-confirmation', status: 'delivered', bookingReference: 'PIPE01', passengerId: 'PAX-1', locale: 'nl-NL' });

    const detail = await service.http().get(`/api/notifications/${email.id}`).expect(200);
    expect(detail.body.content.subject).toEqual(expect.any(String));
    expect(detail.body.content.html).toContain('PIPE01');
    expect(detail.body.content.locale).toBe('nl');
    expect(detail.body.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'attempt']);

    // The sandbox wrote the message where a person can open it.
    const written = JSON.parse(readFileSync(join(service.config.OUTBOX_DIR, 'email', `${email.id}.json`), 'utf8'));
    expect(written).toMatchObject({ type: 'booking-confirmation', to: 'luc@example.com' });
    expect(readFileSync(join(service.config.OUTBOX_DIR, 'email', `${email.id}.html`), 'utf8')).toContain('PIPE01');
  });

  it('makes no second notification when the same event arrives twice', async () => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE02',
      passengers: [passenger({ passengerId: 'PAX-1' })],
      segments: [segment({ flightNumber: '2001' })],
    });
    await service.publisher.publish(event.type, event);
    await service.publisher.publish(event.type, event);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1);
    await waitFor(async () => (await delivered('PIPE02')) === 1);
    // Give the duplicate every chance to be processed before counting again.
    await waitFor(async () => (await service.http().get('/health')).status === 200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'PIPE02'`)).toBe(1);
  });

  it('parks a malformed event with its reason and dead-letters it', async () => {
    await service.publisher.publish('booking.confirmed', Buffer.from('{"specversion":"0.3","id":"x"'));
    const bad = bookingSnapshot('booking.confirmed', {
      bookingReference: 'bad',
      passengers: [passenger({ passengerId: 'PAX-1' })],
      segments: [segment()],
    });
    await service.publisher.publish(bad.type, bad);
    const rows = await waitFor(async () => {
      const r: { reason_code: string; reason: string; type: string | null }[] = await service.db.query(
        `SELECT reason_code, reason, type FROM parked_events ORDER BY parked_at`,
      );
      return r.length >= 2 ? r : undefined;
    });
    expect(rows.map((r) => r.reason_code).sort()).toEqual(['bad-data', 'bad-json']);
    expect(rows.find((r) => r.reason_code === 'bad-data')?.reason).toContain('bookingReference');
    // The consumer was not blocked: a good event after the bad ones still goes through.
    const good = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE03',
      passengers: [passenger({ passengerId: 'PAX-1' })],
      segments: [segment({ flightNumber: '2002' })],
    });
    await service.publisher.publish(good.type, good);
    await waitFor(async () => (await delivered('PIPE03')) === 1);
    const dlq = await waitFor(async () => {
      const r: { messages: number }[] = [];
      const { default: amqplib } = await import('amqplib');
      const connection = await amqplib.connect(service.config.AMQP_URL);
      const channel = await connection.createChannel();
      const q = await channel.checkQueue(service.config.AMQP_DEAD_LETTER_QUEUE);
      r.push({ messages: q.messageCount });
      await connection.close();
      return r[0].messages >= 2 ? r[0].messages : undefined;
    });
    expect(dlq).toBeGreaterThanOrEqual(2);
    const listed = await service.http().get('/api/dead-letters').expect(200);
    const codes = listed.body.items.map((i: { reasonCode: string }) => i.reasonCode);
    expect(codes).toEqual(expect.arrayContaining(['bad-json', 'bad-data']));
    expect(listed.body.items.find((i: { reasonCode: string }) => i.reasonCode === 'bad-data')).toMatchObject({
      type: 'booking.confirmed',
      source: '/booking',
      reason: expect.stringContaining('bookingReference'),
    });
  });

  it('tells nothing to a passenger who opted out, and everything to one who opted in', async () => {
    const seg = segment({ flightNumber: '3003' });
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE04',
      passengers: [
        passenger({ passengerId: 'IN', consents: [{ channel: 'whatsapp', granted: true }] }),
        passenger({ passengerId: 'OUT', consents: [{ channel: 'whatsapp', granted: false }, { channel: 'email', granted: false }] }),
        passenger({ passengerId: 'NOCONTACT', contacts: {}, consents: [{ channel: 'sms', granted: true }] }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    await waitFor(async () => (await delivered('PIPE04')) === 1);
    const cancel = flightStatus(seg, 2, { status: 'CANCELLED', reason: 'storm' });
    await service.publisher.publish(cancel.type, cancel);
    await waitFor(async () => (await delivered('PIPE04')) === 2);
    const rows: { passenger_id: string; type: string }[] = await service.db.query(
      `SELECT passenger_id, type FROM notifications WHERE booking_reference = 'PIPE04' ORDER BY type`,
    );
    expect(rows).toEqual([
      { passenger_id: 'IN', type: 'booking-confirmation' },
      { passenger_id: 'IN', type: 'flight-cancellation' },
    ]);
  });

  it('applies a flight snapshot only when its version is newer', async () => {
    const seg = segment({ flightNumber: '4004' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE05',
      passengers: [passenger({ passengerId: 'PAX-1' })],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await delivered('PIPE05')) === 1);
    const delay = flightStatus(seg, 5, { status: 'DELAYED', estimatedDeparture: '2026-12-01T08:35:00Z' });
    await service.publisher.publish(delay.type, delay);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'PIPE05' AND type = 'flight-delay'`)) === 1);
    const older = flightStatus(seg, 3, { status: 'CANCELLED' });
    await service.publisher.publish(older.type, older);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [older.id])) === 1);
    const [state] = await service.db.query(`SELECT version, status FROM flight_status WHERE flight_number = '4004'`);
    expect(state).toEqual({ version: 5, status: 'DELAYED' });
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'PIPE05' AND type = 'flight-cancellation'`)).toBe(0);
  });

  it('sends a boarding pass on check-in and parks a check-in for an unknown booking', async () => {
    const seg = segment({ flightNumber: '5005' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PIPE06',
      passengers: [passenger({ passengerId: 'PAX-1' })],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const checkin = checkinCompleted({
      bookingReference: 'PIPE06',
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
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'PIPE06' AND type = 'boarding-pass' AND status = 'delivered'`)) === 1);

    const orphan = checkinCompleted({ ...checkin.data, bookingReference: 'NOSUCH' });
    await service.publisher.publish(orphan.type, orphan);
    const parked = await waitFor(async () => {
      const r: { reason: string }[] = await service.db.query(`SELECT reason FROM parked_events WHERE event_id = $1`, [orphan.id]);
      return r[0];
    });
    expect(parked.reason).toContain('NOSUCH');
  });

  it('answers 400 naming a bad filter and 404 for an unknown id', async () => {
    const bad = await service.http().get('/api/notifications').query({ channel: 'pigeon' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('channel');
    const unknown = await service.http().get('/api/notifications').query({ colour: 'red' }).expect(400);
    expect(JSON.stringify(unknown.body.message)).toContain('colour');
    await service.http().get('/api/notifications/6f1c1d2e-1111-4222-8333-944455556666').expect(404);
    await service.http().get('/api/notifications/not-a-uuid').expect(400);
  });

  it('pages newest first with a cursor', async () => {
    const first = await service.http().get('/api/notifications').query({ limit: 2 }).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await service.http().get('/api/notifications').query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
    const ids = new Set([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id));
    expect(ids.size).toBe(first.body.items.length + second.body.items.length);
    expect(Date.parse(first.body.items[1].createdAt)).toBeGreaterThanOrEqual(Date.parse(second.body.items[0].createdAt));
  });

  it('writes every timeline entry beside a notification that exists (no foreign key guards it)', async () => {
    const [totals]: { events: number; orphans: number }[] = await service.db.query(
      `SELECT count(*)::int AS events,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = e.notification_id))::int AS orphans
         FROM notification_events e`,
    );
    expect(totals.events).toBeGreaterThan(5);
    expect(totals.orphans).toBe(0);
  });

  it('reports database and broker readiness', async () => {
    const health = await service.http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: 'up', broker: 'up' });
  });
});
