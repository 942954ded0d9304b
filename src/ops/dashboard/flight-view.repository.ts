import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FlightStatusData } from '../../events/event-types';
import { keysMatchFew } from '../../notifications/notification-keys';

export const MAX_FLIGHT_FAILURES = 200;

export interface FlightKeyParts {
  key: string;
  carrier: string;
  flightNumber: string;
  departureDate: string;
}

export interface FlightLegRow {
  origin: string;
  snapshot: FlightStatusData;
  version: number;
  updated_at: Date;
}

export interface FlightFailureRow {
  id: string;
  type: string;
  channel: string;
  booking_reference: string;
  passenger_id: string;
  recipient: string;
  last_error_code: string | null;
  last_error: string | null;
  updated_at: Date;
}

/** Reads one flight for the dashboard: flight_status by its primary key, notifications through notification_keys_flight. */
@Injectable()
export class FlightViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Legs with an applied snapshot (version 0 is the placeholder a first writer creates). */
  legs(f: FlightKeyParts): Promise<FlightLegRow[]> {
    return this.dataSource.query(
      `SELECT origin, snapshot, version, updated_at FROM flight_status
        WHERE carrier = $1 AND flight_number = $2 AND departure_date = $3 AND version > 0
        ORDER BY snapshot ->> 'scheduledDeparture', origin`,
      [f.carrier, f.flightNumber, f.departureDate],
    );
  }

  counts(f: FlightKeyParts): Promise<{ type: string; channel: string; status: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT type, channel, status, count(*)::int AS count FROM notifications WHERE ${keysMatchFew('flight_key = $1')}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [f.key],
    );
  }

  async passengers(f: FlightKeyParts): Promise<{ planned: number; told: number; withFailures: number }> {
    const rows: { planned: number; told: number; with_failures: number }[] = await this.dataSource.query(
      `SELECT count(DISTINCT (booking_reference, passenger_id))::int AS planned,
              count(DISTINCT (booking_reference, passenger_id)) FILTER (WHERE status IN ('sent', 'delivered', 'read'))::int AS told,
              count(DISTINCT (booking_reference, passenger_id)) FILTER (WHERE status = 'failed')::int AS with_failures
         FROM notifications WHERE ${keysMatchFew('flight_key = $1')}`,
      [f.key],
    );
    return { planned: rows[0].planned, told: rows[0].told, withFailures: rows[0].with_failures };
  }

  failed(f: FlightKeyParts): Promise<FlightFailureRow[]> {
    return this.dataSource.query(
      `SELECT id, type, channel, booking_reference, passenger_id, recipient, last_error_code, last_error, updated_at
         FROM notifications WHERE ${keysMatchFew('flight_key = $1')} AND status = 'failed'
        ORDER BY updated_at DESC, id LIMIT $2`,
      [f.key, MAX_FLIGHT_FAILURES],
    );
  }
}
