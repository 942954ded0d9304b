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
}
