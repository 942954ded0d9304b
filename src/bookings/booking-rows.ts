import type { Channel } from '../vocabulary/notification-types';
import type { ConsentRecord, PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import type { UnusableContact } from '../vocabulary/unusable-contact';

/** How passengers and segments come out of PostgreSQL, and into the records the rest of the service uses. */
export interface PassengerRow {
  booking_reference: string;
  passenger_id: string;
  title: string | null;
  given_name: string;
  surname: string;
  locale: string;
  ticket_number: string | null;
  contacts: Partial<Record<Channel, string>>;
  unusable_contacts: UnusableContact[] | null;
  consents: ConsentRecord[] | null;
}

export interface SegmentRow {
  booking_reference: string;
  segment_id: string;
  carrier: string;
  flight_number: string;
  departure_date: string;
  origin: string;
  destination: string;
  /** ISO 8601 in UTC, as SEGMENT_FIELDS reads it (isoUtc). */
  scheduled_departure: string;
  scheduled_arrival: string;
  cabin: string | null;
}

/** Passenger columns with their consents in preference order; the table is aliased `p`. */
export const PASSENGER_COLUMNS = `
  p.booking_reference, p.passenger_id, p.title, p.given_name, p.surname, p.locale, p.ticket_number, p.contacts, p.unusable_contacts,
  (SELECT jsonb_agg(jsonb_build_object('channel', c.channel, 'granted', c.granted) ORDER BY c.preference)
     FROM consents c WHERE c.booking_reference = p.booking_reference AND c.passenger_id = p.passenger_id) AS consents`;

/**
 * A timestamptz column as the text Date.toISOString() writes (UTC, milliseconds, "Z"), made by PostgreSQL as it
 * writes the row: read as a timestamp, node-postgres parsed each into a Date that the record turned straight back
 * into that text — two of each per passenger in a flight's news (≈ 2 % of the service's CPU in the storm, decision 0055).
 */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Segment columns but the booking reference, for a row that has it already (its passenger's); the table is aliased `s`. */
export const SEGMENT_FIELDS = `s.segment_id, s.carrier, s.flight_number, to_char(s.departure_date, 'YYYY-MM-DD') AS departure_date,
  s.origin, s.destination, ${isoUtc('s.scheduled_departure')} AS scheduled_departure, ${isoUtc('s.scheduled_arrival')} AS scheduled_arrival, s.cabin`;

/** Segment columns; the table is aliased `s`. */
export const SEGMENT_COLUMNS = `s.booking_reference, ${SEGMENT_FIELDS}`;

/**
 * `contacts @> CONTACT_IS(channel, value)`: the passenger is reached at `value` on `channel` — the form the GIN index
 * passengers_contacts answers (`contacts ->> channel = value` reads every passenger).
 */
export const CONTACT_IS = (channel: string, value: string) => `jsonb_build_object(${channel}::text, ${value}::text)`;

export function toPassenger(r: PassengerRow): PassengerRecord {
  return {
    bookingReference: r.booking_reference,
    passengerId: r.passenger_id,
    title: r.title ?? undefined,
    givenName: r.given_name,
    surname: r.surname,
    locale: r.locale,
    ticketNumber: r.ticket_number ?? undefined,
    contacts: r.contacts,
    unusableContacts: r.unusable_contacts ?? [],
    consents: r.consents ?? [],
  };
}

export function toSegment(r: SegmentRow): SegmentRecord {
  return {
    bookingReference: r.booking_reference,
    segmentId: r.segment_id,
    carrier: r.carrier,
    flightNumber: r.flight_number,
    departureDate: r.departure_date,
    origin: r.origin,
    destination: r.destination,
    scheduledDeparture: r.scheduled_departure,
    scheduledArrival: r.scheduled_arrival,
    cabin: r.cabin ?? undefined,
  };
}
