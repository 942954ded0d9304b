import type { NotificationPlan } from '../notifications/notification-plan';
import type { RenderContext } from '../vocabulary/render-context';
import { DeferredPlans } from './deferred-plans';
import { batchScope, eventScope } from './event-scope';
import type { AirlineEvent } from './event-types';

const plan = (bookingReference: string, flightKey?: string): NotificationPlan => ({
  dedupeKey: `${bookingReference}-${flightKey ?? 'none'}`,
  type: 'booking-confirmation',
  channel: 'email',
  recipient: 'a@example.com',
  locale: 'en',
  bookingReference,
  passengerId: 'P1',
  ...(flightKey ? { flightKey } : {}),
  eventSource: '/booking',
  eventId: 'e1',
  context: {} as RenderContext,
});

/** Only what eventScope reads: the type and the data's keys. */
const event = (type: AirlineEvent['type'], data: Record<string, string>) => ({ type, data }) as unknown as AirlineEvent;

describe('eventScope', () => {
  it('names the booking of booking and check-in events and the flight of flight news', () => {
    for (const type of ['booking.confirmed', 'booking.changed', 'booking.cancelled', 'checkin.completed'] as const) {
      expect(eventScope(event(type, { bookingReference: 'ABC123' }))).toEqual({ bookings: ['ABC123'], flights: [] });
    }
    const flight = { carrier: 'KL', flightNumber: '1821', departureDate: '2026-12-01', origin: 'AMS' };
    expect(eventScope(event('flight.status.changed', flight))).toEqual({ bookings: [], flights: ['KL1821-2026-12-01'] });
  });

  it("names a batch's bookings and flights once each, sorted (the order rows are locked in)", () => {
    const flight = { carrier: 'KL', flightNumber: '1821', departureDate: '2026-12-01', origin: 'AMS' };
    const batch = [
      event('booking.changed', { bookingReference: 'ZZZ999' }),
      event('checkin.completed', { bookingReference: 'AAA111' }),
      event('flight.status.changed', flight),
      event('booking.cancelled', { bookingReference: 'ZZZ999' }),
    ];
    expect(batchScope(batch)).toEqual({ bookings: ['AAA111', 'ZZZ999'], flights: ['KL1821-2026-12-01'] });
  });
});

describe('DeferredPlans', () => {
  it('meets a scope that shares a booking or a flight with a held plan, and nothing once the plans are taken', () => {
    const held = new DeferredPlans();
    held.hold(0, [plan('ABC123', 'KL1821-2026-12-01')], null);
    held.hold(1, [], null);
    held.hold(2, [plan('DEF456')], { traceparent: '00-abc-def-01' });
    expect(held.meets({ bookings: ['ABC123'], flights: [] })).toBe(true);
    expect(held.meets({ bookings: ['DEF456'], flights: [] })).toBe(true);
    expect(held.meets({ bookings: [], flights: ['KL1821-2026-12-01'] })).toBe(true);
    expect(held.meets({ bookings: ['GHI789'], flights: ['KL1822-2026-12-01'] })).toBe(false);

    const taken = held.take();
    expect(taken.map((g) => [g.owner, g.plans.length, g.traceContext])).toEqual([
      [0, 1, null],
      [2, 1, { traceparent: '00-abc-def-01' }],
    ]);
    expect(held.meets({ bookings: ['ABC123'], flights: ['KL1821-2026-12-01'] })).toBe(false);
    expect(held.take()).toEqual([]);
  });
});
