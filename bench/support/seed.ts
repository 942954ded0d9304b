import type { Segment } from '../../src/events/event-types';
import type { BenchDatabase } from './database';

export type SeedChannel = 'whatsapp' | 'sms' | 'email';

export interface SeedOptions {
  /** One letter that starts every booking reference, so several seeds can share a database. */
  prefix: string;
  flights: number;
  passengersPerFlight: number;
  passengersPerBooking: number;
  /** Channels every passenger consented to, in order of preference (each with a contact). */
  channels: SeedChannel[];
  /** First flight number; flight i is KL<firstFlightNumber + i>. */
  firstFlightNumber?: number;
}

export interface Seeded {
  flights: Segment[];
  bookings: number;
  passengers: number;
  /** Booking reference of booking `i` (0-based, flight-major). */
  reference: (i: number) => string;
  bookingsPerFlight: number;
}

const DESTINATIONS = ['CDG', 'LHR', 'FRA', 'MAD', 'FCO', 'BCN', 'CPH', 'OSL', 'ARN', 'VIE', 'ZRH', 'JFK', 'DXB', 'LIS', 'ATH'];
const GIVEN = ['Luc', 'Anna', 'Sanne', 'Pieter', 'Maria', 'Jan', 'Sophie', 'Daan', 'Emma', 'Noah', 'Julia', 'Lars'];
const SURNAMES = ['Desmarais', 'de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Peters'];

/**
 * The departure date (UTC) of every bench flight: ten days ahead, outside the check-in reminder window
 * (30 h by default), so the scheduler's reminders do not mix into what a scenario counts.
 */
export function departureDate(): string {
  return new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
}

export function bookingReference(prefix: string, i: number): string {
  return `${prefix}${i.toString(16).toUpperCase().padStart(5, '0')}`;
}

/** Passengers spread over the eleven languages (regional tags as events carry them). */
export const BENCH_LOCALES = ['en', 'nl-NL', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR', 'pt-PT', 'ja-JP', 'zh-CN', 'ko-KR', 'ar-AE'] as const;

/**
 * Books passengers straight into the tables the service reads (bookings, passengers, consents, segments)
 * with a few set-based statements: the same rows a booking.confirmed would leave, in a second instead of
 * minutes. Not timed by the scenarios.
 */
export async function seedBookings(db: BenchDatabase, o: SeedOptions): Promise<Seeded> {
  if (o.passengersPerFlight % o.passengersPerBooking !== 0) throw new Error('passengersPerFlight must be a multiple of passengersPerBooking');
  const bookingsPerFlight = o.passengersPerFlight / o.passengersPerBooking;
  const bookings = o.flights * bookingsPerFlight;
  const date = departureDate();
  const first = o.firstFlightNumber ?? 1000;
  const ref = `$1 || lpad(upper(to_hex(i)), 5, '0')`;
  await db.query(
    `INSERT INTO bookings (booking_reference, snapshot_time) SELECT ${ref}, now() FROM generate_series(0, $2 - 1) i`,
    [o.prefix, bookings],
  );
  await db.query(
    `INSERT INTO passengers (booking_reference, passenger_id, title, given_name, surname, locale, ticket_number, contacts)
     SELECT ${ref}, 'P' || (j + 1), CASE WHEN (i + j) % 2 = 0 THEN 'MR' ELSE 'MS' END,
            ($4::text[])[1 + (i * 7 + j) % array_length($4::text[], 1)],
            ($5::text[])[1 + (i * 3 + j) % array_length($5::text[], 1)],
            ($6::text[])[1 + (i + j) % array_length($6::text[], 1)],
            '074' || lpad((i * $3 + j)::text, 10, '0'),
            jsonb_build_object('whatsapp', '+3161' || lpad((i * $3 + j)::text, 7, '0'),
                               'sms', '+3161' || lpad((i * $3 + j)::text, 7, '0'),
                               'email', 'pax' || (i * $3 + j) || '@example.com')
       FROM generate_series(0, $2 - 1) i, generate_series(0, $3 - 1) j`,
    [o.prefix, bookings, o.passengersPerBooking, GIVEN, SURNAMES, BENCH_LOCALES],
  );
  await db.query(
    `INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference, granted_at)
     SELECT ${ref}, 'P' || (j + 1), c.channel, true, c.preference - 1, now()
       FROM generate_series(0, $2 - 1) i, generate_series(0, $3 - 1) j,
            unnest($4::text[]) WITH ORDINALITY AS c(channel, preference)`,
    [o.prefix, bookings, o.passengersPerBooking, o.channels],
  );
  const flights: Segment[] = Array.from({ length: o.flights }, (_, f) => {
    const departure = new Date(`${date}T06:00:00Z`);
    departure.setUTCMinutes(departure.getUTCMinutes() + (f % 600) * 2);
    return {
      segmentId: 'SEG-1',
      carrier: 'KL',
      flightNumber: String(first + f),
      departureDate: date,
      origin: 'AMS',
      destination: DESTINATIONS[f % DESTINATIONS.length],
      scheduledDeparture: departure.toISOString().replace('.000Z', 'Z'),
      scheduledArrival: new Date(departure.getTime() + 2 * 3_600_000).toISOString().replace('.000Z', 'Z'),
      cabin: 'Y',
    };
  });
  await db.query(
    `INSERT INTO segments (booking_reference, segment_id, position, carrier, flight_number, departure_date, origin,
                           destination, scheduled_departure, scheduled_arrival, cabin)
     SELECT ${ref}, f.segment_id, 0, f.carrier, f.flight_number, f.departure_date::date, f.origin, f.destination,
            f.scheduled_departure::timestamptz, f.scheduled_arrival::timestamptz, f.cabin
       FROM generate_series(0, $2 - 1) i
       JOIN ROWS FROM (jsonb_to_recordset($3::jsonb) AS (segment_id text, carrier text, flight_number text,
            departure_date text, origin text, destination text, scheduled_departure text, scheduled_arrival text,
            cabin text)) WITH ORDINALITY AS f(segment_id, carrier, flight_number, departure_date, origin, destination,
            scheduled_departure, scheduled_arrival, cabin, n) ON f.n - 1 = i / $4`,
    [
      o.prefix,
      bookings,
      JSON.stringify(
        flights.map((f) => ({
          segment_id: f.segmentId,
          carrier: f.carrier,
          flight_number: f.flightNumber,
          departure_date: f.departureDate,
          origin: f.origin,
          destination: f.destination,
          scheduled_departure: f.scheduledDeparture,
          scheduled_arrival: f.scheduledArrival,
          cabin: f.cabin,
        })),
      ),
      bookingsPerFlight,
    ],
  );
  await db.query(`ANALYZE`);
  return {
    flights,
    bookings,
    passengers: bookings * o.passengersPerBooking,
    reference: (i) => bookingReference(o.prefix, i),
    bookingsPerFlight,
  };
}
