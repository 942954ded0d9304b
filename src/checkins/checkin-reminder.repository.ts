import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import { PASSENGER_COLUMNS, PassengerRow, SEGMENT_FIELDS, SegmentRow, toPassenger, toSegment } from '../bookings/booking-rows';
import { flightKey } from '../vocabulary/booking-records';
import type { FlightStatusData } from '../events/event-types';

/** A passenger whose check-in opened and who has neither checked in nor been reminded. */
export interface DueReminder {
  passenger: PassengerRecord;
  segment: SegmentRecord;
  flightKey: string;
  /** The flight's last operational snapshot, if any (gate, terminal, new time). */
  status?: FlightStatusData;
}

/** A segment row and a passenger row side by side (one booking), plus the flight's last snapshot. */
type DueRow = SegmentRow & PassengerRow & { status_snapshot: FlightStatusData | null };

export interface DueQuery {
  now: Date;
  hours: number;
  usHours: number;
  usAirports: string[];
  closesMinutes: number;
  limit: number;
}

/** What the check-in reminder job reads and writes; every method runs in the caller's transaction. */
@Injectable()
export class CheckinReminderRepository {
  /**
   * Passengers of active bookings with a segment whose check-in has opened (departure within the hours,
   * US destinations their own hours) and has not closed, not checked in, not reminded yet.
   */
  async findDue(m: EntityManager, q: DueQuery): Promise<DueReminder[]> {
    const rows: DueRow[] = await m.query(
      `SELECT ${SEGMENT_FIELDS},
              ${PASSENGER_COLUMNS},
              fs.snapshot AS status_snapshot
         FROM segments s
         JOIN bookings b ON b.booking_reference = s.booking_reference AND b.status = 'active' AND b.purged_at IS NULL
         JOIN passengers p ON p.booking_reference = s.booking_reference
         LEFT JOIN flight_status fs ON fs.carrier = s.carrier AND fs.flight_number = s.flight_number
              AND fs.departure_date = s.departure_date AND fs.origin = s.origin AND fs.version > 0
        WHERE s.scheduled_departure > $1::timestamptz + $5::int * interval '1 minute'
          AND s.scheduled_departure <= $1::timestamptz + greatest($2::int, $3::int) * interval '1 hour'
          AND s.scheduled_departure <= $1::timestamptz
              + (CASE WHEN s.destination = ANY($4::text[]) THEN $3::int ELSE $2::int END) * interval '1 hour'
          AND (fs.status IS NULL OR fs.status <> 'CANCELLED')
          AND NOT EXISTS (SELECT 1 FROM checkins ci WHERE ci.booking_reference = s.booking_reference
                             AND ci.passenger_id = p.passenger_id AND ci.segment_id = s.segment_id)
          AND NOT EXISTS (SELECT 1 FROM checkin_reminders r WHERE r.booking_reference = s.booking_reference
                             AND r.passenger_id = p.passenger_id
                             AND r.flight_key = s.carrier || s.flight_number || '-' || to_char(s.departure_date, 'YYYY-MM-DD'))
        ORDER BY s.scheduled_departure, s.booking_reference, p.passenger_id
        LIMIT $6::int`,
      [q.now, q.hours, q.usHours, q.usAirports, q.closesMinutes, q.limit],
    );
    return rows.map((r) => {
      const segment = toSegment(r);
      return {
        passenger: toPassenger(r),
        segment,
        flightKey: flightKey(segment),
        ...(r.status_snapshot ? { status: r.status_snapshot } : {}),
      };
    });
  }

  /** Marks these passengers reminded for these flights, also when no channel could carry it. */
  async recordPlanned(
    m: EntityManager,
    planned: { bookingReference: string; passengerId: string; flightKey: string; segmentId: string; notifications: number }[],
  ): Promise<void> {
    if (planned.length === 0) return;
    await m.query(
      `INSERT INTO checkin_reminders (booking_reference, passenger_id, flight_key, segment_id, notifications)
       SELECT x.b, x.p, x.f, x.s, x.n FROM jsonb_to_recordset($1::jsonb) AS x(b text, p text, f text, s text, n int)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(planned.map((p) => ({ b: p.bookingReference, p: p.passengerId, f: p.flightKey, s: p.segmentId, n: p.notifications })))],
    );
  }
}
