import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PassengerRecord, SegmentRecord } from '../../vocabulary/booking-records';
import { BookingRepository } from '../../bookings/booking.repository';
import type { FlightStatusData } from '../../events/event-types';
import { FlightStatusRepository } from '../../flights/flight-status.repository';
import { NotificationRow, toNotification, NotificationRecord, NOTIFICATION_WITH_CONTEXT } from '../../notifications/notification-records';
import { FLIGHT_NEWS_TYPES } from '../../vocabulary/notification-types';
import { keysMatchFew } from '../../notifications/notification-keys';

/** A replay's read of one notification, with its context, under lock (tests wait for it by its text). */
export const REPLAY_LOCK_STATEMENT = `SELECT n.*, c.context FROM ${NOTIFICATION_WITH_CONTEXT} WHERE n.id = $1 FOR UPDATE OF n`;

/** What a replay reads and writes: the notification under lock, and today's facts to re-render it with. */
@Injectable()
export class ReplayRepository {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly flights: FlightStatusRepository,
  ) {}

  async lock(m: EntityManager, id: string): Promise<NotificationRecord | undefined> {
    const rows: NotificationRow[] = await m.query(REPLAY_LOCK_STATEMENT, [id]);
    return rows[0] && toNotification(rows[0]);
  }

  /** True when newer news about the same flight already went to this passenger on this channel. */
  async newerNewsSent(m: EntityManager, n: NotificationRecord): Promise<boolean> {
    if (!n.flightKey || !FLIGHT_NEWS_TYPES.includes(n.type)) return false;
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM notifications
        WHERE ${keysMatchFew('flight_key = $1 AND booking_reference = $2 AND passenger_id = $3 AND channel = $4 AND type = ANY($5)')}
          AND created_at > (SELECT created_at FROM notifications WHERE id = $6) AND id <> $6
          AND status IN ('pending', 'sending', 'sent', 'delivered', 'read') LIMIT 1`,
      [n.flightKey, n.bookingReference, n.passengerId, n.channel, FLIGHT_NEWS_TYPES, n.id],
    );
    return rows.length > 0;
  }

  async passenger(m: EntityManager, n: NotificationRecord): Promise<PassengerRecord | undefined> {
    return (await this.bookings.findPassengers(m, n.bookingReference)).find((p) => p.passengerId === n.passengerId);
  }

  async segments(m: EntityManager, reference: string): Promise<SegmentRecord[]> {
    return this.bookings.findSegments(m, reference);
  }

  async flightSnapshot(
    m: EntityManager,
    f: { carrier: string; flightNumber: string; departureDate: string; origin: string },
  ): Promise<FlightStatusData | undefined> {
    return (await this.flights.find(m, f))?.snapshot;
  }

  async checkin(m: EntityManager, n: NotificationRecord, flight: { carrier: string; flightNumber: string; departureDate: string; origin: string }) {
    const rows: { seat: string; sequence_number: number; compartment: string; boarding_group: string | null; boarding_time: Date | null; gate: string | null }[] =
      await m.query(
        `SELECT c.seat, c.sequence_number, c.compartment, c.boarding_group, c.boarding_time, c.gate
           FROM checkins c JOIN segments s ON s.booking_reference = c.booking_reference AND s.segment_id = c.segment_id
          WHERE c.booking_reference = $1 AND c.passenger_id = $2 AND s.carrier = $3 AND s.flight_number = $4
            AND s.departure_date = $5 AND s.origin = $6`,
        [n.bookingReference, n.passengerId, flight.carrier, flight.flightNumber, flight.departureDate, flight.origin],
      );
    return rows[0];
  }
}
