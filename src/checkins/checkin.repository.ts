import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CheckinRecord } from '../vocabulary/booking-records';

/** Check-ins, one per passenger and segment; a repeated check-in (new seat) replaces the earlier one. */
@Injectable()
export class CheckinRepository {
  async upsert(m: EntityManager, c: CheckinRecord): Promise<void> {
    await m.query(
      `INSERT INTO checkins (booking_reference, passenger_id, segment_id, seat, sequence_number, compartment,
                             boarding_group, boarding_time, gate, checked_in_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (booking_reference, passenger_id, segment_id) DO UPDATE SET seat = excluded.seat,
         sequence_number = excluded.sequence_number, compartment = excluded.compartment,
         boarding_group = excluded.boarding_group, boarding_time = excluded.boarding_time, gate = excluded.gate,
         checked_in_at = excluded.checked_in_at`,
      [
        c.bookingReference,
        c.passengerId,
        c.segmentId,
        c.seat,
        c.sequenceNumber,
        c.compartment,
        c.boardingGroup ?? null,
        c.boardingTime ?? null,
        c.gate ?? null,
        c.checkedInAt,
      ],
    );
  }

  /** The check-ins of these passengers' segments (one query for a flight's passengers). */
  async findFor(m: EntityManager, keys: readonly Pick<CheckinRecord, 'bookingReference' | 'passengerId' | 'segmentId'>[]): Promise<CheckinRecord[]> {
    if (keys.length === 0) return [];
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
