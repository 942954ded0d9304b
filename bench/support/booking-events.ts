import { bookingSnapshot, passenger, segment } from '../../src/demo/sample-events';
import type { BookingSnapshotData, CloudEvent } from '../../src/events/event-types';
import { bookingReference, departureDate } from './seed';

export const PASSENGERS_PER_BOOKING = 2;
/** Each passenger agreed to WhatsApp and e-mail: 2 × 2 = 4 messages per booking. */
export const CHANNELS_PER_PASSENGER = 2;

/**
 * `count` booking snapshots, references starting with `prefix`: two passengers each, on WhatsApp and e-mail, one
 * flight of fifty leaving at `departure` (UTC time of day) ten days ahead. Booking i always names the same
 * passengers, contacts and consents, so a second call with another departure is that booking's schedule change.
 */
export function bookingSnapshots(
  type: 'booking.confirmed' | 'booking.changed',
  prefix: string,
  count: number,
  departure = '07:35',
): CloudEvent<BookingSnapshotData>[] {
  const date = departureDate();
  return Array.from({ length: count }, (_, i) =>
    bookingSnapshot(type, {
      bookingReference: bookingReference(prefix, i),
      passengers: Array.from({ length: PASSENGERS_PER_BOOKING }, (_, p) =>
        passenger({
          passengerId: `P${p + 1}`,
          givenName: p === 0 ? 'Luc' : 'Anna',
          locale: i % 3 === 0 ? 'nl-NL' : 'en',
          contacts: { whatsapp: `+3162${String(i * 2 + p).padStart(7, '0')}`, email: `${prefix.toLowerCase()}${i}p${p}@example.com` },
          consents: [
            { channel: 'whatsapp', granted: true, at: '2026-11-20T10:00:00Z' },
            { channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' },
          ],
        }),
      ),
      segments: [
        segment({
          carrier: 'KL',
          flightNumber: String(2000 + (i % 50)),
          departureDate: date,
          scheduledDeparture: `${date}T${departure}:00Z`,
          scheduledArrival: `${date}T08:50:00Z`,
        }),
      ],
    }),
  );
}
