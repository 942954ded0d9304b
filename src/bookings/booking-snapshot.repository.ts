import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HeldWrites } from '../database/held-writes';
import { jsonbArray } from '../database/jsonb-parameter';
import type { PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';

/** What a booking.confirmed or booking.changed leaves: the booking's whole passenger list and itinerary. */
export interface BookingSnapshot {
  reference: string;
  snapshotTime: string;
  passengers: PassengerRecord[];
  segments: SegmentRecord[];
}

/**
 * Writes booking snapshots: the booking row (created, or its snapshot time moved on) and its passengers,
 * consents and segments replaced; check-ins of kept passengers stay. Inside an ingest batch
 * (`deferWithin`) the snapshots wait and are written together, one statement for the batch instead of one
 * per event (docs/decisions/0036); BookingRepository writes them out before anything reads or changes a
 * booking's rows in that transaction, so every event still sees every earlier one.
 */
@Injectable()
export class BookingSnapshotRepository {
  /** Per transaction in a batch: the snapshots not written yet, by booking (one each: a second flushes the first). */
  private readonly pending = new HeldWrites<BookingSnapshot>();

  /** From now until the transaction ends, snapshots stored in `m` wait for `flush`. */
  deferWithin(m: EntityManager): void {
    this.pending.holdWithin(m);
  }

  async store(m: EntityManager, snapshot: BookingSnapshot): Promise<void> {
    if (this.pending.has(m, snapshot.reference)) await this.flush(m);
    if (!this.pending.hold(m, snapshot.reference, snapshot)) await this.write(m, [snapshot]);
  }

  /** Writes what waits in `m`: everything, or nothing unless `reference`'s snapshot is among it. */
  async flush(m: EntityManager, reference?: string): Promise<void> {
    if (reference !== undefined && !this.pending.has(m, reference)) return;
    const snapshots = this.pending.take(m);
    if (snapshots.length > 0) await this.write(m, snapshots);
  }

  /**
   * One statement for any number of bookings (each at most once): rows the snapshots no longer name go, the
   * others are upserted; no row is touched twice, and the foreign keys (passengers → bookings, consents →
   * passengers) are checked when the statement ends, when all of it has happened. Sorted by booking, so two
   * transactions writing the same bookings take their row locks in the same order. The rows that go are found by the
   * references as an array, which PostgreSQL reads through the tables' primary keys at any size: joined to the
   * decoded JSON, which it expects to hold 100 rows, it read the whole of passengers, consents and segments while
   * they were small (tens of thousands of rows: ≈ 1 ms a statement, one per event in a schedule change). A row the
   * snapshot repeats as it is stays as it is: a schedule change re-sends every passenger and consent of the booking,
   * and rewriting them unchanged tripled the statement's write-ahead log (docs/decisions/0054).
   */
  private async write(m: EntityManager, snapshots: BookingSnapshot[]): Promise<void> {
    const sorted = [...snapshots].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
    await m.query(
      `WITH bk AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(booking_reference text, snapshot_time timestamptz)),
       booking AS (
         INSERT INTO bookings (booking_reference, snapshot_time) SELECT booking_reference, snapshot_time FROM bk
         ON CONFLICT (booking_reference) DO UPDATE SET snapshot_time = excluded.snapshot_time, updated_at = now()),
       pax AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(booking_reference text, passenger_id text, title text, given_name text,
                surname text, locale text, ticket_number text, contacts jsonb, unusable_contacts jsonb)),
       cons AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(booking_reference text, passenger_id text, channel text, granted boolean, preference int)),
       segs AS (
         SELECT * FROM jsonb_to_recordset($4::jsonb) AS x(booking_reference text, segment_id text, position int, carrier text,
                flight_number text, departure_date date, origin text, destination text, scheduled_departure timestamptz,
                scheduled_arrival timestamptz, cabin text)),
       gone_passengers AS (
         DELETE FROM passengers p WHERE p.booking_reference = ANY($5::text[])
            AND NOT EXISTS (SELECT 1 FROM pax WHERE pax.booking_reference = p.booking_reference AND pax.passenger_id = p.passenger_id)),
       upserted_passengers AS (
         INSERT INTO passengers (booking_reference, passenger_id, title, given_name, surname, locale, ticket_number, contacts, unusable_contacts)
         SELECT booking_reference, passenger_id, title, given_name, surname, locale, ticket_number, contacts, unusable_contacts FROM pax
         ON CONFLICT (booking_reference, passenger_id) DO UPDATE SET title = excluded.title, given_name = excluded.given_name,
           surname = excluded.surname, locale = excluded.locale, ticket_number = excluded.ticket_number, contacts = excluded.contacts,
           unusable_contacts = excluded.unusable_contacts
         WHERE (passengers.title, passengers.given_name, passengers.surname, passengers.locale, passengers.ticket_number,
                passengers.contacts, passengers.unusable_contacts)
               IS DISTINCT FROM (excluded.title, excluded.given_name, excluded.surname, excluded.locale, excluded.ticket_number,
                excluded.contacts, excluded.unusable_contacts)),
       gone_consents AS (
         DELETE FROM consents c WHERE c.booking_reference = ANY($5::text[])
            AND NOT EXISTS (SELECT 1 FROM cons WHERE cons.booking_reference = c.booking_reference
                               AND cons.passenger_id = c.passenger_id AND cons.channel = c.channel)),
       upserted_consents AS (
         INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference)
         SELECT booking_reference, passenger_id, channel, granted, preference FROM cons
         ON CONFLICT (booking_reference, passenger_id, channel) DO UPDATE SET granted = excluded.granted,
           preference = excluded.preference, granted_at = excluded.granted_at
         WHERE (consents.granted, consents.preference) IS DISTINCT FROM (excluded.granted, excluded.preference)),
       gone_segments AS (
         DELETE FROM segments s WHERE s.booking_reference = ANY($5::text[])
            AND NOT EXISTS (SELECT 1 FROM segs WHERE segs.booking_reference = s.booking_reference AND segs.segment_id = s.segment_id)),
       upserted_segments AS (
         INSERT INTO segments (booking_reference, segment_id, position, carrier, flight_number, departure_date, origin,
                               destination, scheduled_departure, scheduled_arrival, cabin)
         SELECT booking_reference, segment_id, position, carrier, flight_number, departure_date, origin, destination,
                scheduled_departure, scheduled_arrival, cabin FROM segs
         ON CONFLICT (booking_reference, segment_id) DO UPDATE SET position = excluded.position, carrier = excluded.carrier,
           flight_number = excluded.flight_number, departure_date = excluded.departure_date, origin = excluded.origin,
           destination = excluded.destination, scheduled_departure = excluded.scheduled_departure,
           scheduled_arrival = excluded.scheduled_arrival, cabin = excluded.cabin
         WHERE (segments.position, segments.carrier, segments.flight_number, segments.departure_date, segments.origin,
                segments.destination, segments.scheduled_departure, segments.scheduled_arrival, segments.cabin)
               IS DISTINCT FROM (excluded.position, excluded.carrier, excluded.flight_number, excluded.departure_date,
                excluded.origin, excluded.destination, excluded.scheduled_departure, excluded.scheduled_arrival, excluded.cabin))
       SELECT 1`,
      [
        jsonbArray(sorted.map((s) => ({ booking_reference: s.reference, snapshot_time: s.snapshotTime }))),
        jsonbArray(sorted.flatMap((s) => s.passengers.map((p) => passengerRow(s.reference, p)))),
        jsonbArray(
          sorted.flatMap((s) =>
            s.passengers.flatMap((p) =>
              p.consents.map((c, i) => ({ booking_reference: s.reference, passenger_id: p.passengerId, channel: c.channel, granted: c.granted, preference: i })),
            ),
          ),
        ),
        jsonbArray(sorted.flatMap((s) => s.segments.map((segment, i) => segmentRow(s.reference, segment, i)))),
        sorted.map((s) => s.reference),
      ],
    );
  }
}

function passengerRow(reference: string, p: PassengerRecord) {
  return {
    booking_reference: reference,
    passenger_id: p.passengerId,
    title: p.title ?? null,
    given_name: p.givenName,
    surname: p.surname,
    locale: p.locale,
    ticket_number: p.ticketNumber ?? null,
    contacts: p.contacts,
    unusable_contacts: p.unusableContacts ?? [],
  };
}

function segmentRow(reference: string, s: SegmentRecord, position: number) {
  return {
    booking_reference: reference,
    segment_id: s.segmentId,
    position,
    carrier: s.carrier,
    flight_number: s.flightNumber,
    departure_date: s.departureDate,
    origin: s.origin,
    destination: s.destination,
    scheduled_departure: s.scheduledDeparture,
    scheduled_arrival: s.scheduledArrival,
    cabin: s.cabin ?? null,
  };
}
