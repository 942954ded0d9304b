import amqplib from 'amqplib';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { EventIngestor } from '../src/events/event-ingestor.service';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

describe('exactly-once effect across crashes and replicas', () => {
  let environment: TestEnvironment;
  const services: TestService[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await environment?.dispose();
  });

  async function start(overrides: Record<string, string> = {}): Promise<TestService> {
    const s = await startService({ ...environment.env, ...overrides });
    services.push(s);
    return s;
  }

  it('a consumer killed between commit and ack causes no duplicate', async () => {
    // A replica that applies the event but dies before acking it: commit, then the channel vanishes.
    const crashing = await start({ CONSUMER_ENABLED: 'false', DISPATCHER_ENABLED: 'false' });
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'CRASH1',
      passengers: [passenger({ passengerId: 'P1' }), passenger({ passengerId: 'P2' })],
      segments: [segment({ flightNumber: '7001' })],
    });
    await crashing.publisher.publish(event.type, event);

    const connection = await amqplib.connect(crashing.config.AMQP_URL);
    const channel = await connection.createChannel();
    await channel.prefetch(1);
    const applied = new Promise<string>((resolve, reject) => {
      void channel.consume(crashing.config.AMQP_QUEUE, (msg) => {
        if (!msg) return;
        crashing.app
          .get(EventIngestor)
          .ingest(msg.content, msg.fields.routingKey)
          .then((outcome) => resolve(outcome.kind), reject);
      });
    });
    expect(await applied).toBe('applied');
    await connection.close(); // no ack: the broker redelivers
    const afterCrash = await count(crashing.db, `SELECT 1 FROM notifications WHERE booking_reference = 'CRASH1'`);
    expect(afterCrash).toBe(2);

    // A healthy replica gets the redelivery, sees it in the inbox, and changes nothing.
    const healthy = await start();
    await waitFor(async () => (await count(healthy.db, `SELECT 1 FROM notifications WHERE booking_reference = 'CRASH1' AND status = 'delivered'`)) === 2);
    const queue = await waitFor(async () => {
      const c = await amqplib.connect(healthy.config.AMQP_URL);
      const ch = await c.createChannel();
      const q = await ch.checkQueue(healthy.config.AMQP_QUEUE);
      await c.close();
      return q.messageCount === 0 ? q : undefined;
    });
    expect(queue.messageCount).toBe(0);
    expect(await count(healthy.db, `SELECT 1 FROM notifications WHERE booking_reference = 'CRASH1'`)).toBe(2);
    expect(await count(healthy.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])).toBe(1);
  });

  it('two replicas consuming and dispatching side by side create and send each notification once', async () => {
    const a = services[services.length - 1];
    const b = await start();
    const seg = segment({ flightNumber: '7002' });
    const bookings = Array.from({ length: 20 }, (_, i) =>
      bookingSnapshot('booking.confirmed', {
        bookingReference: `DUO${String(i).padStart(3, '0')}`,
        passengers: [passenger({ passengerId: 'P1' }), passenger({ passengerId: 'P2', consents: [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }] })],
        segments: [seg],
      }),
    );
    for (const e of bookings) await a.publisher.publish(e.type, e);
    // 20 bookings × (1 + 2) notifications
    await waitFor(async () => (await count(a.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'DUO%' AND status = 'delivered'`)) === 60, 30_000);

    // The same events again, through the other replica, and a flight update published twice.
    for (const e of bookings.slice(0, 5)) await b.publisher.publish(e.type, e);
    const delay = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: '2026-12-01T09:00:00Z' });
    await a.publisher.publish(delay.type, delay);
    await b.publisher.publish(delay.type, delay);
    await waitFor(async () => (await count(a.db, `SELECT 1 FROM notifications WHERE flight_key = 'KL7002-2026-12-01' AND type = 'flight-delay' AND status = 'delivered'`)) === 60, 30_000);
    await waitFor(async () => (await count(a.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [delay.id])) === 1);
    await new Promise((r) => setTimeout(r, 500));

    expect(await count(a.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'DUO%'`)).toBe(120);
    // Sent once each: one attempt in every timeline, and no notification attempted twice.
    expect(await count(a.db, `SELECT notification_id FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                               WHERE n.booking_reference LIKE 'DUO%' AND e.kind = 'attempt' GROUP BY notification_id HAVING count(*) > 1`)).toBe(0);
    expect(await count(a.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'DUO%' AND attempts <> 1`)).toBe(0);
  });
});
