import { randomUUID } from 'node:crypto';
import amqplib, { type Options } from 'amqplib';
import { CloudEvent, HTTP } from 'cloudevents';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import type { BookingSnapshotData, CheckinCompletedData } from '../src/events/event-types';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

/**
 * Issue 14, points 4–6: an unusable contact costs only itself; CloudEvents arrive in binary mode as well
 * as structured; a producer without AMQP POSTs them over HTTP. Events are made with the official
 * `cloudevents` SDK. It has no AMQP binding (HTTP, Kafka and MQTT only), so AMQP binary messages are built
 * here from the SDK's event per the CloudEvents AMQP protocol binding: every attribute but datacontenttype
 * as a `cloudEvents_`/`cloudEvents:` application property (a header in AMQP 0-9-1), datacontenttype as
 * the content-type property, the data as the body.
 */
describe('ingest edges: unusable contacts, binary mode, HTTP ingest', () => {
  let environment: TestEnvironment;
  let service: TestService;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    service = await startService(environment.env);
  });

  afterAll(async () => {
    await service?.close();
    await environment?.dispose();
  });

  const notifications = (ref: string) =>
    service.db.query(
      `SELECT passenger_id, channel, type FROM notifications WHERE booking_reference = $1 AND channel <> 'webhook' ORDER BY passenger_id, channel, type`,
      [ref],
    ) as Promise<{ passenger_id: string; channel: string; type: string }[]>;

  const sdkEvent = <T>(type: string, source: string, data: T) =>
    new CloudEvent({ specversion: '1.0', id: randomUUID(), type, source, time: new Date().toISOString(), datacontenttype: 'application/json', data });

  /** AMQP binary content mode of an SDK event (see the file comment). */
  function amqpBinary(event: CloudEvent<unknown>, prefix = 'cloudEvents_', withContentType = true): { body: Buffer; options: Options.Publish } {
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(event.toJSON())) {
      if (name === 'data' || name === 'datacontenttype' || value === undefined) continue;
      headers[`${prefix}${name}`] = value;
    }
    return {
      body: Buffer.from(JSON.stringify(event.data)),
      options: { persistent: true, headers, ...(withContentType ? { contentType: event.datacontenttype } : {}) },
    };
  }

  async function publishRaw(routingKey: string, body: Buffer, options: Options.Publish): Promise<void> {
    const connection = await amqplib.connect(service.config.AMQP_URL);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(service.config.AMQP_EXCHANGE, routingKey, body, options);
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  function booking(ref: string, flightNumber: string): BookingSnapshotData {
    return {
      bookingReference: ref,
      passengers: [passenger({ passengerId: 'P1' }), passenger({ passengerId: 'P2', givenName: 'Ana', contacts: { whatsapp: '+31612345670' } })],
      segments: [segment({ flightNumber })],
    };
  }

  function checkin(ref: string, passengerId = 'P1'): CheckinCompletedData {
    return {
      bookingReference: ref,
      passengerId,
      segmentId: 'SEG-1',
      seat: '12A',
      sequenceNumber: 12,
      compartment: 'Y',
      checkedInAt: new Date().toISOString(),
    };
  }

  describe('point 4: a contact that cannot be used costs only itself', () => {
    it('applies the booking, serves every other passenger and channel, and records the unusable contacts', async () => {
      const ref = 'UC0001';
      const data: BookingSnapshotData = {
        bookingReference: ref,
        passengers: [
          passenger({
            passengerId: 'P1',
            contacts: { sms: '+31 6 not a number', email: 'one@example.com' },
            consents: [{ channel: 'sms', granted: true }, { channel: 'email', granted: true }],
          }),
          passenger({ passengerId: 'P2', givenName: 'Ana', contacts: { whatsapp: '+31612345671' }, consents: [{ channel: 'whatsapp', granted: true }] }),
          passenger({
            passengerId: 'P3',
            givenName: 'Bo',
            contacts: { email: 'nobody@', whatsapp: '0612345672' },
            consents: [{ channel: 'email', granted: true }, { channel: 'whatsapp', granted: true }],
          }),
        ],
        segments: [segment({ flightNumber: '8101' })],
      };
      await service.publisher.publish('booking.confirmed', bookingSnapshot('booking.confirmed', data));

      await waitFor(async () => (await notifications(ref)).length === 2, 15_000, 'the confirmations');
      expect(await notifications(ref)).toEqual([
        { passenger_id: 'P1', channel: 'email', type: 'booking-confirmation' },
        { passenger_id: 'P2', channel: 'whatsapp', type: 'booking-confirmation' },
      ]);
      expect(await count(service.db, `SELECT 1 FROM parked_events WHERE booking_reference = $1`, [ref])).toBe(0);

      // Operators see which contact of whom is unusable, and why; the contacts themselves only masked.
      const view = (await service.http('viewer').get(`/api/bookings/${ref}`).expect(200)).body;
      const byId = Object.fromEntries(view.passengers.map((p: { passengerId: string }) => [p.passengerId, p]));
      expect(byId.P1.unusableContacts).toEqual([{ channel: 'sms', reason: 'too-short', detail: expect.any(String) }]);
      expect(byId.P2.unusableContacts).toEqual([]);
      expect(byId.P3.unusableContacts).toEqual([
        { channel: 'whatsapp', reason: 'invalid-country', detail: expect.any(String) },
        { channel: 'email', reason: 'malformed-email', detail: expect.any(String) },
      ].sort((a, b) => a.channel.localeCompare(b.channel)));
      expect(JSON.stringify(view)).not.toContain('one@example.com');

      const metrics = (await service.http('anonymous').get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/notifier_unusable_contacts_total\{channel="sms",reason="too-short"\} [1-9]/);
      expect(metrics).toMatch(/notifier_unusable_contacts_total\{channel="email",reason="malformed-email"\} [1-9]/);

      // Later events for the booking apply: the check-in of the passenger with the broken number too.
      await service.publisher.publish('checkin.completed', checkinCompleted(checkin(ref, 'P1')));
      await waitFor(async () => (await notifications(ref)).some((n) => n.type === 'boarding-pass'), 15_000, 'the boarding pass');
      expect((await notifications(ref)).filter((n) => n.type === 'boarding-pass')).toEqual([
        { passenger_id: 'P1', channel: 'email', type: 'boarding-pass' },
      ]);
    });

    it('still parks what makes a whole event unusable: a booking without its reference', async () => {
      const event = bookingSnapshot('booking.confirmed', booking('UC0002', '8102'));
      delete (event.data as Partial<BookingSnapshotData>).bookingReference;
      await service.publisher.publish('booking.confirmed', event);
      const row = await waitFor(async () => {
        const rows: { reason: string }[] = await service.db.query(`SELECT reason FROM parked_events WHERE event_id = $1`, [event.id]);
        return rows[0];
      });
      expect(row.reason).toContain('data.bookingReference is required');
    });
  });

  describe('point 5: CloudEvents binary content mode on AMQP', () => {
    it('applies a binary-mode event as it applies the same event in structured mode (either prefix, with or without content-type)', async () => {
      const withType = sdkEvent('booking.confirmed', '/booking', booking('BIN001', '8201'));
      const colon = sdkEvent('booking.confirmed', '/booking', booking('BIN002', '8202'));
      const first = amqpBinary(withType);
      const second = amqpBinary(colon, 'cloudEvents:', false);
      await publishRaw('booking.confirmed', first.body, first.options);
      await publishRaw('booking.confirmed', second.body, second.options);
      for (const ref of ['BIN001', 'BIN002']) {
        await waitFor(async () => (await notifications(ref)).length === 2, 15_000, `${ref} confirmations`);
      }
      expect(await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = ANY($1)`, [[withType.id, colon.id]])).toBe(2);

      // The same event again, now structured: a duplicate by (source, id), whatever the mode.
      await service.publisher.publish('booking.confirmed', Buffer.from(HTTP.structured(withType).body as string));
      await new Promise((r) => setTimeout(r, 500));
      expect(await notifications('BIN001')).toHaveLength(2);
    });

    it('parks a broken binary event with its identity and the original properties and headers, in the row and the dead-letter copy', async () => {
      const data = booking('BIN003', '8203') as Partial<BookingSnapshotData>;
      delete data.segments;
      const event = sdkEvent('booking.confirmed', '/booking', data);
      const message = amqpBinary(event);
      message.options.headers = { ...message.options.headers, 'x-trace': 'trace-123' };
      message.options.messageId = 'msg-123';
      await publishRaw('booking.confirmed', message.body, message.options);

      const row = await waitFor(async () => {
        const rows: { id: string; type: string; source: string; reason: string; reason_code: string; amqp_properties: Record<string, unknown> }[] =
          await service.db.query(`SELECT id, type, source, reason, reason_code, amqp_properties FROM parked_events WHERE event_id = $1`, [event.id]);
        return rows[0];
      });
      expect(row).toMatchObject({ type: 'booking.confirmed', source: '/booking', reason_code: 'bad-data' });
      expect(row.reason).toMatch(/binary mode/);
      expect(row.reason).toContain('data.segments is required');
      expect(row.amqp_properties).toMatchObject({
        contentType: 'application/json',
        messageId: 'msg-123',
        headers: { 'x-trace': 'trace-123', cloudEvents_id: event.id, cloudEvents_type: 'booking.confirmed' },
      });

      const listed = (await service.http('viewer').get('/api/dead-letters').query({ type: 'booking.confirmed' }).expect(200)).body.items;
      expect(listed.find((i: { id: string }) => i.id === row.id)).toMatchObject({ eventId: event.id, source: '/booking' });

      const connection = await amqplib.connect(service.config.AMQP_URL);
      try {
        const channel = await connection.createChannel();
        const copy = await waitFor(async () => {
          for (;;) {
            const msg = await channel.get(service.config.AMQP_DEAD_LETTER_QUEUE, { noAck: true });
            if (!msg) return undefined;
            if (msg.properties.headers?.cloudEvents_id === event.id) return msg;
          }
        });
        expect(copy.content.equals(message.body)).toBe(true);
        expect(copy.properties).toMatchObject({ contentType: 'application/json', messageId: 'msg-123' });
        expect(copy.properties.headers).toMatchObject({
          'x-trace': 'trace-123',
          cloudEvents_source: '/booking',
          cloudEvents_specversion: '1.0',
          'x-park-reason-code': 'bad-data',
        });
      } finally {
        await connection.close();
      }
    });

    it('re-drives a parked binary event as the producer sent it: headers and all', async () => {
      const ref = 'BIN004';
      const early = sdkEvent('checkin.completed', '/check-in', checkin(ref));
      const message = amqpBinary(early);
      await publishRaw('checkin.completed', message.body, message.options);
      const id = await waitFor(
        async () => {
          const rows: { id: string }[] = await service.db.query(
            `SELECT id FROM parked_events WHERE event_id = $1 AND reason_code = 'unknown-reference'`,
            [early.id],
          );
          return rows[0]?.id;
        },
        30_000,
        'the check-in parked as unknown-reference',
      );

      await service.publisher.publish('booking.confirmed', bookingSnapshot('booking.confirmed', booking(ref, '8204')));
      await waitFor(async () => (await notifications(ref)).length === 2, 15_000, 'the booking');

      const outcome = (await service.http().post(`/api/dead-letters/${id}/redrive`).send({}).expect(200)).body;
      expect(outcome).toMatchObject({ kind: 'applied', type: 'checkin.completed' });
      expect((await notifications(ref)).some((n) => n.type === 'boarding-pass' && n.passenger_id === 'P1')).toBe(true);
    });
  });

  describe('point 6: POST /api/events for producers without AMQP', () => {
    const post = (as: 'producer' | 'operator' | 'viewer' | 'anonymous', message: { headers: Record<string, string>; body: string }) => {
      const req = service.http(as).post('/api/events');
      for (const [name, value] of Object.entries(message.headers)) req.set(name, value);
      return req.send(message.body);
    };

    it('takes structured, binary and batched events from a producer: 202 with each outcome', async () => {
      const structured = sdkEvent('booking.confirmed', '/booking', booking('HTTP01', '8301'));
      const res1 = await post('producer', HTTP.structured(structured) as { headers: Record<string, string>; body: string }).expect(202);
      expect(res1.body.results).toEqual([
        expect.objectContaining({ id: structured.id, source: '/booking', type: 'booking.confirmed', outcome: 'applied', notifications: 2 }),
      ]);

      const binary = sdkEvent('booking.confirmed', '/booking', booking('HTTP02', '8302'));
      const res2 = await post('producer', HTTP.binary(binary) as { headers: Record<string, string>; body: string }).expect(202);
      expect(res2.body.results).toEqual([expect.objectContaining({ id: binary.id, outcome: 'applied', notifications: 2 })]);

      // A batch: a new event, the structured one again (a duplicate is a success that changed nothing), and
      // one of an unknown type (parked, its reason given, the others unaffected).
      const checkinEvent = sdkEvent('checkin.completed', '/check-in', checkin('HTTP01'));
      const unknown = sdkEvent('booking.teleported', '/booking', { bookingReference: 'HTTP01' });
      const batch = [checkinEvent, structured, unknown].map((e) => e.toJSON());
      const res3 = await service
        .http('producer')
        .post('/api/events')
        .set('content-type', 'application/cloudevents-batch+json')
        .send(JSON.stringify(batch))
        .expect(202);
      expect(res3.body.results).toEqual([
        expect.objectContaining({ id: checkinEvent.id, outcome: 'applied', notifications: 1 }),
        expect.objectContaining({ id: structured.id, outcome: 'duplicate' }),
        expect.objectContaining({ id: unknown.id, outcome: 'parked', reasonCode: 'unknown-type', reason: expect.stringContaining('booking.teleported') }),
      ]);
      expect(await notifications('HTTP01')).toHaveLength(3);
      expect(await count(service.db, `SELECT 1 FROM parked_events WHERE event_id = $1`, [unknown.id])).toBe(1);
    });

    it('answers 400 naming the field when a request is not a readable CloudEvent, and applies nothing of it', async () => {
      const good = sdkEvent('booking.confirmed', '/booking', booking('HTTP03', '8303'));
      const noId = { ...good.toJSON() } as Record<string, unknown>;
      delete noId.id;
      const res1 = await service
        .http('producer')
        .post('/api/events')
        .set('content-type', 'application/cloudevents-batch+json')
        .send(JSON.stringify([good.toJSON(), noId]))
        .expect(400);
      expect(res1.body.message).toContain('events[1]: id is required');

      const binary = HTTP.binary(good) as { headers: Record<string, string>; body: string };
      delete binary.headers['ce-source'];
      const res2 = await post('producer', binary).expect(400);
      expect(res2.body.message).toContain('source is required');

      const res3 = await post('producer', { headers: { 'content-type': 'application/cloudevents+json' }, body: '{"id": ' }).expect(400);
      expect(res3.body.message).toMatch(/not valid JSON/);
      expect(await notifications('HTTP03')).toHaveLength(0);
    });

    it('lets only a producer publish, and a producer nothing else', async () => {
      const event = HTTP.structured(sdkEvent('booking.confirmed', '/booking', booking('HTTP04', '8304'))) as { headers: Record<string, string>; body: string };
      await post('anonymous', event).expect(401);
      await post('viewer', event).expect(403);
      await post('operator', event).expect(403);
      await service.http('producer').get('/api/notifications').expect(403);
      await service.http('producer').get('/api/dead-letters').expect(403);
      await service.http('producer').post('/api/replays').send({}).expect(403);
      expect(await notifications('HTTP04')).toHaveLength(0);
    });
  });
});
