import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../vocabulary/notification-types';
import type { FlightIdentity, PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import { PASSENGER_COLUMNS, PassengerRow, SEGMENT_COLUMNS, SegmentRow, toPassenger, toSegment } from './booking-rows';

export interface BookingRow {
  bookingReference: string;
  status: 'active' | 'cancelled';
  snapshotTime: Date;
  /** Personal data erased (retention or a GDPR request): the booking must not be filled in again. */
  purged: boolean;
}

/** Bookings, passengers, consents and segments. Every method runs inside the caller's transaction. */
@Injectable()
export class BookingRepository {
  /** Per transaction: the rows lockBookings locked for its batch, not yet handed out (null: no such booking). */
  private readonly prelocked = new WeakMap<EntityManager, Map<string, BookingRow | null>>();

  /**
   * Locks the booking row (FOR UPDATE) and returns it; undefined when there is none. Taken from what
   * lockBookings found when it locked this booking for the batch (once: a later event of the batch about the
   * same booking reads it again, changed by the first).
   */
  async lockBooking(m: EntityManager, reference: string): Promise<BookingRow | undefined> {
    const prelocked = this.prelocked.get(m);
    if (prelocked?.has(reference)) {
      const row = prelocked.get(reference);
      prelocked.delete(reference);
      return row ?? undefined;
    }
    return (await this.lockRows(m, [reference])).get(reference);
  }

  /**
   * Locks the bookings of an ingest batch in one statement, in sorted order (two batches locking the same
   * bookings then wait for each other rather than deadlock), for lockBooking to hand out.
   */
  async lockBookings(m: EntityManager, references: readonly string[]): Promise<void> {
    if (references.length === 0) return;
    const found = await this.lockRows(m, references);
    this.prelocked.set(m, new Map(references.map((r) => [r, found.get(r) ?? null])));
  }

  private async lockRows(m: EntityManager, references: readonly string[]): Promise<Map<string, BookingRow>> {
    const rows: { booking_reference: string; status: 'active' | 'cancelled'; snapshot_time: Date; purged_at: Date | null }[] = await m.query(
      `SELECT booking_reference, status, snapshot_time, purged_at FROM bookings WHERE booking_reference = ANY($1::text[])
        ORDER BY booking_reference FOR UPDATE`,
      [references],
    );
    return new Map(
      rows.map((row) => [
        row.booking_reference,
        { bookingReference: row.booking_reference, status: row.status, snapshotTime: row.snapshot_time, purged: row.purged_at !== null },
      ]),
    );
  }

  /** The booking row without a lock (read API). */
  async findBooking(m: EntityManager, reference: string): Promise<BookingRow | undefined> {
    const rows: { status: 'active' | 'cancelled'; snapshot_time: Date; purged_at: Date | null }[] = await m.query(
      `SELECT status, snapshot_time, purged_at FROM bookings WHERE booking_reference = $1`,
      [reference],
    );
    const row = rows[0];
    return row && { bookingReference: reference, status: row.status, snapshotTime: row.snapshot_time, purged: row.purged_at !== null };
  }

  async markCancelled(m: EntityManager, reference: string, reason: string | undefined, reasonLanguage?: string | null): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'cancelled', cancellation_reason = $2, cancellation_reason_language = $3, updated_at = now()
        WHERE booking_reference = $1`,
      [reference, reason ?? null, reasonLanguage ?? null],
    );
  }

  /**
   * Stores a booking snapshot: the booking row (created, or its snapshot time moved on) and its passengers,
   * consents and segments replaced; check-ins of kept passengers stay.
   */
  async storeSnapshot(
    m: EntityManager,
    reference: string,
    snapshotTime: string,
    passengers: PassengerRecord[],
    segments: SegmentRecord[],
  ): Promise<void> {
    // One statement, not seven (issue 19): on this VM each round trip's socket write costs more CPU than the SQL.
    // Rows the snapshot no longer names go, the others are upserted; no row is touched twice, and the foreign keys
    // (passengers → bookings, consents → passengers) are checked when the statement ends, when all of it has happened.
    await m.query(
      `WITH booking AS (
         INSERT INTO bookings (booking_reference, snapshot_time) VALUES ($1, $5)
         ON CONFLICT (booking_reference) DO UPDATE SET snapshot_time = excluded.snapshot_time, updated_at = now()),
       pax AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(passenger_id text, title text, given_name text, surname text,
                locale text, ticket_number text, contacts jsonb, unusable_contacts jsonb)),
       cons AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(passenger_id text, channel text, granted boolean, preference int)),
       segs AS (
         SELECT * FROM jsonb_to_recordset($4::jsonb) AS x(segment_id text, position int, carrier text, flight_number text,
                departure_date date, origin text, destination text, scheduled_departure timestamptz,
                scheduled_arrival timestamptz, cabin text)),
       gone_passengers AS (
         DELETE FROM passengers WHERE booking_reference = $1 AND passenger_id NOT IN (SELECT passenger_id FROM pax)),
       upserted_passengers AS (
         INSERT INTO passengers (booking_reference, passenger_id, title, given_name, surname, locale, ticket_number, contacts, unusable_contacts)
         SELECT $1, passenger_id, title, given_name, surname, locale, ticket_number, contacts, unusable_contacts FROM pax
         ON CONFLICT (booking_reference, passenger_id) DO UPDATE SET title = excluded.title, given_name = excluded.given_name,
           surname = excluded.surname, locale = excluded.locale, ticket_number = excluded.ticket_number, contacts = excluded.contacts,
           unusable_contacts = excluded.unusable_contacts),
       gone_consents AS (
         DELETE FROM consents c WHERE c.booking_reference = $1
            AND NOT EXISTS (SELECT 1 FROM cons WHERE cons.passenger_id = c.passenger_id AND cons.channel = c.channel)),
       upserted_consents AS (
         INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference)
         SELECT $1, passenger_id, channel, granted, preference FROM cons
         ON CONFLICT (booking_reference, passenger_id, channel) DO UPDATE SET granted = excluded.granted,
           preference = excluded.preference, granted_at = excluded.granted_at),
       gone_segments AS (
         DELETE FROM segments WHERE booking_reference = $1 AND segment_id NOT IN (SELECT segment_id FROM segs)),
       upserted_segments AS (
         INSERT INTO segments (booking_reference, segment_id, position, carrier, flight_number, departure_date, origin,
                               destination, scheduled_departure, scheduled_arrival, cabin)
         SELECT $1, segment_id, position, carrier, flight_number, departure_date, origin, destination,
                scheduled_departure, scheduled_arrival, cabin FROM segs
         ON CONFLICT (booking_reference, segment_id) DO UPDATE SET position = excluded.position, carrier = excluded.carrier,
           flight_number = excluded.flight_number, departure_date = excluded.departure_date, origin = excluded.origin,
           destination = excluded.destination, scheduled_departure = excluded.scheduled_departure,
           scheduled_arrival = excluded.scheduled_arrival, cabin = excluded.cabin)
       SELECT 1`,
      [
        reference,
        JSON.stringify(
          passengers.map((p) => ({
            passenger_id: p.passengerId,
            title: p.title ?? null,
            given_name: p.givenName,
            surname: p.surname,
            locale: p.locale,
            ticket_number: p.ticketNumber ?? null,
            contacts: p.contacts,
            unusable_contacts: p.unusableContacts ?? [],
          })),
        ),
        JSON.stringify(
          passengers.flatMap((p) =>
            p.consents.map((c, i) => ({ passenger_id: p.passengerId, channel: c.channel, granted: c.granted, preference: i })),
          ),
        ),
        JSON.stringify(
          segments.map((s, i) => ({
            segment_id: s.segmentId,
            position: i,
            carrier: s.carrier,
            flight_number: s.flightNumber,
            departure_date: s.departureDate,
            origin: s.origin,
            destination: s.destination,
            scheduled_departure: s.scheduledDeparture,
            scheduled_arrival: s.scheduledArrival,
            cabin: s.cabin ?? null,
          })),
        ),
        snapshotTime,
      ],
    );
  }

  async findPassengers(m: EntityManager, reference: string): Promise<PassengerRecord[]> {
    const rows: PassengerRow[] = await m.query(
      `SELECT ${PASSENGER_COLUMNS} FROM passengers p WHERE p.booking_reference = $1 ORDER BY p.passenger_id`,
      [reference],
    );
    return rows.map(toPassenger);
  }

  /** Withdraws consent on `channel` for every passenger reached at `contact` (a STOP reply); returns how many. */
  async withdrawConsentByContact(m: EntityManager, channel: Channel, contact: string): Promise<number> {
    const passengers: { booking_reference: string; passenger_id: string }[] = await m.query(
      `WITH withdrawn AS (
         UPDATE consents c SET granted = false
           FROM passengers p
          WHERE p.booking_reference = c.booking_reference AND p.passenger_id = c.passenger_id
            AND c.channel = $1 AND c.granted AND p.contacts ->> $1 = $2
         RETURNING c.booking_reference, c.passenger_id)
       SELECT * FROM withdrawn`,
      [channel, contact],
    );
    return passengers.length;
  }

  /** Locks one passenger row; false when the passenger is unknown. */
  async lockPassenger(m: EntityManager, reference: string, passengerId: string): Promise<boolean> {
    const found: unknown[] = await m.query(`SELECT 1 FROM passengers WHERE booking_reference = $1 AND passenger_id = $2 FOR UPDATE`, [reference, passengerId]);
    return found.length > 0;
  }

  /** Sets one passenger's consent on one channel; a new channel goes last in their preference order. */
  async setConsent(m: EntityManager, reference: string, passengerId: string, channel: Channel, granted: boolean): Promise<void> {
    await m.query(
      `INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference, granted_at)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(preference) + 1, 0) FROM consents WHERE booking_reference = $1 AND passenger_id = $2),
               CASE WHEN $4 THEN now() END)
       ON CONFLICT (booking_reference, passenger_id, channel) DO UPDATE SET granted = excluded.granted, granted_at = excluded.granted_at`,
      [reference, passengerId, channel, granted],
    );
  }

  /**
   * One passenger's contacts and consents only (the rest of the record blank): what the fallback needs to
   * pick the next channel. Undefined when the passenger is unknown.
   */
  async findContactsAndConsents(m: EntityManager, reference: string, passengerId: string): Promise<PassengerRecord | undefined> {
    const rows: { contacts: PassengerRecord['contacts']; consents: PassengerRecord['consents'] | null }[] = await m.query(
      `SELECT p.contacts,
              (SELECT jsonb_agg(jsonb_build_object('channel', c.channel, 'granted', c.granted) ORDER BY c.preference)
                 FROM consents c WHERE c.booking_reference = p.booking_reference AND c.passenger_id = p.passenger_id) AS consents
         FROM passengers p WHERE p.booking_reference = $1 AND p.passenger_id = $2`,
      [reference, passengerId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      bookingReference: reference,
      passengerId,
      givenName: '',
      surname: '',
      locale: 'en',
      contacts: row.contacts,
      consents: row.consents ?? [],
    };
  }

  /** A booking's passengers (by id) and segments (in itinerary order) in one round trip. */
  async findContents(m: EntityManager, reference: string): Promise<{ passengers: PassengerRecord[]; segments: SegmentRecord[] }> {
    const rows: { passengers: PassengerRow[]; segments: SegmentRow[] }[] = await m.query(
      `SELECT (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.passenger_id), '[]')
                 FROM (SELECT ${PASSENGER_COLUMNS} FROM passengers p WHERE p.booking_reference = $1) p) AS passengers,
              (SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.position), '[]')
                 FROM (SELECT position, ${SEGMENT_COLUMNS} FROM segments WHERE booking_reference = $1) s) AS segments`,
      [reference],
    );
    return { passengers: rows[0].passengers.map(toPassenger), segments: rows[0].segments.map(toSegment) };
  }

  async findSegments(m: EntityManager, reference: string): Promise<SegmentRecord[]> {
    const rows: SegmentRow[] = await m.query(
      `SELECT ${SEGMENT_COLUMNS} FROM segments WHERE booking_reference = $1 ORDER BY position`,
      [reference],
    );
    return rows.map(toSegment);
  }

  /** Passengers of active bookings holding a segment on this flight, with that segment. */
  async findPassengersOnFlight(
    m: EntityManager,
    flight: FlightIdentity,
  ): Promise<{ passenger: PassengerRecord; segment: SegmentRecord }[]> {
    const rows: (PassengerRow & { segment: SegmentRow })[] = await m.query(
      `SELECT ${PASSENGER_COLUMNS}, to_jsonb(s) AS segment
         FROM (SELECT ${SEGMENT_COLUMNS} FROM segments
                WHERE carrier = $1 AND flight_number = $2 AND departure_date = $3 AND origin = $4) s
         JOIN bookings b ON b.booking_reference = s.booking_reference AND b.status = 'active'
         JOIN passengers p ON p.booking_reference = s.booking_reference
        ORDER BY p.booking_reference, p.passenger_id`,
      [flight.carrier, flight.flightNumber, flight.departureDate, flight.origin],
    );
    return rows.map((r) => ({ passenger: toPassenger(r), segment: toSegment(r.segment) }));
  }

}
