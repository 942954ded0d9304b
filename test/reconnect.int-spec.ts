import { randomBytes } from 'node:crypto';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { forceCloseConnections } from './support/broker';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

describe('broker connection loss', () => {
  const connectionName = `notifier-test-${randomBytes(4).toString('hex')}`;

  const service = useTestService({ AMQP_CONNECTION_NAME: connectionName });

  it('reconnects by itself and resumes without losing or duplicating anything', async () => {
    const booking = (i: number) =>
      bookingSnapshot('booking.confirmed', {
        bookingReference: `RC${String(i).padStart(4, '0')}`,
        passengers: [passenger({ passengerId: 'P1' })],
        segments: [segment({ flightNumber: '8001' })],
      });
    const before = Array.from({ length: 30 }, (_, i) => booking(i));
    for (const e of before) await service.publisher.publish(e.type, e);

    expect(forceCloseConnections(connectionName)).toBeGreaterThan(0);
    await waitFor(async () => (await service.http().get('/health')).status === 503 || undefined, 5_000).catch(() => undefined);

    // Published while the connection is down or coming back: the publisher holds them until it is up.
    const after = Array.from({ length: 30 }, (_, i) => booking(100 + i));
    await Promise.all(after.map((e) => service.publisher.publish(e.type, e)));
    await waitFor(async () => (await service.http().get('/health')).status === 200, 20_000, 'broker reconnection');

    // A couple of the first batch are also re-sent by their producer, as a retrying producer would.
    for (const e of before.slice(0, 3)) await service.publisher.publish(e.type, e);

    await waitFor(
      async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'RC%' AND status = 'delivered'`)) === 60,
      30_000,
      'all 60 notifications delivered',
    );
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'RC%'`)).toBe(60);
    expect(await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = ANY($1)`, [[...before, ...after].map((e) => e.id)])).toBe(60);
  });
});
