import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HeldWrites } from '../database/held-writes';
import type { CheckinRecord } from '../vocabulary/booking-records';

/**
 * Check-ins, one per passenger and segment; a repeated check-in (new seat) replaces the earlier one. Within an
 * ingest batch (holdWithin) they are written together: before anything here reads check-ins in that
 * transaction, and at writeHeld — of a booking, before a later event about it applies (its passengers may go,
 * and their check-ins with them), and of all at the end (docs/decisions/0046).
 */
@Injectable()
export class CheckinRepository {
  /** Per transaction of an ingest batch: the check-ins held back, the last of each passenger and segment. */
  private readonly held = new HeldWrites<CheckinRecord>();

  /** From now until `m`'s transaction ends, upsert holds check-ins back (see the class). */
  holdWithin(m: EntityManager): void {
    this.held.holdWithin(m);
  }

  async upsert(m: EntityManager, c: CheckinRecord): Promise<void> {
    // A later check-in of the same passenger and segment replaces the earlier, as it would one by one.
    if (!this.held.hold(m, JSON.stringify([c.bookingReference, c.passengerId, c.segmentId]), c)) await this.write(m, [c]);
  }

  /** Writes the check-ins `m` holds back, if any: those of these bookings only, when named. */
  async writeHeld(m: EntityManager, bookings?: readonly string[]): Promise<void> {
    const checkins = this.held.take(m, bookings && ((c) => bookings.includes(c.bookingReference)));
    if (checkins.length > 0) await this.write(m, checkins);
  }

  /** One statement for any number of check-ins (distinct passengers and segments: one row may not change twice). */
  private async write(m: EntityManager, checkins: CheckinRecord[]): Promise<void> {
    await m.query(
      `INSERT INTO checkins (booking_reference, passenger_id, segment_id, seat, sequence_number, compartment,
                             boarding_group, boarding_time, gate, checked_in_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(booking_reference text, passenger_id text, segment_id text, seat text,
              sequence_number int, compartment text, boarding_group text, boarding_time timestamptz, gate text, checked_in_at timestamptz)
       ON CONFLICT (booking_reference, passenger_id, segment_id) DO UPDATE SET seat = excluded.seat,
         sequence_number = excluded.sequence_number, compartment = excluded.compartment,
         boarding_group = excluded.boarding_group, boarding_time = excluded.boarding_time, gate = excluded.gate,
         checked_in_at = excluded.checked_in_at`,
      [
        JSON.stringify(
          checkins.map((c) => ({
            booking_reference: c.bookingReference,
            passenger_id: c.passengerId,
            segment_id: c.segmentId,
            seat: c.seat,
            sequence_number: c.sequenceNumber,
            compartment: c.compartment,
            boarding_group: c.boardingGroup ?? null,
            boarding_time: c.boardingTime ?? null,
            gate: c.gate ?? null,
            checked_in_at: c.checkedInAt,
          })),
        ),
      ],
    );
  }

  /** The check-ins of these passengers' segments (one query for a flight's passengers). */
  async findFor(m: EntityManager, keys: readonly Pick<CheckinRecord, 'bookingReference' | 'passengerId' | 'segmentId'>[]): Promise<CheckinRecord[]> {
    if (keys.length === 0) return [];
    await this.writeHeld(m);
    const rows: CheckinRow[] = await m.query(
      `SELECT c.booking_reference, c.passenger_id, c.segment_id, c.seat, c.sequence_number, c.compartment, c.boarding_group,
              c.boarding_time, c.gate, c.checked_in_at
         FROM checkins c
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(booking_reference, passenger_id, segment_id)
           ON c.booking_reference = k.booking_reference AND c.passenger_id = k.passenger_id AND c.segment_id = k.segment_id`,
      [keys.map((k) => k.bookingReference), keys.map((k) => k.passengerId), keys.map((k) => k.segmentId)],
    );
    return rows.map((r) => ({
      bookingReference: r.booking_reference,
      passengerId: r.passenger_id,
      segmentId: r.segment_id,
      seat: r.seat,
      sequenceNumber: r.sequence_number,
      compartment: r.compartment,
      ...(r.boarding_group ? { boardingGroup: r.boarding_group } : {}),
      ...(r.boarding_time ? { boardingTime: instant(r.boarding_time) } : {}),
      ...(r.gate ? { gate: r.gate } : {}),
      checkedInAt: instant(r.checked_in_at),
    }));
  }
}

interface CheckinRow {
  booking_reference: string;
  passenger_id: string;
  segment_id: string;
  seat: string;
  sequence_number: number;
  compartment: string;
  boarding_group: string | null;
  boarding_time: Date | null;
  gate: string | null;
  checked_in_at: Date;
}

/** RFC 3339 as producers write it (no ".000" for whole seconds), so it compares equal to the event's own string. */
function instant(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}
