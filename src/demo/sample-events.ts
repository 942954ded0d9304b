import { randomUUID } from 'node:crypto';
import type {
  BookingCancelledData,
  BookingSnapshotData,
  CheckinCompletedData,
  CloudEvent,
  EventType,
  FlightStatusData,
  Passenger,
  Segment,
} from '../events/event-types';

/**
 * Builders of contract-conforming events, shared by the demo, the benchmark and the tests, so all three
 * speak exactly the contract the service validates.
 */
export function cloudEvent<T>(type: EventType, source: string, data: T, time = new Date().toISOString()): CloudEvent<T> {
  return { specversion: '1.0', id: randomUUID(), source, type, time, datacontenttype: 'application/json', data } as CloudEvent<T>;
}

export function passenger(overrides: Partial<Passenger> & { passengerId: string }): Passenger {
  return {
    title: 'MR',
    givenName: 'Luc',
    surname: 'Desmarais',
    locale: 'en',
    contacts: { whatsapp: '+31612345678', email: 'luc@example.com' },
    consents: [{ channel: 'whatsapp', granted: true, at: '2026-11-20T10:00:00Z' }],
    ticketNumber: '0742497067621',
    ...overrides,
  };
}

export function segment(overrides: Partial<Segment> = {}): Segment {
  return {
    segmentId: 'SEG-1',
    carrier: 'KL',
    flightNumber: '1234',
    departureDate: '2026-12-01',
    origin: 'AMS',
    destination: 'CDG',
    scheduledDeparture: '2026-12-01T07:35:00Z',
    scheduledArrival: '2026-12-01T08:50:00Z',
    cabin: 'Y',
    ...overrides,
  };
}

export function bookingSnapshot(
  type: 'booking.confirmed' | 'booking.changed',
  data: BookingSnapshotData,
  time?: string,
): CloudEvent<BookingSnapshotData> {
  return cloudEvent(type, '/booking', data, time);
}

export function bookingCancelled(data: BookingCancelledData): CloudEvent<BookingCancelledData> {
  return cloudEvent('booking.cancelled', '/booking', data);
}

export function checkinCompleted(data: CheckinCompletedData): CloudEvent<CheckinCompletedData> {
  return cloudEvent('checkin.completed', '/check-in', data);
}

/** A flight snapshot for the segment's flight; pass what changed. */
export function flightStatus(seg: Segment, version: number, changes: Partial<FlightStatusData> = {}): CloudEvent<FlightStatusData> {
  return cloudEvent('flight.status.changed', '/flight-operations', {
    carrier: seg.carrier,
    flightNumber: seg.flightNumber,
    departureDate: seg.departureDate,
    origin: seg.origin,
    destination: seg.destination,
    status: 'SCHEDULED',
    scheduledDeparture: seg.scheduledDeparture,
    estimatedDeparture: seg.scheduledDeparture,
    departureGate: 'D7',
    departureTerminal: '2',
    estimatedArrival: seg.scheduledArrival,
    divertedTo: null,
    version,
    ...changes,
  });
}
