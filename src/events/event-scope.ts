import { flightKey } from '../vocabulary/booking-records';
import type { AirlineEvent } from './event-types';

/** The bookings and flights whose pending notifications an event's handlers may read or change. */
export interface EventScope {
  bookings: readonly string[];
  flights: readonly string[];
}

/**
 * Booking and check-in handlers reach pending notifications by booking reference (cancel, consent withdrawn,
 * checked in), the flight handler by flight key (news merged or superseded, boarding passes re-issued).
 */
export function eventScope(event: AirlineEvent): EventScope {
  switch (event.type) {
    case 'booking.confirmed':
    case 'booking.changed':
    case 'booking.cancelled':
    case 'checkin.completed':
      return { bookings: [event.data.bookingReference], flights: [] };
    case 'flight.status.changed':
      return { bookings: [], flights: [flightKey(event.data)] };
  }
}

/** The scope of several events: each booking and flight once, sorted (rows locked in this order never deadlock). */
export function batchScope(events: readonly AirlineEvent[]): EventScope {
  const scopes = events.map(eventScope);
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return { bookings: sorted(scopes.flatMap((s) => s.bookings)), flights: sorted(scopes.flatMap((s) => s.flights)) };
}
