import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../vocabulary/notification-types';
import type { FlightIdentity, PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import { CONTACT_IS, PASSENGER_COLUMNS, PassengerRow, SEGMENT_COLUMNS, SEGMENT_FIELDS, SegmentRow, toPassenger, toSegment } from './booking-rows';
import { BookingSnapshotRepository } from './booking-snapshot.repository';

/** A booking's passengers (by id, with consents) and segments (in itinerary order). */
export interface BookingContents {
  passengers: PassengerRecord[];
  segments: SegmentRecord[];
}

/** What beginBatch found for one booking of the batch: its row (null: no such booking) and, when it exists, its contents. */
interface Prelocked {
  row: BookingRow | null;
  contents?: BookingContents;
}

export interface BookingRow {
  bookingReference: string;
  status: 'active' | 'cancelled';
  snapshotTime: Date;
  /** Personal data erased (retention or a GDPR request): the booking must not be filled in again. */
  purged: boolean;
}

/**
 * Bookings, passengers, consents and segments. Every method runs inside the caller's transaction and first
 * writes out the snapshots an ingest batch holds back (BookingSnapshotRepository), so what it reads or
 * changes includes them.
 */
@Injectable()
export class BookingRepository {
  constructor(private readonly snapshots: BookingSnapshotRepository) {}

  /** Per transaction: what beginBatch locked and read, not yet handed out. */
  private readonly prelocked = new WeakMap<EntityManager, Map<string, Prelocked>>();
  /**
   * Per transaction: the contents beginBatch read for the booking lockBooking has just handed out, good for the
   * findContents that follows it and for nothing after any other call here (which may change them).
   */
  private readonly handedContents = new WeakMap<EntityManager, { reference: string; contents: BookingContents }>();

  /**
   * Locks the booking row (FOR UPDATE) and returns it; undefined when there is none. Taken from what
   * beginBatch found when it locked this booking for the batch (once: a later event of the batch about the
   * same booking reads it again, changed by the first).
   */
  async lockBooking(m: EntityManager, reference: string): Promise<BookingRow | undefined> {
    await this.before(m, reference);
    const prelocked = this.prelocked.get(m);
    const found = prelocked?.get(reference);
    if (prelocked && found) {
      prelocked.delete(reference);
      if (found.contents) this.handedContents.set(m, { reference, contents: found.contents });
      return found.row ?? undefined;
    }
    return (await this.lockRows(m, [reference])).get(reference);
  }

  /**
   * The start of an ingest batch: its bookings locked in one statement, in sorted order (two batches locking
   * the same bookings then wait for each other rather than deadlock), for lockBooking to hand out; the contents
   * of those that exist, read in one more statement once they are locked, for the findContents of their first
   * event; and its snapshots held back until endBatch or until something reads booking rows.
   */
  async beginBatch(m: EntityManager, references: readonly string[]): Promise<void> {
    this.snapshots.deferWithin(m);
    if (references.length === 0) return;
    const found = await this.lockRows(m, references);
    // Read after the lock statement, not within it: a statement's snapshot is taken when it starts, so contents read
    // alongside the lock could predate a change committed while it waited for a row.
    const contents = found.size > 0 ? await this.contentsOf(m, [...found.keys()]) : new Map<string, BookingContents>();
    this.prelocked.set(m, new Map(references.map((r) => [r, { row: found.get(r) ?? null, contents: contents.get(r) }])));
  }

  /** The end of an ingest batch: the snapshots it still holds, written in one statement. */
  endBatch(m: EntityManager): Promise<void> {
    return this.before(m);
  }

  /**
   * Before every call: contents handed out by lockBooking are forgotten (this call may change them), and the
   * snapshots held back are written (of `reference` alone, or all), so what the call reads includes them.
   */
  private before(m: EntityManager, reference?: string): Promise<void> {
    this.handedContents.delete(m);
    return this.snapshots.flush(m, reference);
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
    await this.before(m);
    const rows: { status: 'active' | 'cancelled'; snapshot_time: Date; purged_at: Date | null }[] = await m.query(
      `SELECT status, snapshot_time, purged_at FROM bookings WHERE booking_reference = $1`,
      [reference],
    );
    const row = rows[0];
    return row && { bookingReference: reference, status: row.status, snapshotTime: row.snapshot_time, purged: row.purged_at !== null };
  }

  async markCancelled(m: EntityManager, reference: string, reason: string | undefined, reasonLanguage?: string | null): Promise<void> {
    await this.before(m);
    await m.query(
      `UPDATE bookings SET status = 'cancelled', cancellation_reason = $2, cancellation_reason_language = $3, updated_at = now()
        WHERE booking_reference = $1`,
      [reference, reason ?? null, reasonLanguage ?? null],
    );
  }

  /** Stores a booking snapshot (BookingSnapshotRepository: at once, or with the rest of an ingest batch). */
  storeSnapshot(m: EntityManager, reference: string, snapshotTime: string, passengers: PassengerRecord[], segments: SegmentRecord[]): Promise<void> {
    this.handedContents.delete(m);
    return this.snapshots.store(m, { reference, snapshotTime, passengers, segments });
  }

  async findPassengers(m: EntityManager, reference: string): Promise<PassengerRecord[]> {
    await this.before(m);
    const rows: PassengerRow[] = await m.query(
      `SELECT ${PASSENGER_COLUMNS} FROM passengers p WHERE p.booking_reference = $1 ORDER BY p.passenger_id`,
      [reference],
    );
    return rows.map(toPassenger);
  }

  /** Withdraws consent on `channel` for every passenger reached at `contact` (a STOP reply); returns how many. */
  async withdrawConsentByContact(m: EntityManager, channel: Channel, contact: string): Promise<number> {
    await this.before(m);
    const passengers: { booking_reference: string; passenger_id: string }[] = await m.query(
      `WITH withdrawn AS (
         UPDATE consents c SET granted = false
           FROM passengers p
          WHERE p.booking_reference = c.booking_reference AND p.passenger_id = c.passenger_id
            AND c.channel = $1 AND c.granted AND p.contacts @> ${CONTACT_IS('$1', '$2')}
         RETURNING c.booking_reference, c.passenger_id)
       SELECT * FROM withdrawn`,
      [channel, contact],
    );
    return passengers.length;
  }

  /** Locks one passenger row; false when the passenger is unknown. */
  async lockPassenger(m: EntityManager, reference: string, passengerId: string): Promise<boolean> {
    await this.before(m);
    const found: unknown[] = await m.query(`SELECT 1 FROM passengers WHERE booking_reference = $1 AND passenger_id = $2 FOR UPDATE`, [reference, passengerId]);
    return found.length > 0;
  }

  /** Sets one passenger's consent on one channel; a new channel goes last in their preference order. */
  async setConsent(m: EntityManager, reference: string, passengerId: string, channel: Channel, granted: boolean): Promise<void> {
    await this.before(m);
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
    await this.before(m);
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

  /**
   * A booking's passengers and segments in one round trip (none when lockBooking has just handed them out). It reads
   * this booking's rows only, so only its own held snapshot must be written first: the batch's others stay held and
   * go together (a schedule change wrote one snapshot statement per event otherwise, docs/decisions/0054).
   */
  async findContents(m: EntityManager, reference: string): Promise<BookingContents> {
    const handed = this.handedContents.get(m);
    await this.before(m, reference);
    if (handed?.reference === reference) return handed.contents;
    return (await this.contentsOf(m, [reference])).get(reference) ?? { passengers: [], segments: [] };
  }

  /**
   * Rows of each table, not jsonb built per row and aggregated per booking: PostgreSQL made those in 6.5–13 ms for
   * 200 bookings of the boarding-pass bench, the two plain reads in 2.6–4.6 ms (docs/decisions/0056).
   */
  private async contentsOf(m: EntityManager, references: readonly string[]): Promise<Map<string, BookingContents>> {
    const passengers: PassengerRow[] = await m.query(
      `SELECT ${PASSENGER_COLUMNS} FROM passengers p WHERE p.booking_reference = ANY($1::text[]) ORDER BY p.booking_reference, p.passenger_id`,
      [references],
    );
    const segments: SegmentRow[] = await m.query(
      `SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.booking_reference = ANY($1::text[]) ORDER BY s.booking_reference, s.position`,
      [references],
    );
    const contents = new Map<string, BookingContents>(references.map((reference) => [reference, { passengers: [], segments: [] }]));
    for (const row of passengers) contents.get(row.booking_reference)?.passengers.push(toPassenger(row));
    for (const row of segments) contents.get(row.booking_reference)?.segments.push(toSegment(row));
    return contents;
  }

  async findSegments(m: EntityManager, reference: string): Promise<SegmentRecord[]> {
    await this.before(m);
    const rows: SegmentRow[] = await m.query(
      `SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.booking_reference = $1 ORDER BY s.position`,
      [reference],
    );
    return rows.map(toSegment);
  }

  /** Passengers of active bookings holding a segment on this flight, with that segment. */
  async findPassengersOnFlight(
    m: EntityManager,
    flight: FlightIdentity,
  ): Promise<{ passenger: PassengerRecord; segment: SegmentRecord }[]> {
    await this.before(m);
    // The segment's columns beside the passenger's (the same booking_reference): building each row's segment as
    // jsonb was 1.1 of 4 ms per 300-passenger flight in the storm, and Node parsed it again (decision 0052).
    // Each segment's booking status is looked up by key, at every size of the bookings table: joined, the plan
    // depended on it — the whole table hashed for a flight's 150 bookings among 3,150, by key among 30,000
    // (docs/decisions/0056).
    const rows: (PassengerRow & SegmentRow)[] = await m.query(
      `SELECT ${PASSENGER_COLUMNS}, ${SEGMENT_FIELDS}
         FROM segments s
         JOIN passengers p ON p.booking_reference = s.booking_reference
        WHERE s.carrier = $1 AND s.flight_number = $2 AND s.departure_date = $3 AND s.origin = $4
          AND (SELECT b.status FROM bookings b WHERE b.booking_reference = s.booking_reference) = 'active'
        ORDER BY p.booking_reference, p.passenger_id`,
      [flight.carrier, flight.flightNumber, flight.departureDate, flight.origin],
    );
    return rows.map((r) => ({ passenger: toPassenger(r), segment: toSegment(r) }));
  }

}
