import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { DispatchRepository } from '../src/notifications/notification-dispatch.repository';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * An idle replica sleeps until its next notification is due instead of claiming every DISPATCH_IDLE_MS
 * (src/delivery/lead-idle.ts). The test environment polls every 50 ms: seven channels' lane 0 made about
 * 140 claims a second before, and the helper lanes (one claim each per 5 s) about 4.
 */
describe('dispatcher at idle: sleeps until the next notification is due', () => {
  // Flight news waits out a 2-second coalescing window: a notification due later, announced by no NOTIFY when due.
  const service = useTestService({ FLIGHT_NEWS_WINDOW_SECONDS: '2', URGENT_NEWS_WINDOW_SECONDS: '2' });

  it('makes few claims while nothing is due', async () => {
    const repository = service.app.get(DispatchRepository);
    const claims = jest.spyOn(repository, 'claimDue');
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // 7 channels × (lane 0 about once a second + 3 helpers once in 5 s) over 3 s ≈ 34; polling every 50 ms made ≈ 480,
      // helpers polling once a second ≈ 84.
      expect(claims.mock.calls.length).toBeLessThan(70);
    } finally {
      claims.mockRestore();
    }
  });

  it('still sends a notification when it becomes due, not before', async () => {
    const seg = segment({ flightNumber: '7301' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'IDLE01',
      passengers: [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31611110000' }, consents: [{ channel: 'whatsapp', granted: true }] })],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'IDLE01' AND status = 'delivered'`)) === 1);

    const delay = flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: new Date(Date.parse(seg.scheduledDeparture) + 3_600_000).toISOString() });
    await service.publisher.publish(delay.type, delay);
    const sent = await waitFor(async () => {
      const rows: { due_at: Date; attempted_at: Date; status: string }[] = await service.db.query(
        `SELECT due_at, attempted_at, status FROM notifications WHERE booking_reference = 'IDLE01' AND type = 'flight-delay'`,
      );
      return rows[0]?.status === 'delivered' ? rows[0] : undefined;
    }, 30_000, 'the delay news delivered');
    expect(sent.attempted_at.getTime()).toBeGreaterThanOrEqual(sent.due_at.getTime());
  });
});
