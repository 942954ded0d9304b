import type { CloudEvent } from '../src/events/event-types';
import { bookingCancelled, bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * Event contract 1.1.0 (docs/decisions/0023): a flight's IATA delay code and the language of its free-text reason,
 * and a cancelled booking's reason language, reach the stored state and the planned notification's render context.
 */
describe('delay codes and reason languages from the event to the planned notification', () => {
  const service = useTestService({ FLIGHT_NEWS_WINDOW_SECONDS: '1', URGENT_NEWS_WINDOW_SECONDS: '1' });

  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 15_000, `event ${event.id}`);
  const contextsOf = async (ref: string, type: string): Promise<Record<string, unknown>[]> =>
    (await service.db.query(`SELECT context FROM notifications JOIN notification_contexts USING (id) WHERE booking_reference = $1 AND type = $2 ORDER BY created_at, id`, [ref, type])).map(
      (row: { context: Record<string, unknown> }) => row.context,
    );

  async function book(ref: string, flightNumber: string, locale: string) {
    const seg = segment({ flightNumber });
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [passenger({ passengerId: 'P1', locale, contacts: { whatsapp: '+31611111111' }, consents: [{ channel: 'whatsapp', granted: true }] })],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    await applied(event);
    return seg;
  }

  it('keeps delayCode and reasonLanguage in the flight state and puts them beside the reason in the delay notification', async () => {
    const seg = await book('REASN1', '7101', 'ko-KR');
    const delayed = flightStatus(seg, 1, {
      status: 'DELAYED',
      estimatedDeparture: new Date(Date.parse(seg.scheduledDeparture) + 50 * 60_000).toISOString(),
      reason: 'late inbound aircraft from Paris',
      reasonLanguage: 'en',
      delayCode: '93',
    });
    await service.publisher.publish(delayed.type, delayed);
    await applied(delayed);

    const [state] = await service.db.query(`SELECT delay_code, reason_language, snapshot->>'delayCode' AS in_snapshot FROM flight_status WHERE flight_number = '7101'`);
    expect(state).toEqual({ delay_code: '93', reason_language: 'en', in_snapshot: '93' });

    const [context] = await waitFor(async () => {
      const found = await contextsOf('REASN1', 'flight-delay');
      return found.length > 0 ? found : undefined;
    }, 15_000, 'the planned flight-delay notification');
    // The planner does not decide what a Korean reader is shown (the renderer does): it hands on all three, the
    // English text included, so operators still see it in the notification's context.
    expect(context).toMatchObject({ type: 'flight-delay', locale: 'ko-KR', reason: 'late inbound aircraft from Paris', reasonLanguage: 'en', delayCode: '93' });
  });

  it('stores a snapshot without the new fields as "not known", and plans without them (a 1.0.0 producer)', async () => {
    const seg = await book('REASN2', '7102', 'en');
    const delayed = flightStatus(seg, 1, {
      status: 'DELAYED',
      estimatedDeparture: new Date(Date.parse(seg.scheduledDeparture) + 40 * 60_000).toISOString(),
      reason: 'late inbound aircraft',
    });
    await service.publisher.publish(delayed.type, delayed);
    await applied(delayed);
    const [state] = await service.db.query(`SELECT delay_code, reason_language FROM flight_status WHERE flight_number = '7102'`);
    expect(state).toEqual({ delay_code: null, reason_language: null });
    const [context] = await waitFor(async () => {
      const found = await contextsOf('REASN2', 'flight-delay');
      return found.length > 0 ? found : undefined;
    }, 15_000, 'the planned flight-delay notification');
    expect(context).toMatchObject({ reason: 'late inbound aircraft' });
    expect(context).not.toHaveProperty('reasonLanguage');
    expect(context).not.toHaveProperty('delayCode');
  });

  it('keeps the language of a booking cancellation reason with the booking and in the cancellation notification', async () => {
    await book('REASN3', '7103', 'nl-NL');
    const cancelled = bookingCancelled({ bookingReference: 'REASN3', reason: 'op verzoek van de reiziger geannuleerd', reasonLanguage: 'nl' });
    await service.publisher.publish(cancelled.type, cancelled);
    await applied(cancelled);
    const [booking] = await service.db.query(`SELECT cancellation_reason, cancellation_reason_language FROM bookings WHERE booking_reference = 'REASN3'`);
    expect(booking).toEqual({ cancellation_reason: 'op verzoek van de reiziger geannuleerd', cancellation_reason_language: 'nl' });
    const [context] = await contextsOf('REASN3', 'booking-cancellation');
    expect(context).toMatchObject({ reason: 'op verzoek van de reiziger geannuleerd', reasonLanguage: 'nl' });
  });
});
